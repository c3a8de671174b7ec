"""`flask backup` and `flask restore` end to end, on SQLite and on PostgreSQL (a database of its
own, created and dropped here; only when the suite runs on PostgreSQL): seed, back up, change and
destroy, restore, and the data, the uploaded files and the job queue are back."""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from portal import create_app, jobs
from portal.db import make_engine
from portal.demo import DEMO_PASSWORD, load_demo
from portal.demo.files import tiny_pdf
from portal.models import Base, Material, OutboxEmail, Registrant

from ..conftest import NOW, TEST_DB_ENV
from ..web.test_registration import URL as REGISTER
from ..web.test_registration import valid
from .test_upload_faults import FORM, MATERIALS

GROENT = "groent-byliv-indre-oesterbro"
PDF = tiny_pdf("Sikkerhedskopi", ["Side et"])


@pytest.fixture(params=["sqlite", "postgresql"])
def portal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A portal with its own database, upload directory and queue file (all really written)."""
    (tmp_path / "live").mkdir()
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'live' / 'samling.db'}", None
    else:
        url, drop = _postgresql_database()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    uploads = tmp_path / "live" / "uploads"
    with Session(engine) as session:
        load_demo(session, now=NOW, hash_kind="fast", upload_dir=str(uploads))
        session.commit()
    app = create_app(
        {
            "ENGINE": engine,
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "PASSWORD_HASH": "fast",
            "NOW": NOW,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": str(uploads),
            "QUEUE_URL": f"sqlite:///{tmp_path / 'live' / 'queue.db'}",
            "QUEUE_IMMEDIATE": False,
        }
    )
    yield app
    engine.dispose()
    if drop is not None:
        drop()


def _postgresql_database() -> tuple[str, Any]:
    """A database of its own on the test server (pg_dump and pg_restore work on whole databases,
    so the suite's schema-per-run would not do); skipped unless the suite runs on PostgreSQL."""
    server = os.environ.get(TEST_DB_ENV, "")
    if not server.startswith("postgresql"):
        pytest.skip(f"PostgreSQL backups are tested when {TEST_DB_ENV} names a PostgreSQL server")
    name = f"samling_backup_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def secretariat(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "secretariat@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return client


def count(app: Flask, model: Any, *where: Any) -> int:
    with app.extensions["sessionmaker"]() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def files(app: Flask) -> list[str]:
    directory = Path(app.config["UPLOAD_DIR"])
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_backup_then_restore_brings_data_uploads_and_queue_back(
    portal: Flask, tmp_path: Path
) -> None:
    client = secretariat(portal)
    form = {**FORM, "title": "Før sikkerhedskopien", "file": (io.BytesIO(PDF), "kopi.pdf")}
    assert client.post(MATERIALS, data=form, content_type="multipart/form-data").status_code == 302
    with portal.app_context(), portal.extensions["sessionmaker"]() as session:
        material = session.scalar(select(Material).where(Material.title == "Før sikkerhedskopien"))
        assert material is not None
        material_id, stored = material.id, material.stored_name
        session.add(OutboxEmail(to="kopi@example.dk", subject="Hej", body="Tekst"))
        session.commit()  # its delivery job now waits in the queue file (no consumer runs)
    huey = jobs.get_huey(portal)
    queued = huey.pending_count()
    assert queued >= 1
    uploaded = files(portal)
    assert stored in uploaded and len(uploaded) > 1  # the demo's files, and this one
    registrants = count(portal, Registrant)

    runner = portal.test_cli_runner()
    target = tmp_path / "kopi"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"{len(uploaded)} uploaded files" in result.output
    manifest = json.loads((target / "manifest.json").read_text())
    database = make_url(portal.config["ENGINE"].url).get_backend_name()
    assert manifest["database"] == database and manifest["queue"] == "sqlite"
    assert manifest["uploads"] == uploaded and manifest["missing_uploads"] == []
    again = runner.invoke(args=["backup", str(target)])  # never over an earlier backup
    assert again.exit_code != 0 and "not empty" in again.output

    # Afterwards: a sign-up, the material deleted (with its file), the queue emptied, files lost.
    assert client.post(REGISTER, data=valid(email="efter-kopien@example.dk")).status_code == 302
    deleted = client.post(
        f"/secretariat/assemblies/{GROENT}/materials/{material_id}/delete", data={"confirm": "yes"}
    )
    assert deleted.status_code == 302
    assert count(portal, Material, Material.id == material_id) == 0 and stored not in files(portal)
    huey.flush()
    assert huey.pending_count() == 0
    for path in Path(portal.config["UPLOAD_DIR"]).iterdir():
        path.unlink()

    refused = runner.invoke(args=["restore", str(target)])  # the portal must be stopped first
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert files(portal) == []
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output

    assert count(portal, Registrant) == registrants
    assert count(portal, Registrant, Registrant.email == "efter-kopien@example.dk") == 0
    assert count(portal, OutboxEmail, OutboxEmail.to == "kopi@example.dk") == 1
    assert files(portal) == uploaded
    assert huey.pending_count() == queued
    download = portal.test_client().get(f"/assemblies/{GROENT}/materials/{material_id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert client.get("/healthz").status_code == 200
    # What the restore replaced is kept beside it, not deleted.
    live = Path(portal.config["UPLOAD_DIR"]).parent
    if database == "sqlite":
        assert any(p.name.startswith("samling.db.before-restore-") for p in live.iterdir())
    assert any(p.name.startswith("uploads.before-restore-") for p in live.iterdir())


def test_restore_refuses_a_directory_without_a_complete_backup(
    portal: Flask, tmp_path: Path
) -> None:
    half = tmp_path / "halv"
    half.mkdir()
    (half / "database.sqlite3").write_bytes(b"")
    before = files(portal)
    result = portal.test_cli_runner().invoke(args=["restore", str(half), "--yes"])
    assert result.exit_code != 0 and "no complete backup" in result.output
    assert files(portal) == before
