"""SQLite: sessions that write begin IMMEDIATE, so read-then-write never fails on a stale snapshot."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import create_app
from portal.db import get_session, make_engine, write_session
from portal.models import Base, RateEvent

from ..conftest import NOW


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Flask:
    engine = make_engine(f"sqlite:///{tmp_path / 'tx.db'}")
    Base.metadata.create_all(engine)
    return create_app({"ENGINE": engine, "TESTING": True, "SECRET_KEY": "x" * 40})


def _read_then_write(session: Session, scope: str) -> None:
    session.scalar(select(func.count()).select_from(RateEvent))
    session.add(RateEvent(scope=scope, address="a", created_at=NOW))
    session.commit()


def test_read_then_write_waits_instead_of_failing(sqlite_app: Flask) -> None:
    """T1 reads, T2 writes and commits, then T1 writes: with a deferred BEGIN T1 gets
    "database is locked" at once; with BEGIN IMMEDIATE T2 waits for T1 and both succeed."""
    t1_has_read, errors = threading.Event(), []

    def first() -> None:
        try:
            with write_session(sqlite_app) as session:
                session.scalar(select(func.count()).select_from(RateEvent))
                t1_has_read.set()
                threading.Event().wait(0.5)  # give the second writer its chance to interleave
                session.add(RateEvent(scope="first", address="a", created_at=NOW))
                session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def second() -> None:
        t1_has_read.wait(5)
        try:
            with write_session(sqlite_app) as session:
                _read_then_write(session, "second")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with sqlite_app.extensions["sessionmaker"]() as session:
        scopes = session.scalars(select(RateEvent.scope).order_by(RateEvent.id)).all()
    assert scopes == ["first", "second"]


def _in_write_transaction(session: Session) -> bool:
    """Whether this SQLite connection already holds the write lock (BEGIN IMMEDIATE)."""
    other = sqlite3.connect(str(session.get_bind().engine.url.database), isolation_level=None)
    try:
        other.execute("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()
    return False


@pytest.mark.parametrize(
    ("method", "path", "writes"),
    [
        ("GET", "/", False),
        ("HEAD", "/", False),
        ("POST", "/assemblies/x/register", True),
        ("POST", "/secretariat/assemblies/x/quotas/check", False),  # a check: reads_only
    ],
)
def test_requests_that_may_write_begin_immediate(
    sqlite_app: Flask, method: str, path: str, writes: bool
) -> None:
    with sqlite_app.test_request_context(path, method=method):
        session = get_session()
        session.scalar(select(func.count()).select_from(RateEvent))
        assert _in_write_transaction(session) is writes
