"""The draw as a job: a real consumer process, a web restart, heartbeats, and the database's rules
under concurrency (one current draw per assembly, a lottery published only while running, a seed
accepted exactly once). Runs on SQLite and, with PORTAL_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import create_app, jobs
from portal.config import ROOT
from portal.db import write_session
from portal.demo.selection_phase import add_selection_phase_assembly
from portal.errors import Invalid
from portal.models import (
    Assembly,
    AuditEvent,
    Base,
    OutboxEmail,
    Registrant,
    RegistrantStatus,
    Role,
    RunKind,
    RunStatus,
    SelectionRun,
    User,
)
from portal.recruitment import draw_runs, draws
from tests.conftest import NOW, TEST_DB_ENV
from tests.smtp_server import smtp_server

TINY_QUOTAS = {"Køn": [("Kvinde", 0.5, 1.0), ("Mand", 0.5, 1.0)]}


def _tiny(session: Session, slug: str, today: Any) -> Assembly:
    content = {
        "slug": slug,
        "title": f"Lille forsamling {slug}",
        "remit": "Et spørgsmål?",
        "commissioned_by": "Byrådet",
        "operator": "Sekretariatet",
        "seats": 4,
        "municipality": "Testrup",
    }
    return add_selection_phase_assembly(
        session, today, content=content, quotas=TINY_QUOTAS, pool_size=16, seed=len(slug)
    )


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A database of its own (really committed: threads and processes share it) and a queue file."""
    base = os.environ.get(TEST_DB_ENV)
    schema = None
    if base and base.startswith("postgresql"):
        schema = f"samling_jobs_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'jobs.db'}"
    config = {
        "DATABASE_URL": url,
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "QUEUE_IMMEDIATE": False,
        "SECRET_KEY": "x" * 40,
        "PASSWORD_HASH": "fast",
        "TESTING": True,
    }
    app = create_app(config)
    Base.metadata.create_all(app.extensions["engine"])
    with app.app_context(), app.extensions["sessionmaker"]() as session:
        actor = User(
            email="s@example.org", display_name="S", role=Role.SECRETARIAT, password_hash="x"
        )
        session.add(actor)
        session.commit()
        actor_id = actor.id
    yield {"app": app, "config": config, "actor_id": actor_id}
    app.extensions["engine"].dispose()
    if schema:
        admin = create_engine(base)  # type: ignore[arg-type]
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _consumer(
    config: dict[str, Any], fault: str = "", marker: Path | None = None, **settings: str
) -> subprocess.Popen[str]:
    """The real consumer (`flask run-consumer`) as a process of its own; with `fault`, one worker
    that hangs at that point (tests/faults/fault_consumer.py). `settings` become PORTAL_* vars."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATABASE_URL=config["DATABASE_URL"], PORTAL_QUEUE_URL=config["QUEUE_URL"])
    env.update({f"PORTAL_{key}": value for key, value in settings.items()})
    flask = str(Path(sys.executable).parent / "flask")
    command = [flask, "--app", "wsgi", "run-consumer", "--workers", "2"]
    if fault:
        env.update(SAMLING_FAULT=fault, SAMLING_FAULT_MARKER=str(marker))
        command = [sys.executable, "-m", "tests.faults.fault_consumer"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(app: Flask, run_id: int, bound: float = 120.0) -> SelectionRun:
    """Poll the database until the run leaves 'running' (a bound, not a timing assertion)."""
    deadline = time.monotonic() + bound
    while True:
        with app.extensions["sessionmaker"]() as session:
            run = session.get(SelectionRun, run_id)
            assert run is not None
            if run.status != RunStatus.RUNNING or time.monotonic() > deadline:
                return run
        time.sleep(0.2)


def _wait_for_mail(app: Flask, bound: float = 60.0) -> list[str]:
    """Poll until no e-mail is queued or being sent (a bound, not a timing assertion)."""
    deadline = time.monotonic() + bound
    while True:
        with app.extensions["sessionmaker"]() as session:
            statuses = [
                str(s) for s in session.scalars(select(OutboxEmail.status).order_by(OutboxEmail.id))
            ]
        if not {"queued", "sending"} & set(statuses) or time.monotonic() > deadline:
            return statuses
        time.sleep(0.2)


@pytest.mark.slow
def test_a_real_consumer_computes_a_draw_queued_before_the_web_process_restarted(
    fresh: dict[str, Any],
) -> None:
    now = datetime.now(UTC)
    web = fresh["app"]
    with web.app_context(), web.extensions["sessionmaker"]() as session:
        actor = session.get(User, fresh["actor_id"])
        assert actor is not None
        waiting = draws.start_draw(session, _tiny(session, "venter", now.date()), actor, now)
        jobs.enqueue("compute_lottery", waiting.id)
        # A run whose worker died three minutes ago (no heartbeat since).
        dead = draws.freeze_run(session, _tiny(session, "doed", now.date()), actor, now)
        dead.heartbeat_at = now - timedelta(minutes=3)
        session.commit()
        waiting_id, dead_id = waiting.id, dead.id
        # E-mails added by domain code: their delivery jobs wait in the queue file too.
        for i in range(40):
            session.add(OutboxEmail(to=f"p{i}@example.org", subject="Hej", body="Tekst"))
        session.commit()
    web.extensions["engine"].dispose()  # the web process stops; the job waits in the queue file
    assert _wait_for(web, waiting_id, bound=0).status == RunStatus.RUNNING

    consumer = _consumer(fresh["config"])
    try:
        run = _wait_for(web, waiting_id)
        dead_run = _wait_for(web, dead_id, bound=30)
        statuses = _wait_for_mail(web)
    finally:
        consumer.send_signal(signal.SIGINT)
        output, _ = consumer.communicate(timeout=60)
    assert run.status == RunStatus.READY, (run.message, output)
    assert run.fingerprint and run.lottery and run.heartbeat_at is not None
    assert dead_run.status == RunStatus.FAILED and "heartbeat" in dead_run.message
    assert dead_run.result is None and dead_run.fingerprint is None
    assert f"draw run {dead_id} failed: no heartbeat" in output
    # Two workers wrote at once; every e-mail was delivered once and recorded (none stuck).
    assert statuses == ["sent"] * 40, output
    assert "@example.org" not in output  # no personal data in the consumer's log
    # The failed run no longer blocks the assembly: a new draw can start.
    with web.app_context(), web.extensions["sessionmaker"]() as session:
        actor = session.get(User, fresh["actor_id"])
        assembly = session.scalar(select(Assembly).where(Assembly.slug == "doed"))
        assert actor is not None and assembly is not None
        assert draws.start_draw(session, assembly, actor, now).status == RunStatus.RUNNING


def _kill_when_hung(process: subprocess.Popen[str], marker: Path, bound: float = 120.0) -> str:
    """SIGKILL the consumer once its worker reached the fault (a bound, not a timing assertion)."""
    deadline = time.monotonic() + bound
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output, _ = process.communicate(timeout=30)
            raise AssertionError(f"the consumer never reached the fault:\n{output}")
        time.sleep(0.1)
    process.kill()  # kill -9: no cleanup, no finally blocks, the heartbeat thread dies too
    output, _ = process.communicate(timeout=30)
    return output


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output


@pytest.mark.slow
def test_a_consumer_killed_during_a_draw_leaves_no_partial_panel(
    fresh: dict[str, Any], tmp_path: Path
) -> None:
    web = fresh["app"]
    make_session = web.extensions["sessionmaker"]
    now = datetime.now(UTC)
    with web.app_context(), write_session(web) as session:
        actor = session.get(User, fresh["actor_id"])
        assert actor is not None
        assembly = _tiny(session, "draebt", now.date())
        run_id, assembly_id = draws.start_draw(session, assembly, actor, now).id, assembly.id
        jobs.enqueue("compute_lottery", run_id)
    marker = tmp_path / "hung"
    killed = _consumer(fresh["config"], "draw", marker, DRAW_HEARTBEAT_TIMEOUT="2")
    _kill_when_hung(killed, marker)

    def drawn_and_mails() -> tuple[int, int]:
        with make_session() as session:
            drawn = session.scalar(
                select(func.count())
                .select_from(Registrant)
                .where(
                    Registrant.assembly_id == assembly_id,
                    Registrant.status == RegistrantStatus.DRAWN,
                )
            )
            mails = session.scalar(select(func.count()).select_from(OutboxEmail))
        return int(drawn or 0), int(mails or 0)

    with make_session() as session:  # killed mid-way: claimed, under way, nothing published
        run = session.get(SelectionRun, run_id)
        assert run is not None and run.status == RunStatus.RUNNING
        assert run.heartbeat_at is not None and 0 < run.progress < 1
        assert run.lottery is None and run.fingerprint is None and run.result is None
        last_beat = run.heartbeat_at
    assert drawn_and_mails() == (0, 0)
    # Once the dead worker's last heartbeat is older than the timeout, a new consumer fails the
    # run at its start; the secretariat starts the draw again and it completes.
    time.sleep(max(0.0, 3 - (datetime.now(UTC) - last_beat).total_seconds()))
    consumer = _consumer(fresh["config"], DRAW_HEARTBEAT_TIMEOUT="2")
    try:
        failed = _wait_for(web, run_id, bound=60)
        with web.app_context(), write_session(web) as session:
            actor = session.get(User, fresh["actor_id"])
            assembly = session.get(Assembly, assembly_id)
            assert actor is not None and assembly is not None
            again = draws.start_draw(session, assembly, actor, datetime.now(UTC)).id
            jobs.enqueue("compute_lottery", again)
        ready = _wait_for(web, again)
    finally:
        output = _stop(consumer)
    assert failed.status == RunStatus.FAILED and "heartbeat" in failed.message, output
    assert failed.lottery is None and failed.fingerprint is None
    assert drawn_and_mails() == (0, 0)  # still no panel, no letters
    assert ready.status == RunStatus.READY, (ready.message, output)
    with web.app_context(), write_session(web) as session:
        run = session.get(SelectionRun, again)
        me = session.get(User, fresh["actor_id"])
        assert run is not None and me is not None
        draws.enter_seed(session, run, "3 1 4", me, datetime.now(UTC), link_for=lambda t: t)
    assert drawn_and_mails() == (4, 4)  # the whole panel, at once


BATCH = 12


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before-send", "after-send"])
def test_a_consumer_killed_in_an_email_batch_loses_nothing(
    fresh: dict[str, Any], tmp_path: Path, moment: str
) -> None:
    """Killed with the 5th e-mail claimed: after a restart every e-mail is delivered. Killed before
    the SMTP server took it, each is sent exactly once; killed after the server took it but before
    it was marked sent (a window of milliseconds), that one e-mail goes out twice with the same
    Message-ID: delivery is at least once (docs/operations.md)."""
    web = fresh["app"]
    make_session = web.extensions["sessionmaker"]
    with smtp_server() as (smtp_url, inbox):
        with web.app_context(), write_session(web) as session:
            for i in range(BATCH):
                session.add(
                    OutboxEmail(to=f"batch{i}@example.org", subject=f"Besked {i}", body="Tekst")
                )
            session.commit()  # their delivery jobs wait in the queue file
        marker = tmp_path / "hung"
        killed = _consumer(fresh["config"], f"mail-{moment}:5", marker, SMTP_URL=smtp_url)
        _kill_when_hung(killed, marker)
        with make_session() as session:
            rows = session.execute(select(OutboxEmail.to, OutboxEmail.status)).all()
        at_kill = [str(status) for _, status in rows]
        claimed = [to for to, status in rows if str(status) == "sending"]
        received_at_kill = len(inbox.messages)
        time.sleep(1.5)  # the claim of the killed worker is older than MAIL_STUCK_SECONDS=1
        consumer = _consumer(fresh["config"], SMTP_URL=smtp_url, MAIL_STUCK_SECONDS="1")
        try:
            statuses = _wait_for_mail(web)
        finally:
            output = _stop(consumer)
        recipients = sorted(inbox.recipients)
        ids = {m["To"]: [] for m in inbox.messages}  # type: dict[str, list[str]]
        for message in inbox.messages:
            ids[message["To"]].append(message["Message-ID"])
    assert sorted(at_kill) == ["queued"] * (BATCH - 5) + ["sending"] + ["sent"] * 4
    assert received_at_kill == (4 if moment == "before-send" else 5)
    assert statuses == ["sent"] * BATCH, output  # nothing lost
    everyone = sorted(f"batch{i}@example.org" for i in range(BATCH))
    if moment == "before-send":
        assert recipients == everyone  # each exactly once
    else:
        assert sorted(set(recipients)) == everyone
        twice = [address for address in set(recipients) if recipients.count(address) > 1]
        assert twice == claimed and len(recipients) == BATCH + 1  # the one in the window
        assert len(set(ids[claimed[0]])) == 1  # the copy carries the same Message-ID


def test_two_concurrent_seeds_draw_one_panel_and_send_one_set_of_emails(
    fresh: dict[str, Any],
) -> None:
    now = datetime.now(UTC)
    app = fresh["app"]
    make_session = app.extensions["sessionmaker"]
    with app.app_context(), make_session() as session:
        actor = session.get(User, fresh["actor_id"])
        assert actor is not None
        assembly = _tiny(session, "samtidig", now.date())
        run_id = draws.start_draw(session, assembly, actor, now).id
    draw_runs.compute_lottery(make_session, run_id, lambda: now)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(seed: str) -> None:
        with app.app_context(), make_session() as session:
            run = session.get(SelectionRun, run_id)
            me = session.get(User, fresh["actor_id"])
            assert run is not None and me is not None and run.status == RunStatus.READY
            barrier.wait()
            try:
                draws.enter_seed(session, run, seed, me, now, link_for=lambda t: f"/seat/{t}")
                outcomes.append(seed)
            except Invalid:
                outcomes.append("refused")

    threads = [threading.Thread(target=submit, args=(seed,)) for seed in ("1 1 1", "6 6 6")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "refused" and outcomes.count("refused") == 1, outcomes
    with make_session() as session:
        run = session.get(SelectionRun, run_id)
        assert run is not None and run.status == RunStatus.DRAWN
        assert run.seed == next(o for o in outcomes if o != "refused")
        mails = session.scalar(select(func.count()).select_from(OutboxEmail))
        drawn = session.scalar(
            select(func.count())
            .select_from(Registrant)
            .where(Registrant.status == RegistrantStatus.DRAWN)
        )
        seeds = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "draw.seed")
        )
    assert mails == drawn == 4 and seeds == 1


def test_the_database_allows_one_current_draw_per_assembly(db: Session) -> None:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))

    def run(status: RunStatus, kind: RunKind = RunKind.DRAW) -> SelectionRun:
        return SelectionRun(
            assembly_id=assembly.id, kind=kind, status=status, code_version="t", inputs_digest="x"
        )

    db.add_all([run(RunStatus.FAILED), run(RunStatus.FAILED), run(RunStatus.RUNNING)])
    db.add_all(
        [run(RunStatus.DRAWN, RunKind.REPLACEMENT), run(RunStatus.DRAWN, RunKind.REPLACEMENT)]
    )
    db.flush()
    for status in (RunStatus.RUNNING, RunStatus.READY, RunStatus.DRAWN):
        savepoint = db.begin_nested()
        db.add(run(status))
        with pytest.raises(IntegrityError):
            db.flush()
        savepoint.rollback()


def _running_run(db: Session, heartbeat: datetime | None, started: datetime = NOW) -> SelectionRun:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "klimatilpasning-vejle"))
    user = db.scalar(select(User).where(User.email == "secretariat@example.org"))
    run = draws.freeze_run(db, assembly, user, started)
    run.heartbeat_at = heartbeat
    db.commit()
    return run


def test_the_periodic_check_fails_a_run_without_heartbeat_and_keeps_a_beating_one(
    app: Flask, db: Session
) -> None:  # type: ignore[no-untyped-def]
    run = _running_run(db, NOW - timedelta(seconds=100))
    jobs.check_draws()
    db.refresh(run)
    assert run.status == RunStatus.RUNNING  # 100 s < the 120 s allowed
    app.config["NOW"] = NOW + timedelta(seconds=30)
    jobs.check_draws()
    db.refresh(run)
    assert run.status == RunStatus.FAILED and "no heartbeat for 120 s" in run.message
    assert run.result is None and run.fingerprint is None


def test_a_run_never_picked_up_is_enqueued_again_and_computed(app: Flask, db: Session) -> None:  # type: ignore[no-untyped-def]
    run = _running_run(db, None, started=NOW - timedelta(minutes=5))
    jobs.check_draws()  # QUEUE_IMMEDIATE: the re-enqueued job runs at once
    db.refresh(run)
    assert run.status == RunStatus.READY and run.fingerprint


def test_a_lottery_finished_after_its_run_was_failed_is_not_published(
    app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    run = _running_run(db, None)
    real_compute = draws.compute

    def slow_worker(*args: Any) -> Any:
        result = real_compute(*args)
        with app.extensions["sessionmaker"]() as other:  # meanwhile the check declared it dead
            other.get(SelectionRun, run.id).status = RunStatus.FAILED
            other.commit()
        return result

    monkeypatch.setattr(draws, "compute", slow_worker)
    jobs.enqueue("compute_lottery", run.id)
    db.refresh(run)
    assert run.status == RunStatus.FAILED and run.fingerprint is None and run.lottery is None


def test_jobs_in_the_queue_carry_ids_never_personal_data(fresh: dict[str, Any]) -> None:
    app = fresh["app"]
    with app.app_context(), app.extensions["sessionmaker"]() as session:
        secret = "https://samling.example.dk/seat/PERSONAL-TOKEN"
        session.add(OutboxEmail(to="privat.person@example.org", subject="Hej", body=secret))
        session.commit()  # after commit a delivery job waits in the queue (no consumer runs)
    huey = jobs.get_huey(app)
    assert huey.pending_count() == 1
    raw = b"".join(huey.storage.enqueued_items())
    assert b"deliver_email" in raw
    assert b"privat.person" not in raw and b"PERSONAL-TOKEN" not in raw


def test_the_retention_job_blanks_respondents_when_their_date_has_come(
    app: Flask, db: Session
) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Recruitment

    def respondents(slug: str) -> list[Registrant]:
        return list(
            db.scalars(
                select(Registrant)
                .join(Assembly, Assembly.id == Registrant.assembly_id)
                .where(Assembly.slug == slug, Registrant.status == RegistrantStatus.REGISTERED)
            )
        )

    # groent-byliv drew its panel 115 days ago and keeps data 90 days; baeredygtigt has not drawn.
    assert all(p.email for p in respondents("groent-byliv-indre-oesterbro"))
    jobs.retention()
    db.expire_all()
    blanked = respondents("groent-byliv-indre-oesterbro")
    assert blanked and all(p.email == "" and p.blanked_at == NOW for p in blanked)
    assert all(p.email and p.blanked_at is None for p in respondents("baeredygtigt-forbrug"))
    groent = db.scalar(select(Assembly).where(Assembly.slug == "groent-byliv-indre-oesterbro"))
    settings = db.scalar(select(Recruitment).where(Recruitment.assembly_id == groent.id))
    assert settings.blanked_at == NOW


def test_work_whose_enqueue_failed_is_picked_up_by_the_periodic_jobs(engine: Any) -> None:
    from portal.demo import DEMO_PASSWORD
    from tests.conftest import DEMO_EMAILS, make_test_app

    # The queue is unreachable (nothing listens on port 1): requests still succeed.
    app, close = make_test_app(
        engine, QUEUE_URL="redis://127.0.0.1:1/0", QUEUE_IMMEDIATE=False, DRAW_HEARTBEAT_TIMEOUT=120
    )
    try:
        client = app.test_client()
        client.post("/login", data={"email": DEMO_EMAILS["secretariat"], "password": DEMO_PASSWORD})
        assert client.post("/secretariat/assemblies/klimatilpasning-vejle/draw").status_code == 302
        with app.app_context(), app.extensions["sessionmaker"]() as db:
            mail = OutboxEmail(to="x@example.org", subject="Hej", body="Tekst")
            db.add(mail)
            db.commit()
            run = db.scalar(select(SelectionRun).order_by(SelectionRun.id.desc()).limit(1))
            assert run.status == RunStatus.RUNNING and run.heartbeat_at is None
            db.refresh(mail)
            assert mail.status == "queued" and mail.attempts == 0
            # The queue is back (here: jobs run at once); the next periodic runs recover both.
            app.config["QUEUE_IMMEDIATE"] = True
            jobs.get_huey(app).immediate = True
            jobs.sweep_outbox()
            app.config["NOW"] = NOW + timedelta(minutes=3)
            jobs.check_draws()
            db.refresh(mail)
            db.refresh(run)
            assert mail.status == "sent"
            assert run.status == RunStatus.READY and run.fingerprint
    finally:
        close()
