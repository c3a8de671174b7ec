"""Fixtures: one database per run (SQLite, or a fresh PostgreSQL schema), a rolled-back transaction per test."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from portal import create_app
from portal.db import make_engine
from portal.demo import DEMO_PASSWORD, load_demo
from portal.models import Base

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# The demo's material files for this run (never the working tree's instance/uploads).
DEMO_UPLOADS = tempfile.mkdtemp(prefix="samling-test-uploads-")
atexit.register(shutil.rmtree, DEMO_UPLOADS, ignore_errors=True)
# Jobs that test apps enqueue without running them go to a queue of this run, never to the working
# tree's instance/queue.db (a developer's consumer would pick them up and look for rows that are not
# in its database). Apps and subprocesses read it like any PORTAL_* setting.
TEST_QUEUE_DIR = tempfile.mkdtemp(prefix="samling-test-queue-")
atexit.register(shutil.rmtree, TEST_QUEUE_DIR, ignore_errors=True)
os.environ["PORTAL_QUEUE_URL"] = f"sqlite:///{TEST_QUEUE_DIR}/queue.db"
# Kept pages would hide what a test changed: the page cache is off in every test app (and server
# subprocess) but those of tests/web/test_page_cache.py, which turn it on to prove it is dropped.
os.environ["PORTAL_PAGE_CACHE"] = "0"
TEST_DB_ENV = "PORTAL_TEST_DATABASE_URL"


def new_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Callable[[], None]]:
    """SQLite by default; PostgreSQL in a schema of its own when PORTAL_TEST_DATABASE_URL says so.

    The schema is built from the models and the demo loaded at NOW; returns the engine and a
    function that disposes of it and drops the schema.
    """
    url = os.environ.get(TEST_DB_ENV)
    schema = None
    if url and url.startswith("postgresql"):
        schema = f"samling_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    Base.metadata.create_all(eng)
    with Session(eng) as session:
        load_demo(session, now=NOW, hash_kind="fast", upload_dir=DEMO_UPLOADS)
        session.commit()

    def drop() -> None:
        eng.dispose()
        if schema:
            admin = create_engine(url)  # type: ignore[arg-type]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    return eng, drop


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The run's database; each test works in a transaction that is rolled back."""
    eng, drop = new_database(tmp_path_factory)
    yield eng
    drop()


def app_committing_to(engine: Engine, **overrides: Any) -> Flask:
    """The portal on `engine` with requests that really commit (each its own transaction)."""
    config = {
        "ENGINE": engine,
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + "x" * 32,
        "PASSWORD_HASH": "fast",
        "NOW": NOW,
        "WTF_CSRF_ENABLED": False,
    }
    return create_app({**config, **overrides})


@pytest.fixture(scope="module")
def committing_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The portal on a database of its own whose requests really commit (not rolled back).

    For tests of concurrent transactions: each request gets its own connection and transaction,
    as in production. Tests must use data of their own (distinct e-mails, addresses, titles).
    """
    eng, drop = new_database(tmp_path_factory)
    yield app_committing_to(eng)
    drop()


def make_test_app(engine: Engine, **overrides: Any) -> tuple[Flask, Any]:
    connection = engine.connect()
    transaction = connection.begin()
    config = {
        "ENGINE": engine,
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + "x" * 32,
        "PASSWORD_HASH": "fast",
        "NOW": NOW,
        "WTF_CSRF_ENABLED": False,
        "QUEUE_IMMEDIATE": True,  # jobs run at once, in the test's transaction
        "UPLOAD_DIR": DEMO_UPLOADS,
    }
    config.update(overrides)
    app = create_app(config)
    # Every session of this test joins one outer transaction that is rolled back afterwards.
    maker = sessionmaker(
        bind=connection, join_transaction_mode="rollback_only", expire_on_commit=False
    )
    app.extensions["sessionmaker"] = app.extensions["write_sessionmaker"] = maker

    def close() -> None:
        transaction.rollback()
        connection.close()

    return app, close


@pytest.fixture
def app(engine: Engine) -> Iterator[Flask]:
    app, close = make_test_app(engine)
    yield app
    close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction, for arranging data and checking results."""
    with app.app_context():
        session: Session = app.extensions["sessionmaker"]()
        yield session
        session.close()


DEMO_EMAILS = {
    "admin": "admin@example.org",
    "secretariat": "secretariat@example.org",
    "member": "member@example.org",
    "committee": "lokaludvalg@example.org",
    "council": "council@example.org",
    "resident": "resident@example.org",
}


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[str], FlaskClient]:
    def login(role: str) -> FlaskClient:
        response = client.post(
            "/login", data={"email": DEMO_EMAILS[role], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, response.data
        return client

    return login


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `hostile` (fuzz, load, XSS through every field) run only when asked for by
    name in -m (`make test-hostile`), so `make test` and `-m "not browser"` stay quick."""
    if "hostile" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("hostile") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
