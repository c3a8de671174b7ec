"""The job queue (Huey): one instance per app, built from config; every job runs in an app context.

Storage: QUEUE_URL `sqlite:///…/instance/queue.db` (default, no server), `redis://host:port/n`
(several hosts) or `memory://`. QUEUE_IMMEDIATE runs each job at once in the caller (tests).
A consumer (`flask --app wsgi run-consumer`) runs the jobs and the periodic tasks.

Public API:
    jobs.enqueue("compute_lottery", run_id)           # any registered job, by name
    jobs.enqueue("deliver_email", outbox_id, delay=timedelta(minutes=2))
    session.add(OutboxEmail(...)); session.commit()   # e-mail: delivery is enqueued after commit
    jobs.get_huey(app)                                # the Huey instance (consumer, tests)
Jobs carry ids only: never addresses, names or personal links.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from .config import ConfigError

log = logging.getLogger(__name__)

_JOBS: dict[str, Callable[..., None]] = {}
_PERIODIC: dict[str, tuple[Callable[[datetime], bool], Callable[[], None]]] = {}


def job(func: Callable[..., None]) -> Callable[..., None]:
    """Register a job (runs inside an app context; takes ids, never personal data)."""
    _JOBS[func.__name__] = func
    return func


def periodic(
    schedule: Callable[[datetime], bool],
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register a periodic job on a Huey `crontab` schedule."""

    def register(func: Callable[[], None]) -> Callable[[], None]:
        _PERIODIC[func.__name__] = (schedule, func)
        return func

    return register


def build_huey(config: dict[str, Any]) -> Huey:
    """The Huey instance the configuration asks for."""
    url, immediate = str(config["QUEUE_URL"]), bool(config["QUEUE_IMMEDIATE"])
    options: dict[str, Any] = {"immediate": immediate, "results": False, "utc": True}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("samling", url=url, **options)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not immediate:
            path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("samling", filename=str(path), **options)
    if url == "memory://":
        return MemoryHuey("samling", **options)
    raise ConfigError("PORTAL_QUEUE_URL must be sqlite:///path, redis://host:port/db or memory://")


def _in_app(app: Flask, func: Callable[..., None]) -> Callable[..., None]:
    @wraps(func)
    def run(*args: Any) -> None:
        with app.app_context():
            func(*args)

    return run


def init_app(app: Flask) -> None:
    """Build the app's queue and register every job and periodic job on it."""
    huey = build_huey(app.config)
    app.extensions["huey"] = huey
    app.extensions["jobs"] = {
        name: huey.task(name=name)(_in_app(app, func)) for name, func in _JOBS.items()
    }
    for name, (schedule, func) in _PERIODIC.items():
        huey.periodic_task(schedule, name=name)(_in_app(app, func))


def get_huey(app: Flask | None = None) -> Huey:
    huey: Huey = (app or current_app).extensions["huey"]
    return huey


def enqueue(name: str, *args: Any, delay: timedelta | None = None) -> bool:
    """Put a job on the current app's queue (or run it now when QUEUE_IMMEDIATE is set).

    Returns False when the queue could not be reached: the periodic jobs pick the work up again
    from the database (queued e-mails, draws no worker took), so callers need not fail.
    """
    wrapper = current_app.extensions["jobs"][name]
    try:
        if delay is not None and not current_app.config["QUEUE_IMMEDIATE"]:
            wrapper.schedule(args=args, delay=delay.total_seconds())
        else:
            wrapper(*args)
    except Exception:  # noqa: BLE001 - e.g. Redis down; the periodic sweep/check recovers
        log.exception("could not enqueue job %s %s; a periodic job will pick it up", name, args)
        return False
    return True


def clock() -> datetime:
    """The current time for jobs; tests pin it with the NOW config value."""
    pinned = current_app.config.get("NOW")
    return pinned if pinned is not None else datetime.now(UTC)


def session() -> Session:
    """A session of its own for a job (not the request's); on SQLite its transactions begin as
    writers (BEGIN IMMEDIATE), so a job never fails with "database is locked" (see portal/db.py)."""
    made: Session = current_app.extensions["write_sessionmaker"]()
    return made


# --- the outbox: delivery is enqueued after the transaction that added the rows commits --------


