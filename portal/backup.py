"""Backup and restore of everything the portal keeps: the database, the uploaded files and the
job queue, together in one directory with a manifest (see docs/operations.md).

SQLite (database and queue) is copied with SQLite's online backup API: a consistent snapshot while
the portal keeps running. PostgreSQL is dumped with `pg_dump` (custom format) and restored with
`pg_restore`. Uploads are copied around the database snapshot (before and after it): a file is
always written before the row that names it, so every material in the snapshot finds its file in
the copy unless it was deleted in the moment between; such files are listed as missing.

Restore expects the portal and the consumer to be stopped. What it replaces is moved aside first
(`<name>.before-restore-<time>`), never deleted.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session

from .db import make_engine
from .models import Material

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_DATABASE = "database.sqlite3"
PG_DATABASE = "database.pgdump"
QUEUE = "queue.sqlite3"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """The backup or restore could not be made (nothing was half-restored)."""


@dataclass
class Manifest:
    created_at: str
    database: str  # "sqlite" or "postgresql"
    queue: str  # "sqlite", or "none" (memory://, or Redis: back it up with Redis' own tools)
    uploads: list[str] = field(default_factory=list)
    missing_uploads: list[str] = field(default_factory=list)
    format: int = FORMAT

    def write(self, directory: Path) -> None:
        (directory / MANIFEST).write_text(json.dumps(self.__dict__, indent=2) + "\n")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(f"{directory} holds no complete backup (no {MANIFEST})")
        data: dict[str, Any] = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise BackupError(f"{directory}: unknown backup format {data.get('format')!r}")
        return cls(**data)


def _sqlite_path(url: str) -> Path | None:
    """The file of an sqlite:/// URL (None for other URLs and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _libpq_url(url: str) -> str:
    """postgresql+psycopg://… → postgresql://… (what pg_dump and pg_restore understand)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (other connections may go on writing)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_uploads(source: Path, target: Path) -> list[str]:
    """Copy the stored files not yet in target (never the half-received `.incoming-*`)."""
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        for path in sorted(source.iterdir()):
            if (
                path.is_file()
                and not path.name.startswith(".")
                and not (target / path.name).exists()
            ):
                shutil.copy2(path, target / path.name)
    return sorted(p.name for p in target.iterdir())


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (see docs/operations.md)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[:500]}") from error


def _url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def backup(
    engine: Engine,
    upload_dir: str | Path,
    queue_url: str,
    target: Path,
    now: datetime,
) -> Manifest:
    """Write the database, the uploads and the queue into `target` (new or empty), manifest last."""
    database_url = _url_of(engine)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    uploads = Path(upload_dir)
    _copy_uploads(uploads, target / UPLOADS)  # before the snapshot: the bulk of the files
    sqlite_file = _sqlite_path(database_url)
    if sqlite_file is not None:
        _copy_sqlite(sqlite_file, target / SQLITE_DATABASE)
        kind = "sqlite"
        snapshot = make_engine(f"sqlite:///{target / SQLITE_DATABASE}")
    elif make_url(database_url).get_backend_name() == "postgresql":
        dump = target / PG_DATABASE
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq_url(database_url)]
        )
        kind = "postgresql"
        snapshot = engine  # the dump was taken a moment ago; files are checked against now
    else:
        raise BackupError(f"cannot back up a {make_url(database_url).get_backend_name()} database")
    copied = _copy_uploads(uploads, target / UPLOADS)  # after it: files of rows added meanwhile
    with Session(snapshot) as session:
        named = set(
            session.scalars(select(Material.stored_name).where(Material.stored_name.is_not(None)))
        )
    if snapshot is not engine:
        snapshot.dispose()
    queue_file = _sqlite_path(queue_url) if queue_url.startswith("sqlite:") else None
    queue = "none"
    if queue_file is not None and queue_file.exists():
        _copy_sqlite(queue_file, target / QUEUE)
        queue = "sqlite"
    manifest = Manifest(
        created_at=now.isoformat(),
        database=kind,
        queue=queue,
        uploads=copied,
        missing_uploads=sorted(str(n) for n in named - set(copied)),
    )
    manifest.write(target)
    return manifest


def _set_aside(path: Path, stamp: str) -> None:
    if path.exists():
        path.rename(path.with_name(f"{path.name}.before-restore-{stamp}"))


def restore(
    source: Path, engine: Engine, upload_dir: str | Path, queue_url: str, now: datetime
) -> Manifest:
    """Put a backup back: database, uploads and queue. The portal and consumer must be stopped."""
    engine.dispose()
    database_url = _url_of(engine)
    manifest = Manifest.read(source)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    sqlite_file = _sqlite_path(database_url)
    if manifest.database == "sqlite":
        if sqlite_file is None:
            raise BackupError("this backup holds an SQLite database; the portal is not on SQLite")
        if sqlite_file.exists():  # keep the current database beside it, then copy in place
            _copy_sqlite(
                sqlite_file, sqlite_file.with_name(f"{sqlite_file.name}.before-restore-{stamp}")
            )
        _copy_sqlite(source / SQLITE_DATABASE, sqlite_file)
    else:
        if make_url(database_url).get_backend_name() != "postgresql":
            raise BackupError(
                "this backup holds a PostgreSQL dump; the portal is not on PostgreSQL"
            )
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url(database_url)}",
                str(source / PG_DATABASE),
            ]
        )
    uploads = Path(upload_dir)
    _set_aside(uploads, stamp)
    shutil.copytree(source / UPLOADS, uploads)
    queue_file = _sqlite_path(queue_url) if queue_url.startswith("sqlite:") else None
    if manifest.queue == "sqlite" and queue_file is not None:
        queue_file.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source / QUEUE, queue_file)
    return manifest
