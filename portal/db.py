"""Engine and one session per request; SQLite gets foreign keys and WAL."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite turn on foreign keys (or cascades silently do nothing)."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
            # SAVEPOINTs and rollbacks behave as on PostgreSQL.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN")

    return engine


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to the app; close the request's session after it."""
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()

    # A request's session ends with the request even when an outer app context lives on (tests,
    # jobs run at once): the next request must read what other sessions (jobs) wrote meanwhile.
    app.teardown_request(_close_session)


def get_session() -> Session:
    """The current request's session (one request, one transaction)."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = current_app.extensions["sessionmaker"]()
    session: Session = g.db_session
    return session


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["engine"]
    return engine
