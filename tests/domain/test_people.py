"""People and accounts in the domain: one account per address, roles, links, postcodes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.errors import Forbidden, Invalid
from portal.models import UNUSABLE_PASSWORD, Role, User
from portal.people import staff, tokens
from portal.recruitment.eligibility import compact, parse_postcodes
from tests.conftest import NOW

LINKS = tokens.LinkSettings(secret="s" * 40, base_url="https://samling.example/", hours=72)


def test_the_database_refuses_a_second_account_for_the_same_address(db: Session) -> None:
    db.add(User(email="same@example.org", display_name="A", password_hash="x"))
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        # Bypass the domain's lower-casing: the index on lower(email) still refuses it.
        db.execute(
            insert(User).values(
                email="Same@Example.org",
                display_name="B",
                password_hash="x",
                session_epoch=0,
                active=True,
                created_at=NOW,
            )
        )


def test_roles_are_rows_and_admins_hold_every_role() -> None:
    user = User(email="r@example.org", display_name="R", password_hash="x")
    user.set_roles({Role.COUNCIL})
    assert user.has_role(Role.COUNCIL) and not user.has_role(Role.SECRETARIAT)
    user.set_roles({Role.ADMIN})
    assert user.has_role(Role.SECRETARIAT) and user.roles == {Role.ADMIN}
    user.set_roles(set())
    assert not user.has_role(Role.COUNCIL)


def test_a_token_works_once_until_it_expires(app, db: Session) -> None:  # type: ignore[no-untyped-def]
    user = User(email="t@example.org", display_name="T", password_hash=UNUSABLE_PASSWORD)
    db.add(user)
    db.flush()
    link = LINKS.password_link(user, NOW)
    assert link.startswith("https://samling.example/account/set-password/")
    token = link.rsplit("/", 1)[1]
    with app.test_request_context():
        assert tokens.user_for_token(db, LINKS, token, NOW + timedelta(hours=71)) is user
        with pytest.raises(Invalid):
            tokens.user_for_token(db, LINKS, token, NOW + timedelta(hours=73))
        other = tokens.LinkSettings(secret="o" * 40, base_url="", hours=72)
        with pytest.raises(Invalid):
            tokens.user_for_token(db, other, token, NOW)
        tokens.set_password_with_token(
            db, LINKS, token, "en lang og god adgangssætning", NOW, hash_kind="fast"
        )
        assert user.has_password
        with pytest.raises(Invalid):
            tokens.user_for_token(db, LINKS, token, NOW)


def test_only_admins_manage_accounts(app, db: Session) -> None:  # type: ignore[no-untyped-def]
    clerk = User(email="c@example.org", display_name="C", password_hash="x")
    clerk.set_roles({Role.SECRETARIAT})
    with app.test_request_context(), pytest.raises(Forbidden):
        staff.invite_user(
            db, clerk, NOW, LINKS, email="n@example.org", name="N", roles={Role.ADMIN}
        )


def test_postcodes_and_ranges() -> None:
    assert parse_postcodes("2100, 2150\n2200 - 2202") == ["2100", "2150", "2200", "2201", "2202"]
    assert compact(["2100", "2150", "2200", "2201", "2202"]) == "2100, 2150, 2200-2202"
    assert parse_postcodes("  ") == []


def test_ensure_facilitator_adds_once(db: Session) -> None:
    from sqlalchemy import func, select

    from portal.models import Assembly, Facilitator
    from portal.people.facilitators import ensure_facilitator, is_facilitator

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    user = db.scalar(select(User).where(User.email == "council@example.org"))
    assert assembly is not None and user is not None
    assert not is_facilitator(db, assembly, user)
    ensure_facilitator(db, assembly, user)
    ensure_facilitator(db, assembly, user)
    db.flush()
    assert is_facilitator(db, assembly, user)
    count = db.scalar(
        select(func.count()).select_from(Facilitator).where(Facilitator.user_id == user.id)
    )
    assert count == 1


def test_the_old_single_role_still_reads_and_writes() -> None:
    user = User(email="o@example.org", display_name="O", password_hash="x", role=Role.SECRETARIAT)
    assert user.roles == {Role.SECRETARIAT} and user.role == Role.SECRETARIAT
    user.set_roles({Role.COUNCIL, Role.ADMIN})
    assert user.role == Role.ADMIN
    user.role = None
    assert user.roles == frozenset()
