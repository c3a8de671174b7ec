"""The draw's job: claim a waiting run, compute its lottery while renewing a heartbeat, publish it
only while the run is still running; and the periodic check that fails runs whose worker died.

Every change is a conditional UPDATE in a transaction of its own, so a job that lost its run (failed
by the check, or taken by another worker) changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ..models import RunStatus, SelectionRun
from . import draws

log = logging.getLogger(__name__)


def _running(run_id: int) -> Any:
    """An UPDATE of one run that only applies while it is still running."""
    return (
        update(SelectionRun)
        .where(SelectionRun.id == run_id, SelectionRun.status == RunStatus.RUNNING)
        .execution_options(synchronize_session=False)
    )


def _apply(make_session: sessionmaker[Session], statement: Any) -> bool:
    """Run one UPDATE in a transaction of its own; True when it changed a row."""
    with make_session() as session:
        changed = session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
        session.commit()
    return bool(changed)


def compute_lottery(
    make_session: sessionmaker[Session],
    run_id: int,
    clock: Callable[[], datetime],
    *,
    heartbeat_seconds: float = 20.0,
) -> None:
    """Claim a waiting run, compute its lottery while beating, publish it only if still running."""
    claim = _running(run_id).where(SelectionRun.heartbeat_at.is_(None))
    if not _apply(make_session, claim.values(heartbeat_at=clock(), progress=0.05)):
        log.info("draw run %d is not waiting (taken, failed or gone); nothing to do", run_id)
        return
    with make_session() as session:
        run = session.get(SelectionRun, run_id)
        assert run is not None
        inputs, params = dict(run.inputs), dict(run.parameters)
    steps = 0

    def report(message: str) -> None:
        nonlocal steps
        steps += 1
        progress = min(0.9, 0.1 + 0.04 * steps)
        _apply(
            make_session,
            _running(run_id).values(progress=progress, message=message, heartbeat_at=clock()),
        )

    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(heartbeat_seconds):
            _apply(make_session, _running(run_id).values(heartbeat_at=clock()))

    heart = threading.Thread(target=beat, name=f"draw-{run_id}-heartbeat", daemon=True)
    heart.start()
    try:
        min_probability, lottery = draws.compute(inputs, params, report)
    except Exception as error:  # noqa: BLE001 - any failure is recorded; nothing partial is kept
        log.exception("draw run %d failed", run_id)
        failed = {"status": RunStatus.FAILED, "message": str(error)[:2000], "finished_at": clock()}
        _apply(make_session, _running(run_id).values(**failed))
        return
    finally:
        stop.set()
        heart.join()
    published = _apply(
        make_session,
        _running(run_id).values(
            status=RunStatus.READY,
            progress=1.0,
            min_probability=min_probability,
            lottery=lottery,
            fingerprint=lottery["fingerprint"],
            fingerprint_published_at=clock(),
            heartbeat_at=clock(),
            message="",
        ),
    )
    if published:
        log.info("draw run %d: lottery published, fingerprint %s", run_id, lottery["fingerprint"])
    else:
        log.warning("draw run %d stopped running while computing; its lottery is discarded", run_id)


def fail_stale_runs(session: Session, now: datetime, timeout: timedelta) -> list[int]:
    """Runs whose worker stopped beating for `timeout` are failed (no panel exists; start again)."""
    stale = (
        SelectionRun.status == RunStatus.RUNNING,
        SelectionRun.heartbeat_at.is_not(None),
        SelectionRun.heartbeat_at < now - timeout,
    )
    ids = list(session.scalars(select(SelectionRun.id).where(*stale)))
    session.commit()  # end the read: each UPDATE below opens its own transaction (SQLite waits)
    failed = []
    for run_id in ids:
        result = session.execute(
            update(SelectionRun)
            .where(SelectionRun.id == run_id, *stale)
            .values(
                status=RunStatus.FAILED,
                message=f"Interrupted: the worker computing the lottery stopped "
                f"(no heartbeat for {int(timeout.total_seconds())} s).",
                finished_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            failed.append(run_id)
            log.warning("draw run %d failed: no heartbeat for %s", run_id, timeout)
    return failed


def unclaimed_runs(session: Session, now: datetime, older_than: timedelta) -> list[int]:
    """Runs still waiting for a worker after `older_than` (their job may have been lost)."""
    return list(
        session.scalars(
            select(SelectionRun.id).where(
                SelectionRun.status == RunStatus.RUNNING,
                SelectionRun.heartbeat_at.is_(None),
                SelectionRun.started_at < now - older_than,
            )
        )
    )
