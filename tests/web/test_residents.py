"""Resident accounts (issue #12): sign up, verify, reset, delete, download my data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import AuditEvent, Comment, LoginSession, OutboxEmail, Recommendation, User
from portal.people import residents
from portal.people.tokens import LinkSettings
from tests.conftest import NOW

PASSWORD = "tre grønne cykler på torvet"
BASE = "http://127.0.0.1:5000"


def _signup(client: FlaskClient, addr: str = "10.30.0.1", **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "email": "ny@example.org",
        "display_name": "Nina Ny",
        "district": "Nørrebro",
        "password": PASSWORD,
        "consent": "yes",
        "website": "",
    }
    data.update(fields)
    return client.post("/signup", data=data, environ_base={"REMOTE_ADDR": addr})


@pytest.fixture
def store(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction without an app context of its own (an app context
    pushed for the whole test would share `g`, and so the logged-in user, between requests)."""
    with app.extensions["sessionmaker"]() as session:
        yield session


def _user(store: Session, email: str) -> User | None:
    store.expire_all()
    return store.scalar(select(User).where(User.email == email))


def _mails(store: Session, to: str) -> list[OutboxEmail]:
    store.expire_all()
    return list(
        store.scalars(select(OutboxEmail).where(OutboxEmail.to == to).order_by(OutboxEmail.id))
    )


def _link(mail: OutboxEmail, path: str) -> str:
    match = re.search(re.escape(BASE) + re.escape(path) + r"\S+", mail.body)
    assert match, mail.body
    return match.group(0)[len(BASE) :]


