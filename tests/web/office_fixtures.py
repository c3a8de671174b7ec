"""Shared setup for the back-office tests: an upload directory per test, a session without an
app context (a module turns them into its `app` and `store` fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.conftest import make_test_app

MAX_BYTES = 200_000


def upload_app(engine: Engine, tmp_path: Path) -> Iterator[Flask]:
    """The app with uploads going to this test's own directory, and a small size limit."""
    app, close = make_test_app(
        engine, UPLOAD_DIR=str(tmp_path / "uploads"), UPLOAD_MAX_BYTES=MAX_BYTES
    )
    yield app
    close()


def plain_session(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction without an app context of its own: each request then
    gets a fresh `g` (the `db` fixture's context would let flask-login's user leak between
    clients)."""
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()
