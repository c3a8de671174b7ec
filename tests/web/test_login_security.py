"""Login hardening (issue #14, ADR 0102): sessions end on the server, no account enumeration,
throttling without a lock-out, `next` stays on the site."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie
from sqlalchemy import func, select

from portal import accounts
from portal.demo import DEMO_PASSWORD
from portal.models import LoginSession, User
from tests.conftest import NOW, make_test_app

ADDR = "10.20.0.1"


def _login(client: FlaskClient, email: str, password: str, addr: str = ADDR):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def _session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("samling")
    assert cookie is not None
    return cookie.value


def _sessions_of(app: Flask, email: str) -> int:
    """Counted outside an app context: the `db` fixture's context would share `g` (and so the
    logged-in user) between the test clients' requests and hide what the server really does."""
    with app.extensions["sessionmaker"]() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        return db.scalar(select(func.count()).where(LoginSession.user_id == user.id)) or 0


def _user(app: Flask, email: str) -> User:
    with app.extensions["sessionmaker"]() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        return user


# --- Sessions end on the server -----------------------------------------------------------------


def test_a_captured_session_cookie_is_dead_after_logout(app: Flask, client: FlaskClient) -> None:
    assert _login(client, "resident@example.org", DEMO_PASSWORD).status_code == 302
    captured = _session_cookie(client)
    assert _sessions_of(app, "resident@example.org") == 1
    thief = app.test_client()
    thief.set_cookie("samling", captured)
    assert thief.get("/account").status_code == 200  # the stolen cookie works while logged in
    assert client.post("/logout").status_code == 302
    assert _sessions_of(app, "resident@example.org") == 0
    replay = app.test_client()
    replay.set_cookie("samling", captured)
    response = replay.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remember_cookie_cannot_bring_a_session_back(app: Flask, client: FlaskClient) -> None:
    _login(client, "resident@example.org", DEMO_PASSWORD)
    user = _user(app, "resident@example.org")
    client.post("/logout")
    forged = app.test_client()
    with app.test_request_context():
        value = encode_cookie(user.get_id())  # signed with the app's secret, as flask-login does
    forged.set_cookie(app.config["REMEMBER_COOKIE_NAME"], value)
    assert forged.get("/account").status_code == 302


def test_each_login_is_its_own_session(app: Flask) -> None:
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop, "resident@example.org", DEMO_PASSWORD)
    _login(phone, "resident@example.org", DEMO_PASSWORD)
    assert _sessions_of(app, "resident@example.org") == 2
    laptop.post("/logout")
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 200  # logging out one browser leaves the other


def test_log_out_everywhere_ends_every_session(app: Flask) -> None:
    a, b = app.test_client(), app.test_client()
    for c in (a, b):
        _login(c, "resident@example.org", DEMO_PASSWORD)
    captured = _session_cookie(b)
    assert a.post("/account/sessions/end").status_code == 302
    assert _sessions_of(app, "resident@example.org") == 0
    replay = app.test_client()
    replay.set_cookie("samling", captured)
    assert replay.get("/account").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app: Flask) -> None:
    here, there = app.test_client(), app.test_client()
    for c in (here, there):
        _login(c, "council@example.org", DEMO_PASSWORD)
    ok = here.post(
        "/account/password",
        data={"current_password": DEMO_PASSWORD, "new_password": "tre grønne cykler på torvet"},
    )
    assert ok.status_code == 302
    assert here.get("/account").status_code == 200
    assert there.get("/account").status_code == 302
    assert _sessions_of(app, "council@example.org") == 1


def test_sessions_expire_after_their_lifetime(app: Flask, client: FlaskClient) -> None:
    _login(client, "resident@example.org", DEMO_PASSWORD)
    app.config["NOW"] = NOW + timedelta(days=accounts.SESSION_DAYS, minutes=1)
    assert client.get("/account").status_code == 302


# --- No account enumeration -----------------------------------------------------------------------