def _login(client: FlaskClient, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": password})


# --- Sign up --------------------------------------------------------------------------------------


def test_signup_page_asks_for_what_it_needs(client: FlaskClient) -> None:
    html = client.get("/signup").get_data(as_text=True)
    for needle in (
        'name="email"',
        'name="display_name"',
        'name="district"',
        "Nørrebro",
        'name="password"',
        'name="consent"',
        'name="website"',
        "/house-rules",
        "/privacy",
    ):
        assert needle in html, needle


def test_signup_creates_an_unverified_account_and_mails_a_link(
    client: FlaskClient, store: Session
) -> None:
    response = _signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/signup/sent"
    user = _user(store, "ny@example.org")
    assert user is not None and user.email_verified_at is None
    assert user.display_name == "Nina Ny" and user.district == "Nørrebro" and not user.roles
    assert not residents.can_post(user)
    [mail] = _mails(store, "ny@example.org")
    assert mail.language == "da" and "Bekræft" in mail.subject
    assert BASE + "/account/verify/" in mail.body


def test_signup_mail_is_in_the_readers_language(client: FlaskClient, store: Session) -> None:
    client.set_cookie("samling-lang", "en")
    _signup(client)
    [mail] = _mails(store, "ny@example.org")
    assert mail.language == "en" and "Confirm" in mail.subject
    user = _user(store, "ny@example.org")
    assert user is not None and user.language == "en"  # later e-mails follow


def test_signup_checks_every_field(client: FlaskClient, store: Session) -> None:
    response = _signup(
        client,
        email="not-an-address",
        display_name=" ",
        district="Atlantis",
        password="kort",
        consent="",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "gyldig e-mailadresse",
        "navn, andre skal se",
        "Vælg en bydel",
        "mindst 12 tegn",
        "husreglerne",
    ):
        assert message in html, message
    assert "Atlantis" not in html  # only the configured districts are offered
    assert _user(store, "not-an-address") is None


def test_a_registered_address_gets_the_same_answer_and_an_email_instead(
    client: FlaskClient, store: Session
) -> None:
    new = _signup(client, email="ny@example.org")
    known = _signup(client, email="resident@example.org", display_name="Someone Else")
    assert new.status_code == known.status_code == 302
    assert new.headers["Location"] == known.headers["Location"]
    page_new = client.get(new.headers["Location"]).get_data(as_text=True)
    assert page_new == client.get(known.headers["Location"]).get_data(as_text=True)
    assert store.scalar(select(func.count()).where(User.email == "resident@example.org")) == 1
    resident = _user(store, "resident@example.org")
    assert resident is not None and resident.display_name == "Rasmus Borger"  # nothing changed
    [mail] = _mails(store, "resident@example.org")
    assert "allerede en konto" in mail.subject and "/account/set-password/" in mail.body


def test_the_honeypot_swallows_bots(client: FlaskClient, store: Session) -> None:
    response = _signup(client, website="http://spam.example")
    assert response.status_code == 302 and response.headers["Location"] == "/signup/sent"
    assert _user(store, "ny@example.org") is None and _mails(store, "ny@example.org") == []


def test_signups_are_limited_per_address(app: Flask, client: FlaskClient, store: Session) -> None:
    app.config["SIGNUP_LIMIT_PER_ADDRESS"] = 2
    assert _signup(client, email="a1@example.org", addr="10.40.0.1").status_code == 302
    assert _signup(client, email="a2@example.org", addr="10.40.0.1").status_code == 302
    blocked = _signup(client, email="a3@example.org", addr="10.40.0.1")
    assert blocked.status_code == 422 and "For mange forsøg" in blocked.get_data(as_text=True)
    assert _user(store, "a3@example.org") is None
    assert _signup(client, email="a3@example.org", addr="10.40.0.2").status_code == 302
    app.config["NOW"] = NOW + timedelta(hours=1, seconds=1)
    assert _signup(client, email="a4@example.org", addr="10.40.0.1").status_code == 302


# --- Verification ---------------------------------------------------------------------------------


def test_the_link_verifies_the_address(app: Flask, client: FlaskClient, store: Session) -> None:
    _signup(client)
    link = _link(_mails(store, "ny@example.org")[0], "/account/verify/")
    assert _login(client, "ny@example.org", PASSWORD).status_code == 302  # unverified can log in
    mine = client.get("/mine").get_data(as_text=True)
    assert "ikke bekræftet" in mine and "/account/verify/resend" in mine
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/mine"
    user = _user(store, "ny@example.org")
    assert user is not None and user.email_verified_at == NOW
    assert residents.can_post(user)
    mine = client.get("/mine").get_data(as_text=True)
    assert "E-mail bekræftet" in mine and "ikke hvor du bor" in mine
    assert (
        "/account/data.json" in mine and "/account/data.csv" in mine and "/account/delete" in mine
    )


def test_an_expired_link_is_refused(app: Flask, client: FlaskClient, store: Session) -> None:
    _signup(client)
    link = _link(_mails(store, "ny@example.org")[0], "/account/verify/")
    app.config["NOW"] = NOW + timedelta(hours=app.config["SET_PASSWORD_HOURS"], seconds=1)
    response = client.get(link)
    assert response.status_code == 422 and "udløbet" in response.get_data(as_text=True)
    user = _user(store, "ny@example.org")
    assert user is not None and user.email_verified_at is None


def test_a_tampered_link_is_refused(client: FlaskClient, store: Session) -> None:
    _signup(client)
    link = _link(_mails(store, "ny@example.org")[0], "/account/verify/")
    other = _user(store, "resident@example.org")
    assert other is not None
    forged = LinkSettings("another-secret", BASE, 72)
    bad = residents.verification_link(forged, other, NOW)[len(BASE) :]
    for tampered in (link[:-3] + "abc", bad, "/account/verify/garbage"):
        response = client.get(tampered)
        assert response.status_code == 422, tampered
    user = _user(store, "ny@example.org")
    assert user is not None and user.email_verified_at is None


def test_a_verification_link_stops_working_when_the_address_changes(
    app: Flask, store: Session
) -> None:
    links = LinkSettings("s" * 40, BASE, 72)
    user = _user(store, "resident@example.org")
    assert user is not None
    token = residents.verification_link(links, user, NOW).rsplit("/", 1)[1]
    user.email = "changed@example.org"
    store.flush()
    with app.app_context(), pytest.raises(residents.Invalid):
        residents.verify_email(store, links, token, NOW)


def test_resend_verification(client: FlaskClient, store: Session) -> None:
    _signup(client)
    _login(client, "ny@example.org", PASSWORD)
    assert client.post("/account/verify/resend").status_code == 302
    assert len(_mails(store, "ny@example.org")) == 2
    client.get(_link(_mails(store, "ny@example.org")[1], "/account/verify/"))
    refused = client.post("/account/verify/resend")
    assert refused.status_code == 422 and "allerede bekræftet" in refused.get_data(as_text=True)


def test_can_post_needs_a_verified_active_account() -> None:
    verified = User(
        email="a@example.org",
        display_name="A",
        password_hash="x",
        active=True,
        email_verified_at=NOW,
    )
    assert residents.can_post(verified)
    assert not residents.can_post(None)
    assert not residents.can_post(
        User(email="b@example.org", display_name="B", password_hash="x", active=True)
    )
    disabled = User(
        email="c@example.org",
        display_name="C",
        password_hash="x",
        active=False,
        email_verified_at=NOW,
    )
    assert not residents.can_post(disabled)

    class Anonymous:
        is_authenticated = False

    assert not residents.can_post(Anonymous())


def test_the_demo_people_are_verified(store: Session) -> None:
    user = _user(store, "resident@example.org")
    assert user is not None and residents.can_post(user)


# --- Forgot password ------------------------------------------------------------------------------


def test_reset_by_email_ends_every_session(app: Flask, client: FlaskClient, store: Session) -> None:
    other = app.test_client()
    _login(other, "resident@example.org", DEMO_PASSWORD)
    known = client.post("/account/reset", data={"email": "Resident@example.org"})
    unknown = client.post("/account/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/account/reset/sent"
    assert _mails(store, "nobody@example.org") == []
    [mail] = _mails(store, "resident@example.org")
    link = _link(mail, "/account/set-password/")
    assert client.post(link, data={"password": PASSWORD}).status_code == 302
    assert client.post(link, data={"password": PASSWORD + "!"}).status_code == 422  # single use
    assert other.get("/account").status_code == 302  # every session ended
    assert store.scalar(select(func.count()).select_from(LoginSession)) == 0
    assert _login(client, "resident@example.org", PASSWORD).status_code == 302


def test_reset_links_expire(app: Flask, client: FlaskClient, store: Session) -> None:
    client.post("/account/reset", data={"email": "resident@example.org"})
    link = _link(_mails(store, "resident@example.org")[0], "/account/set-password/")
    app.config["NOW"] = NOW + timedelta(hours=app.config["SET_PASSWORD_HOURS"], seconds=1)
    assert client.post(link, data={"password": PASSWORD}).status_code == 422


def test_reset_requests_are_limited_per_address(app: Flask, client: FlaskClient) -> None:
    app.config["SIGNUP_LIMIT_PER_ADDRESS"] = 1
    assert client.post("/account/reset", data={"email": "a@example.org"}).status_code == 302
    assert client.post("/account/reset", data={"email": "b@example.org"}).status_code == 422


# --- Delete my account ----------------------------------------------------------------------------


def _comment(store: Session, email: str, text: str) -> int:
    user = _user(store, email)
    rec = store.scalar(select(Recommendation).order_by(Recommendation.id))
    assert user is not None and rec is not None
    comment = Comment(
        recommendation_id=rec.id,
        revision_id=rec.revisions[-1].id,
        author_id=user.id,
        text=text,
        created_at=NOW,
    )
    store.add(comment)
    store.commit()
    return comment.id


def test_delete_needs_the_password_and_the_box(client: FlaskClient, store: Session) -> None:
    _login(client, "resident@example.org", DEMO_PASSWORD)
    page = client.get("/account/delete").get_data(as_text=True)
    assert 'name="password"' in page and 'name="confirm"' in page
    wrong = client.post("/account/delete", data={"password": "wrong", "confirm": "yes"})
    assert wrong.status_code == 422 and "Adgangskoden er forkert" in wrong.get_data(as_text=True)
    unticked = client.post("/account/delete", data={"password": DEMO_PASSWORD})
    assert unticked.status_code == 422
    assert _user(store, "resident@example.org") is not None


def test_delete_removes_personal_data_and_keeps_comments_anonymous(
    app: Flask, client: FlaskClient, store: Session
) -> None:
    comment_id = _comment(store, "resident@example.org", "Flere træer på Østerbrogade, tak.")
    user = _user(store, "resident@example.org")
    assert user is not None
    user_id = user.id
    _login(client, "resident@example.org", DEMO_PASSWORD)
    captured = client.get_cookie("samling")
    assert captured is not None
    response = client.post("/account/delete", data={"password": DEMO_PASSWORD, "confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    store.expire_all()
    assert store.get(User, user_id) is None
    assert _user(store, "resident@example.org") is None
    comment = store.get(Comment, comment_id)
    assert comment is not None and comment.author_id is None
    assert comment.text == "Flere træer på Østerbrogade, tak."
    assert (
        store.scalar(select(func.count()).where(AuditEvent.subject == "resident@example.org")) == 0
    )
    assert store.scalar(select(func.count()).where(AuditEvent.action == "account.deleted")) == 1
    replay = app.test_client()
    replay.set_cookie("samling", captured.value)
    assert replay.get("/account").status_code == 302
    assert _login(app.test_client(), "resident@example.org", DEMO_PASSWORD).status_code == 401


def test_a_deleted_participants_comment_shows_as_a_former_participant(
    app: Flask, store: Session
) -> None:
    comment_id = _comment(store, "resident@example.org", "Mere grønt.")
    user = _user(store, "resident@example.org")
    assert user is not None
    with app.test_request_context():
        residents.delete_account(store, user, DEMO_PASSWORD, True, NOW)
        comment = store.get(Comment, comment_id)
        assert comment is not None
        assert str(residents.author_name(comment.author)) == "en tidligere deltager"
    with app.test_request_context(headers={"Cookie": "samling-lang=en"}):
        assert str(residents.author_name(None)) == "a former participant"


def test_staff_accounts_are_not_deleted_by_themselves(client: FlaskClient, store: Session) -> None:
    _login(client, "secretariat@example.org", DEMO_PASSWORD)
    refused = client.post("/account/delete", data={"password": DEMO_PASSWORD, "confirm": "yes"})
    assert refused.status_code == 422 and "administrator" in refused.get_data(as_text=True)
    assert _user(store, "secretariat@example.org") is not None


# --- Download my data -----------------------------------------------------------------------------


def test_download_my_data_as_json_and_csv(client: FlaskClient, store: Session) -> None:
    comment_id = _comment(store, "resident@example.org", '=HYPERLINK("http://evil")')
    _login(client, "resident@example.org", DEMO_PASSWORD)
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "resident@example.org"
    assert data["account"]["display_name"] == "Rasmus Borger"
    assert data["account"]["email_verified_at"]
    assert data["roles"] == []
    [comment] = [c for c in data["comments"] if c["id"] == comment_id]
    assert comment["text"] == '=HYPERLINK("http://evil")' and comment["recommendation"] >= 1
    assert comment["created_at"].startswith("2026-11-20")
    response = client.get("/account/data.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["account", "", "email", "resident@example.org"] in rows
    assert [
        "comments",
        str(comment_id),
        "text",
        '\'=HYPERLINK("http://evil")',
    ] in rows  # neutralised


def test_download_shows_relations(client: FlaskClient) -> None:
    _login(client, "lokaludvalg@example.org", DEMO_PASSWORD)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert data["organisations"] == ["Østerbro Lokaludvalg"]
    _login(client, "member@example.org", DEMO_PASSWORD)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert data["memberships"] and data["memberships"][0]["assembly"]


def test_my_data_needs_a_login(client: FlaskClient) -> None:
    for path in ("/account/data.json", "/account/data.csv", "/account/delete"):
        assert client.get(path).status_code == 302


# --- Pages ----------------------------------------------------------------------------------------


def test_house_rules_in_danish_and_english(client: FlaskClient) -> None:
    assert "Husregler" in client.get("/house-rules").get_data(as_text=True)
    client.set_cookie("samling-lang", "en")
    html = client.get("/house-rules").get_data(as_text=True)
    assert "House rules" in html and "not proof" in html


def test_login_links_to_signup_and_reset(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert "/signup" in html and "/account/reset" in html
