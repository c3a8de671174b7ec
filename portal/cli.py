"""`flask …` commands, each a thin wrapper over one domain function."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy.orm import Session

from . import accounts
from .demo import demo_summary, load_demo
from .errors import Invalid
from .models import Role


def _session() -> Session:
    session: Session = current_app.extensions["write_sessionmaker"]()
    return session


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo assemblies and accounts (safe to run again)."""
        with _session() as session:
            load_demo(session, hash_kind=current_app.config["PASSWORD_HASH"])
            session.commit()
            for slug, counts in demo_summary(session).items():
                click.echo(
                    f"{slug}: {counts['members']} members, "
                    f"{counts['recommendations']} recommendations"
                )

    @app.cli.command("blank-personal-data")
    @click.argument("slug")
    @click.option("--members", is_flag=True, help="Also members' contact data (ended assemblies).")
    def blank_personal_data(slug: str, members: bool) -> None:
        """Blank non-selected respondents' personal fields once the replacement window has closed."""
        from datetime import UTC, datetime

        from .assemblies import get_assembly
        from .recruitment.privacy import blank_member_contacts, blank_non_selected

        with _session() as session:
            assembly = get_assembly(session, slug)
            try:
                count = blank_non_selected(session, assembly, datetime.now(UTC), None)
                click.echo(f"Blanked {count} respondents of {slug}.")
                if members:
                    count = blank_member_contacts(session, assembly, datetime.now(UTC), None)
                    click.echo(f"Blanked the contact data of {count} members of {slug}.")
            except Invalid as invalid:
                raise click.ClickException(str(invalid)) from invalid

    @app.cli.command("run-consumer")
    @click.option("--workers", type=int, default=None, help="Worker threads (QUEUE_WORKERS).")
    def run_consumer(workers: int | None) -> None:
        """Run the job queue's consumer: draws, e-mail delivery and the periodic jobs."""
        import logging

        from . import jobs

        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        jobs.on_consumer_start(app)
        consumer = jobs.get_huey(app).create_consumer(
            workers=workers or app.config["QUEUE_WORKERS"], worker_type="thread", periodic=True
        )
        consumer.run()

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.password_option()
    def create_user(email: str, name: str, role: str, password: str) -> None:
        """Create an account (the password must pass the policy)."""
        with _session() as session:
            try:
                accounts.create_user(
                    session,
                    email,
                    name,
                    password,
                    Role(role),
                    hash_kind=current_app.config["PASSWORD_HASH"],
                )
            except Invalid as invalid:
                raise click.ClickException(str(invalid)) from invalid
        click.echo(f"Created {email} ({role}).")
