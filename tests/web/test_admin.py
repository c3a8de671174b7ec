"""Admins invite users, change roles, disable, re-enable and reset; the last admin stays."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import AuditEvent, Body, BodyMembership, Role, User
from tests.web.test_member_login import last_mail, link_in

NEW_PASSWORD = "fire røde både i kanalen"


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def user(db: Session, email: str) -> User:
    found = db.scalar(select(User).where(User.email == email))
    assert found is not None
    db.refresh(found)
    return found


def audit(db: Session, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_admin_invites_a_council_user_of_a_body(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Invitér en bruger" in page and "Teknik- og Miljøudvalget" in page
    body = db.scalar(select(Body).where(Body.name == "Teknik- og Miljøudvalget"))
    assert body is not None
    response = client.post(
        "/admin/users",
        data={
            "email": "Ny.Politiker@Example.org",
            "display_name": "Nina Politiker",
            "roles": ["council"],
            "body_id": str(body.id),
        },
    )
    assert response.status_code == 302
    nina = user(db, "ny.politiker@example.org")
    assert nina.roles == {Role.COUNCIL} and not nina.has_password
    assert db.scalar(
        select(BodyMembership).where(
            BodyMembership.body_id == body.id, BodyMembership.user_id == nina.id
        )
    )
    assert audit(db, "account.invited")[-1].detail.startswith("council")
    path = link_in(last_mail(db, "ny.politiker@example.org"))
    fresh = client.application.test_client()
    assert fresh.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    login = fresh.post(
        "/login", data={"email": "ny.politiker@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    mine = fresh.get("/mine").get_data(as_text=True)
    assert "Anbefalinger der venter på svar" in mine and "Teknik- og Miljøudvalget" in mine


def test_one_account_per_address_whatever_the_case(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin")
    response = client.post(
        "/admin/users",
        data={"email": "RESIDENT@example.org", "display_name": "Igen", "roles": ["secretariat"]},
    )
    assert response.status_code == 422
    assert "Der findes allerede en konto" in response.get_data(as_text=True)


def test_bad_invitations_keep_what_was_typed(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin")
    response = client.post("/admin/users", data={"email": "ikke-en-adresse", "display_name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="ikke-en-adresse"' in html
    assert "Skriv personens navn." in html


def test_disable_ends_sessions_and_enable_restores(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    resident = app.test_client()
    resident.post("/login", data={"email": "resident@example.org", "password": DEMO_PASSWORD})
    assert resident.get("/mine").status_code == 200
    admin = login_as("admin")
    target = user(db, "resident@example.org")
    assert admin.post(f"/admin/users/{target.id}/active", data={"active": "no"}).status_code == 302
    assert resident.get("/mine").status_code == 302  # logged out
    again = app.test_client().post(
        "/login", data={"email": "resident@example.org", "password": DEMO_PASSWORD}
    )
    assert again.status_code == 401
    assert admin.post(f"/admin/users/{target.id}/active", data={"active": "yes"}).status_code == 302
    ok = app.test_client().post(
        "/login", data={"email": "resident@example.org", "password": DEMO_PASSWORD}
    )
    assert ok.status_code == 302
    assert [e.subject for e in audit(db, "account.disabled")] == ["resident@example.org"]
    assert [e.subject for e in audit(db, "account.enabled")] == ["resident@example.org"]


def test_reset_sends_a_link_that_sets_a_new_password(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    target = user(db, "council@example.org")
    assert admin.post(f"/admin/users/{target.id}/reset").status_code == 302
    path = link_in(last_mail(db, "council@example.org"))
    other = app.test_client()
    assert other.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    old = app.test_client().post(
        "/login", data={"email": "council@example.org", "password": DEMO_PASSWORD}
    )
    assert old.status_code == 401
    assert audit(db, "account.reset_sent")


def test_the_last_admin_cannot_be_disabled_or_demoted(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    me = user(db, "admin@example.org")
    refused = admin.post(f"/admin/users/{me.id}/active", data={"active": "no"})
    assert refused.status_code == 422
    assert "mindst én aktiv administrator" in refused.get_data(as_text=True)
    demoted = admin.post(f"/admin/users/{me.id}/roles", data={"roles": ["secretariat"]})
    assert demoted.status_code == 422
    assert Role.ADMIN in user(db, "admin@example.org").roles and me.active
    # With a second admin, the first may step down.
    other = user(db, "secretariat@example.org")
    admin.post(f"/admin/users/{other.id}/roles", data={"roles": ["admin", "secretariat"]})
    assert user(db, "secretariat@example.org").roles == {Role.ADMIN, Role.SECRETARIAT}
    assert (
        admin.post(f"/admin/users/{me.id}/roles", data={"roles": ["secretariat"]}).status_code
        == 302
    )
    assert Role.ADMIN not in user(db, "admin@example.org").roles


def test_bodies_are_created_and_staffed(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin")
    assert (
        client.post("/admin/bodies", data={"name": "Børne- og Ungdomsudvalget"}).status_code == 302
    )
    duplicate = client.post("/admin/bodies", data={"name": "børne- og ungdomsudvalget"})
    assert duplicate.status_code == 422
    body = db.scalar(select(Body).where(Body.name == "Børne- og Ungdomsudvalget"))
    assert body is not None
    unknown = client.post(f"/admin/bodies/{body.id}/people", data={"email": "nobody@example.org"})
    assert unknown.status_code == 422 and "Invitér personen først" in unknown.get_data(as_text=True)
    assert (
        client.post(
            f"/admin/bodies/{body.id}/people", data={"email": "resident@example.org"}
        ).status_code
        == 302
    )
    resident = user(db, "resident@example.org")
    assert Role.COUNCIL in resident.roles
    assert "Rasmus Borger" in client.get("/admin/bodies").get_data(as_text=True)
    assert client.post(f"/admin/bodies/{body.id}/people/{resident.id}/remove").status_code == 302
    assert db.scalar(select(BodyMembership).where(BodyMembership.user_id == resident.id)) is None


def test_secretariat_cannot_manage_accounts(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client: FlaskClient = login_as("secretariat")
    assert client.get("/admin/users").status_code == 403
    response = client.post(
        "/admin/users", data={"email": "x@example.org", "display_name": "X", "roles": ["admin"]}
    )
    assert response.status_code == 403
    assert db.scalar(select(User).where(User.email == "x@example.org")) is None


def test_a_users_page_shows_their_relations(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin")
    lokaludvalg = user(db, "lokaludvalg@example.org")
    assert "Østerbro Lokaludvalg" in client.get(f"/admin/users/{lokaludvalg.id}").get_data(
        as_text=True
    )
    mette = user(db, "member@example.org")
    html = client.get(f"/admin/users/{mette.id}").get_data(as_text=True)
    assert "Borgersamling om grønt byliv på Indre Østerbro (Aktiv)" in html
    secretariat = user(db, "secretariat@example.org")
    html = client.get(f"/admin/users/{secretariat.id}").get_data(as_text=True)
    assert "Borgersamling om bæredygtigt forbrug" in html
