"""No one can disable or demote the last active admin, not even with two requests at once."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from portal import create_app
from portal.db import make_engine
from portal.errors import Invalid
from portal.models import Base, Role, User
from portal.people import staff

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def committed_engine(tmp_path: Any) -> Iterator[Engine]:
    """A database of its own whose transactions really commit (SQLite file or a PG schema)."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    schema = None
    if url and url.startswith("postgresql"):
        schema = f"samling_admins_{uuid.uuid4().hex[:10]}"
        with create_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        engine = make_engine(f"sqlite:///{tmp_path}/admins.db")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    if schema and url:
        with create_engine(url).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _admins(make: sessionmaker[Session], n: int) -> list[int]:
    with make() as session:
        users = []
        for i in range(n):
            user = User(email=f"admin{i}@example.org", display_name=f"A{i}", password_hash="x")
            user.set_roles({Role.ADMIN})
            session.add(user)
            users.append(user)
        session.commit()
        return [u.id for u in users]


def _active_admins(make: sessionmaker[Session]) -> int:
    with make() as session:
        return sum(1 for u in session.scalars(select(User)) if u.active and Role.ADMIN in u.roles)


def test_last_admin_guard_in_the_domain(committed_engine: Engine) -> None:
    make = sessionmaker(bind=committed_engine, expire_on_commit=False)
    app = create_app({"ENGINE": committed_engine, "SECRET_KEY": "x" * 40})
    first, second = _admins(make, 2)
    with app.app_context(), make() as session:
        actor = session.get(User, first)
        assert actor is not None
        other = session.get(User, second)
        assert other is not None
        staff.set_active(session, actor, NOW, other, False)
        with pytest.raises(Invalid):
            staff.set_active(session, actor, NOW, actor, False)
        with pytest.raises(Invalid):
            staff.set_roles(session, actor, NOW, actor, {Role.SECRETARIAT})
    assert _active_admins(make) == 1


def test_two_admins_disabling_each_other_at_once_leave_one(committed_engine: Engine) -> None:
    make = sessionmaker(bind=committed_engine, expire_on_commit=False)
    app = create_app({"ENGINE": committed_engine, "SECRET_KEY": "x" * 40})
    first, second = _admins(make, 2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def disable(actor_id: int, target_id: int) -> None:
        with app.app_context(), make() as session:
            actor, target = session.get(User, actor_id), session.get(User, target_id)
            assert actor is not None and target is not None
            barrier.wait()
            try:
                staff.set_active(session, actor, NOW, target, False)
                outcomes.append("done")
            except Invalid:
                outcomes.append("refused")

    threads = [
        threading.Thread(target=disable, args=(first, second)),
        threading.Thread(target=disable, args=(second, first)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["done", "refused"]
    assert _active_admins(make) == 1
