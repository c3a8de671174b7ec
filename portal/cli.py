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
    session: Session = current_app.extensions["sessionmaker"]()
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
    def blank_personal_data(slug: str) -> None:
        """Blank non-selected respondents' personal fields once the replacement window has closed."""
        from datetime import UTC, datetime

        from .assemblies import get_assembly
        from .privacy import blank_non_selected

        with _session() as session:
            try:
                count = blank_non_selected(session, get_assembly(session, slug), datetime.now(UTC), None)
            except Invalid as invalid:
                raise click.ClickException(str(invalid)) from invalid
        click.echo(f"Blanked {count} respondents of {slug}.")

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
