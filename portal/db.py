"""Engine and one session per request; SQLite gets foreign keys, WAL and immediate write transactions.

SQLite starts a deferred transaction as a reader and upgrades it to a writer at its first write;
if another connection committed in between, that upgrade fails at once with "database is locked"
(the busy timeout cannot help: the reader's snapshot is stale). So every session that may write
begins with ``BEGIN IMMEDIATE``, which takes the write lock up front and does wait out the busy
timeout: requests other than GET/HEAD/OPTIONS, the CLI, and background work via `write_session`.
Pages (GET) keep deferred transactions and stay concurrent. PostgreSQL is left as it is.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

# The execution option that makes SQLite's BEGIN immediate; ignored by other databases.
SQLITE_BEGIN = "sqlite_begin"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 15000
# How long a request waits for one of the pool's connections (5 kept, 10 more at peaks) before it
# is answered 503. SQLAlchemy's 30 s were too short for a burst of hundreds of simultaneous
# requests on a threaded server on a loaded machine: requests that would have been served a few
# seconds later got a 503 (a sign-up burst in tests/concurrency/test_live_server.py did).
POOL_TIMEOUT_SECONDS = 90


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite turn on foreign keys (or cascades silently do nothing)."""
    in_memory = url.startswith("sqlite") and (":memory:" in url or url == "sqlite://")
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    if not in_memory:  # a pooled database (an in-memory SQLite database has no queue pool)
        kwargs.setdefault("pool_timeout", POOL_TIMEOUT_SECONDS)
    # Test a pooled connection before handing it out: after the database was unreachable (or
    # restarted) the pool's old connections are dead, and the portal recovers by itself.
    kwargs.setdefault("pool_pre_ping", True)
    # Never put SQL parameters (e-mails, names, form values) into error messages and logs.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
            # Which file this connection opened: if it is deleted or replaced later, the
            # connection keeps writing into the old one, unseen (see `database_problem`).
            path = engine.url.database
            if path and path != ":memory:" and os.path.exists(path):
                record.info["sqlite_inode"] = os.stat(path).st_ino
            # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
            # SAVEPOINTs and rollbacks behave as on PostgreSQL.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            immediate = connection.get_execution_options().get(SQLITE_BEGIN) == "IMMEDIATE"
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def refresh_statistics(engine: Engine) -> bool:
    """Let SQLite's query planner know the tables' sizes (ANALYZE, sampled: well under a second
    at a thousand assemblies). Without statistics it may walk an index through every comment for
    one assembly's page. PostgreSQL's autovacuum keeps its own; returns whether anything ran."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    return True


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions begin as writers on SQLite."""
    return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})


def init_app(app: Flask) -> None:
    """Attach an engine and two session factories (read, write); close the request's session after it."""
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.extensions["write_sessionmaker"] = sessionmaker(bind=writer(engine), expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()

    # A request's session ends with the request even when an outer app context lives on (tests,
    # jobs run at once): the next request must read what other sessions (jobs) wrote meanwhile.
    app.teardown_request(_close_session)


F = TypeVar("F", bound=Callable[..., Any])


def reads_only(view: F) -> F:
    """Mark a POST view that never writes (a preview, a check), so it does not hold the write lock."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def _request_reads_only() -> bool:
    if not has_request_context():
        return False
    if request.method in READ_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "reads_only", False))


def get_session() -> Session:
    """The current request's session (one request, one transaction).

    GET/HEAD/OPTIONS (and views marked `reads_only`) read in a deferred transaction; every other
    request (and the CLI, which has no request) writes in an immediate one.
    """
    if "db_session" not in g:
        key = "sessionmaker" if _request_reads_only() else "write_sessionmaker"
        g.db_session = current_app.extensions[key]()
    session: Session = g.db_session
    return session


@contextmanager
def write_session(app: Flask) -> Iterator[Session]:
    """A session for work outside a request (jobs, threads, commands) whose transactions write.

    Every transaction it begins takes SQLite's write lock up front (waiting out the busy
    timeout instead of failing); commit as usual; the session is closed on leaving the block.
    """
    session: Session = app.extensions["write_sessionmaker"]()
    try:
        yield session
    finally:
        session.close()


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["engine"]
    return engine


def serialize_on(session: Session, key: str) -> None:
    """Make concurrent transactions that check, then insert, for one key take turns (until commit).

    PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of the key. SQLite needs
    nothing: a writing transaction already holds the database's write lock (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(number)))


def is_unique_violation(error: IntegrityError, name: str, table: str, columns: list[str]) -> bool:
    """Whether the database refused a row because of the named unique constraint or index."""
    diag = getattr(error.orig, "diag", None)  # psycopg names the constraint
    if diag is not None and getattr(diag, "constraint_name", None):
        return bool(diag.constraint_name == name)
    # SQLite names the columns instead: "UNIQUE constraint failed: t.a, t.b".
    wanted = ", ".join(f"{table}.{c}" for c in columns)
    return str(error.orig).endswith(f"UNIQUE constraint failed: {wanted}")


def database_problem(session: Session) -> str | None:
    """Why the database cannot be trusted right now (for /healthz), or None when it can.

    Besides a query that must succeed: an SQLite file that was deleted or replaced while the
    portal ran would still answer through connections opened before, while writes vanish.
    """
    connection = session.connection()
    connection.execute(select(1))
    if connection.dialect.name != "sqlite":
        return None
    path = connection.engine.url.database
    if not path or path == ":memory:":
        return None
    if not os.path.exists(path):
        return "database file missing"
    if not connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
        return "database empty (no tables)"
    opened = connection.connection.info.get("sqlite_inode")
    if opened is not None and opened != os.stat(path).st_ino:
        return "database file replaced"
    return None