@event.listens_for(Session, "pending_to_persistent")
def _remember_new_mail(session: Session, instance: object) -> None:
    from .models import OutboxEmail

    if isinstance(instance, OutboxEmail):
        session.info.setdefault("new_outbox_ids", []).append(instance.id)


@event.listens_for(Session, "after_commit")
def _enqueue_new_mail(session: Session) -> None:
    ids: list[int] = session.info.pop("new_outbox_ids", [])
    if not ids or not has_app_context() or "jobs" not in current_app.extensions:
        return  # outside the app (e.g. a bare script): the periodic sweep delivers them
    for outbox_id in ids:
        enqueue("deliver_email", outbox_id)  # if the queue is down, the sweep delivers it later


@event.listens_for(Session, "after_rollback")
def _forget_new_mail(session: Session) -> None:
    session.info.pop("new_outbox_ids", None)


# --- the portal's jobs ----------------------------------------------------------------------


@job
def compute_lottery(run_id: int) -> None:
    """LEXIMIN and the lottery for one draw run (with heartbeats; see recruitment/draws.py)."""
    from .recruitment import draw_runs

    draw_runs.compute_lottery(
        current_app.extensions["write_sessionmaker"],
        run_id,
        clock,
        heartbeat_seconds=max(1, int(current_app.config["DRAW_HEARTBEAT_TIMEOUT"]) // 6),
    )


@job
def deliver_email(outbox_id: int) -> None:
    """Send one outbox row; schedule the retry when it failed."""
    from . import mail

    with session() as s:
        delay = mail.deliver(s, outbox_id, clock(), mail.delivery_settings())
    if delay is not None:
        enqueue("deliver_email", outbox_id, delay=delay)


@periodic(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: deliver queued rows whose job was lost or whose retry is due."""
    from . import mail

    stuck_after = timedelta(seconds=int(current_app.config["MAIL_STUCK_SECONDS"]))
    with session() as s:
        due = mail.due_for_delivery(s, clock(), stuck_after)
    for outbox_id in due:
        enqueue("deliver_email", outbox_id)


@periodic(crontab(minute="*"))
def check_draws() -> None:
    """Every minute: fail draws whose worker stopped beating; re-enqueue draws never picked up."""
    from .recruitment import draw_runs

    timeout = timedelta(seconds=int(current_app.config["DRAW_HEARTBEAT_TIMEOUT"]))
    with session() as s:
        draw_runs.fail_stale_runs(s, clock(), timeout)
        waiting = draw_runs.unclaimed_runs(s, clock(), timeout)
    for run_id in waiting:
        log.warning("draw run %d was never picked up; enqueuing it again", run_id)
        enqueue("compute_lottery", run_id)


@periodic(crontab(minute="17"))
def retention() -> None:
    """Every hour: blank personal data whose retention period has run out."""
    from . import mail
    from .recruitment import privacy

    with session() as s:
        blanked = privacy.blank_all_due(s, clock())
        old = mail.blank_old_mail(s, clock(), int(current_app.config["OUTBOX_RETENTION_DAYS"]))
    if blanked or old:
        log.info("retention: %d assemblies' respondents and %d e-mails blanked", blanked, old)


@periodic(crontab(minute="23"))
def tell_overdue_followers() -> None:
    """Every hour: members who asked to stay informed hear once that answers are overdue."""
    from .council import notify
    from .phases import local_date

    with session() as s:
        sent = notify.tell_overdue(s, clock(), local_date(clock()))
    if sent:
        log.info("overdue answers: %d e-mails to followers queued", sent)


@periodic(crontab(minute="41", hour="3"))
def refresh_statistics() -> None:
    """Every night: fresh table statistics for SQLite's query planner (see portal/db.py)."""
    from .db import engine_of, refresh_statistics

    if refresh_statistics(engine_of(current_app)):
        log.info("database statistics refreshed")


def on_consumer_start(app: Flask) -> None:
    """Before the consumer takes jobs: what a dead worker left behind is cleaned up at once, and
    the planner gets statistics (a database seeded or migrated since has none)."""
    with app.app_context():
        check_draws()
        sweep_outbox()
        refresh_statistics()


__all__ = ["build_huey", "clock", "crontab", "enqueue", "get_huey", "init_app", "job", "periodic"]
