"""`flask …` commands, each a thin wrapper over one domain function."""

from __future__ import annotations

from pathlib import Path

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
            load_demo(
                session,
                hash_kind=current_app.config["PASSWORD_HASH"],
                upload_dir=current_app.config["UPLOAD_DIR"],
            )
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

    @app.cli.command("backup")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(directory: Path) -> None:
        """Back up the database, uploads and job queue into DIRECTORY (new or empty)."""
        from datetime import UTC, datetime

        from . import backup

        config = current_app.config
        try:
            manifest = backup.backup(
                current_app.extensions["engine"],
                config["UPLOAD_DIR"],
                str(config["QUEUE_URL"]),
                directory,
                datetime.now(UTC),
            )
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"Backed up the {manifest.database} database, {len(manifest.uploads)} uploaded "
            f"files and the queue ({manifest.queue}) into {directory}."
        )
        if manifest.missing_uploads:
            click.echo(
                f"Warning: {len(manifest.missing_uploads)} files named in the database were "
                "deleted while the backup ran (listed in manifest.json).",
                err=True,
            )

    @app.cli.command("restore")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="The portal and the consumer are stopped: go ahead.")
    def restore_command(directory: Path, yes: bool) -> None:
        """Restore a backup made by `flask backup` (stop the portal and the consumer first)."""
        from datetime import UTC, datetime

        from . import backup

        if not yes:
            raise click.ClickException(
                "Stop the portal and the consumer, then run again with --yes. What is replaced "
                "is kept beside it as *.before-restore-<time>."
            )
        config = current_app.config
        try:
            manifest = backup.restore(
                directory,
                current_app.extensions["engine"],
                config["UPLOAD_DIR"],
                str(config["QUEUE_URL"]),
                datetime.now(UTC),
            )
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Restored the backup of {manifest.created_at} from {directory}.")

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
    @click.option(
        "--role",
        type=click.Choice([r.value for r in Role] + ["resident"]),
        default="resident",
        help="A staff role; residents, members and organisations' people have none.",
    )
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
                    Role(role) if role in set(Role) else None,
                    hash_kind=current_app.config["PASSWORD_HASH"],
                )
            except Invalid as invalid:
                raise click.ClickException(str(invalid)) from invalid
        click.echo(f"Created {email} ({role}).")