def _body(response) -> str:  # type: ignore[no-untyped-def]
    """The page without the parts that differ per request (CSRF token, the typed address)."""
    html = re.sub(r"[\w.-]{40,}", "TOKEN", response.get_data(as_text=True))
    return html.replace("nobody@example.org", "X").replace("member@example.org", "X")


def test_unknown_wrong_and_disabled_accounts_get_the_same_answer(app: Flask) -> None:
    with app.extensions["sessionmaker"]() as db:
        disabled = db.scalar(select(User).where(User.email == "member2@example.org"))
        assert disabled is not None
        disabled.active = False
        db.commit()
    unknown = _login(app.test_client(), "nobody@example.org", "wrong-password-1")
    wrong = _login(app.test_client(), "member@example.org", "wrong-password-1")
    off = _login(app.test_client(), "member2@example.org", DEMO_PASSWORD)
    assert unknown.status_code == wrong.status_code == off.status_code == 401
    assert _body(unknown) == _body(wrong)
    assert _body(off).replace("member2@example.org", "X") == _body(wrong)


def test_unknown_addresses_are_checked_against_a_dummy_hash(app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Equal timing: a password hash is verified whether or not the account exists."""
    checked: list[str] = []
    real = accounts.verify_password

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "verify_password", spy)
    _login(app.test_client(), "nobody@example.org", "wrong-password-1")
    _login(app.test_client(), "member@example.org", "wrong-password-1")
    assert len(checked) == 2 and all(s.startswith("$argon2id$") for s in checked)


def test_throttled_answers_are_the_same_for_known_and_unknown_accounts(app: Flask) -> None:
    client = app.test_client()
    for email in ("nobody@example.org", "member@example.org"):
        for i in range(5):
            assert _login(client, email, f"wrong-password-{i}").status_code == 401
    unknown = _login(client, "nobody@example.org", "wrong-password-9")
    known = _login(client, "member@example.org", "wrong-password-9")
    assert "Vent 1 sekunder" in unknown.get_data(as_text=True)
    assert _body(unknown) == _body(known)


# --- Throttling, never a lock-out -----------------------------------------------------------------


def test_repeated_guesses_wait_longer_and_longer(app: Flask) -> None:
    client = app.test_client()
    for i in range(5):
        _login(client, "member@example.org", f"wrong-password-{i}")
    # Five failures are free; now each try waits 1 s, 2 s, 4 s … after the last failure.
    early = _login(client, "member@example.org", DEMO_PASSWORD)
    assert early.status_code == 401 and "Vent 1 sekunder" in early.get_data(as_text=True)
    app.config["NOW"] = NOW + timedelta(seconds=1)
    assert _login(client, "member@example.org", "wrong-password-5").status_code == 401
    app.config["NOW"] = NOW + timedelta(seconds=2)
    slowed = _login(client, "member@example.org", "wrong-password-6")
    assert "Vent 1 sekunder" in slowed.get_data(as_text=True)  # 2 s after the 6th failure
    app.config["NOW"] = NOW + timedelta(seconds=3)
    assert _login(client, "member@example.org", DEMO_PASSWORD).status_code == 302


def test_the_delay_never_exceeds_the_window(app: Flask) -> None:
    limits = accounts.LoginLimits()
    assert limits.delay(4, 5) == timedelta(0)
    assert limits.delay(5, 5) == timedelta(seconds=1)
    assert limits.delay(8, 5) == timedelta(seconds=8)
    assert limits.delay(500, 5) == timedelta(minutes=15)


def test_an_attack_from_elsewhere_does_not_keep_the_owner_out(app: Flask) -> None:
    owner = app.test_client()
    assert _login(owner, "resident@example.org", DEMO_PASSWORD, addr="10.1.1.1").status_code == 302
    owner.post("/logout")
    attacker = app.test_client()
    for i in range(40):  # many addresses, one account: the account throttle engages
        _login(attacker, "resident@example.org", f"guess-{i}-xxxxxxx", addr=f"10.66.{i}.1")
    stranger = _login(app.test_client(), "resident@example.org", DEMO_PASSWORD, addr="10.1.1.9")
    assert stranger.status_code == 401 and "Vent" in stranger.get_data(as_text=True)
    # The owner's browser logged in before (device cookie): it gets in at once.
    assert _login(owner, "resident@example.org", DEMO_PASSWORD, addr="10.1.1.1").status_code == 302


def test_failures_from_a_shared_address_do_not_refuse_everyone_behind_it(app: Flask) -> None:
    colleague = app.test_client()
    _login(colleague, "member@example.org", DEMO_PASSWORD, addr="10.9.9.9")
    colleague.post("/logout")
    guesser = app.test_client()
    for i in range(30):
        _login(guesser, f"guess{i}@example.org", "wrong-password-x", addr="10.9.9.9")
    # Known browsers behind the address get in; so does anyone whose own pair has no failures
    # once the address has waited out the delay; new accounts from the address are slowed.
    assert (
        _login(colleague, "member@example.org", DEMO_PASSWORD, addr="10.9.9.9").status_code == 302
    )
    slowed = _login(app.test_client(), "resident@example.org", DEMO_PASSWORD, addr="10.9.9.9")
    assert slowed.status_code == 401 and "Vent" in slowed.get_data(as_text=True)
    assert (
        _login(
            app.test_client(), "resident@example.org", DEMO_PASSWORD, addr="10.9.9.10"
        ).status_code
        == 302
    )


def test_a_device_cookie_counts_only_for_its_own_account(app: Flask) -> None:
    attacker = app.test_client()
    _login(attacker, "member2@example.org", DEMO_PASSWORD)  # the attacker's own account
    for i in range(30):
        _login(attacker, "resident@example.org", f"guess-{i}-xxxxxxx", addr=f"10.77.{i}.1")
    refused = _login(attacker, "resident@example.org", DEMO_PASSWORD, addr="10.77.99.1")
    assert refused.status_code == 401 and "Vent" in refused.get_data(as_text=True)


def test_a_forged_device_cookie_is_ignored(app: Flask) -> None:
    assert accounts.read_device_token("secret", "not-a-token") is None
    assert accounts.read_device_token("other", accounts.device_token("secret", User(id=5))) is None
    assert accounts.read_device_token("secret", accounts.device_token("secret", User(id=5)))


def test_the_throttle_holds_across_workers(engine) -> None:  # type: ignore[no-untyped-def]
    """Counted in the database (ADR 0004): a second app instance sees the first one's failures."""
    first, close = make_test_app(engine)
    try:
        client = first.test_client()
        for i in range(6):
            _login(client, "member@example.org", f"wrong-password-{i}")
        assert "Vent" in _login(client, "member@example.org", DEMO_PASSWORD).get_data(as_text=True)
    finally:
        close()


# --- `next` stays on the site ---------------------------------------------------------------------


def test_next_never_leaves_the_site(client: FlaskClient) -> None:
    targets = (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/\tevil.example",
        "javascript:alert(1)",
    )
    for target in targets:
        response = client.post(
            "/login",
            data={"email": "resident@example.org", "password": DEMO_PASSWORD, "next": target},
        )
        assert response.headers["Location"] == "/mine", target
        client.post("/logout")
    ok = client.post(
        "/login",
        data={"email": "resident@example.org", "password": DEMO_PASSWORD, "next": "/account"},
    )
    assert ok.headers["Location"] == "/account"


def test_the_login_page_does_not_carry_a_foreign_next(client: FlaskClient) -> None:
    html = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    assert 'name="next" value=""' in html
    html = client.get("/login?next=/account").get_data(as_text=True)
    assert 'name="next" value="/account"' in html


def test_the_language_switch_stays_on_the_site(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] == "/", target
