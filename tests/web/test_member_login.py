"""A drawn member who confirms gets a set-password e-mail, sets a password and reaches the workspace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    AuditEvent,
    Member,
    MemberStatus,
    OutboxEmail,
    Registrant,
    RegistrantStatus,
    User,
)
from tests.conftest import NOW

SLUG = "baeredygtigt-forbrug"
NEW_PASSWORD = "syv blå cykler ved havnen"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/account/set-password/\S+)")


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction outside any app context, so each request gets its own."""
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def drawn(db: Session, email: str | None = None) -> Registrant:
    """A registrant of the recruiting assembly, marked drawn (as the draw would)."""
    person = db.scalars(
        select(Registrant)
        .join(Assembly, Assembly.id == Registrant.assembly_id)
        .where(Assembly.slug == SLUG, Registrant.status == RegistrantStatus.REGISTERED)
        .order_by(Registrant.id)
    ).first()
    assert person is not None
    person.status = RegistrantStatus.DRAWN
    if email:
        person.email = email
    db.commit()
    return person


def last_mail(db: Session, to: str) -> OutboxEmail:
    mail = db.scalars(
        select(OutboxEmail).where(OutboxEmail.to == to).order_by(OutboxEmail.id.desc())
    ).first()
    assert mail is not None, f"no e-mail to {to}"
    return mail


def link_in(mail: OutboxEmail) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def test_confirming_a_seat_sends_a_set_password_link_that_leads_to_the_workspace(
    client: FlaskClient, db: Session
) -> None:
    person = drawn(db)
    assert (
        client.post(f"/seat/{person.token}/confirm", data={"consent": "hidden"}).status_code == 302
    )
    user = db.scalar(select(User).where(User.email == person.email))
    assert user is not None and not user.has_password
    member = db.scalar(select(Member).where(Member.registrant_id == person.id))
    assert member is not None and member.user_id == user.id
    path = link_in(last_mail(db, person.email))
    page = client.get(path)
    assert page.status_code == 200 and person.email in page.get_data(as_text=True)
    short = client.post(path, data={"password": "kort"})
    assert short.status_code == 422 and "mindst 12 tegn" in short.get_data(as_text=True)
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    # The link works once.
    again = client.post(path, data={"password": NEW_PASSWORD + " igen"})
    assert again.status_code == 422 and "udløbet eller allerede brugt" in again.get_data(
        as_text=True
    )
    login = client.post("/login", data={"email": person.email.upper(), "password": NEW_PASSWORD})
    assert login.status_code == 302 and login.headers["Location"] == "/mine"
    mine = client.get("/mine").get_data(as_text=True)
    workspace = f"/assemblies/{SLUG}/workspace"
    assert f'href="{workspace}"' in mine
    assert client.get(workspace).status_code == 200


def test_an_existing_account_is_linked_instead_of_a_new_one(
    client: FlaskClient, db: Session
) -> None:
    person = drawn(db, email="resident@example.org")
    before = db.scalar(select(func.count()).select_from(User))
    client.post(f"/seat/{person.token}/confirm", data={"consent": "hidden"})
    assert db.scalar(select(func.count()).select_from(User)) == before
    resident = db.scalar(select(User).where(User.email == "resident@example.org"))
    member = db.scalar(select(Member).where(Member.registrant_id == person.id))
    assert member is not None and resident is not None and member.user_id == resident.id
    mail = last_mail(db, "resident@example.org")
    assert "set-password" not in mail.body and "http://127.0.0.1:5000/login" in mail.body
    client.post("/login", data={"email": "resident@example.org", "password": DEMO_PASSWORD})
    assert client.get(f"/assemblies/{SLUG}/workspace").status_code == 200


def test_links_use_the_configured_base_url_not_the_host_header(app: Flask, db: Session) -> None:
    app.config["BASE_URL"] = "https://samling.kk.dk"
    person = drawn(db)
    client = app.test_client()
    client.post(
        f"/seat/{person.token}/confirm",
        data={"consent": "hidden"},
        headers={"Host": "evil.example"},
    )
    body = last_mail(db, person.email).body
    assert "https://samling.kk.dk/account/set-password/" in body and "evil.example" not in body


def test_an_expired_link_is_refused(app: Flask, client: FlaskClient, db: Session) -> None:
    person = drawn(db)
    client.post(f"/seat/{person.token}/confirm", data={"consent": "hidden"})
    path = link_in(last_mail(db, person.email))
    app.config["NOW"] = NOW + timedelta(hours=73)
    response = client.get(path)
    assert response.status_code == 422 and "udløbet" in response.get_data(as_text=True)
    app.config["NOW"] = NOW + timedelta(hours=71)
    assert client.get(path).status_code == 200


def test_a_tampered_link_is_refused(client: FlaskClient, db: Session) -> None:
    person = drawn(db)
    client.post(f"/seat/{person.token}/confirm", data={"consent": "hidden"})
    path = link_in(last_mail(db, person.email))
    assert client.get(path[:-3] + "abc").status_code == 422


def test_the_secretariat_resends_the_login(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    person = drawn(db)
    client = login_as("secretariat")
    client.post(f"/seat/{person.token}/confirm", data={"consent": "hidden"})
    member = db.scalar(select(Member).where(Member.registrant_id == person.id))
    assert member is not None
    first = last_mail(db, person.email)
    page = client.get(f"/secretariat/assemblies/{SLUG}/members").get_data(as_text=True)
    assert "Link sendt, ikke brugt endnu" in page
    response = client.post(f"/secretariat/assemblies/{SLUG}/members/{member.id}/login")
    assert response.status_code == 302
    second = last_mail(db, person.email)
    assert second.id != first.id and "set-password" in second.body
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "member.login_resent"))


def test_withdrawn_and_replaced_members_lose_the_workspace_at_once(app: Flask, db: Session) -> None:
    member_client = app.test_client()
    member_client.post("/login", data={"email": "member@example.org", "password": DEMO_PASSWORD})
    workspace = "/assemblies/groent-byliv-indre-oesterbro/workspace"
    assert member_client.get(workspace).status_code == 200
    mette = db.scalar(select(User).where(User.email == "member@example.org"))
    member = db.scalar(select(Member).where(Member.user_id == mette.id))  # type: ignore[union-attr]
    assert member is not None
    secretariat = app.test_client()
    secretariat.post("/login", data={"email": "secretariat@example.org", "password": DEMO_PASSWORD})
    response = secretariat.post(
        f"/secretariat/assemblies/groent-byliv-indre-oesterbro/members/{member.id}/status",
        data={"status": "withdrawn"},
    )
    assert response.status_code == 302, response.headers
    assert member_client.get(workspace).status_code == 403
    db.refresh(member)
    assert member.status == MemberStatus.WITHDRAWN
    member.status = MemberStatus.REPLACED
    db.commit()
    assert member_client.get(workspace).status_code == 403
    assert "groent-byliv-indre-oesterbro/workspace" not in member_client.get("/mine").get_data(
        as_text=True
    )
    # A mistake can be undone: active again, in again.
    again = secretariat.post(
        f"/secretariat/assemblies/groent-byliv-indre-oesterbro/members/{member.id}/status",
        data={"status": "active"},
    )
    assert again.status_code == 302
    assert member_client.get(workspace).status_code == 200
    actions = db.scalars(select(AuditEvent.detail).where(AuditEvent.action == "member.status"))
    assert list(actions) == ["active → withdrawn", "replaced → active"]
