"""Accounts: logout, revocation, password policy, CSRF, secure cookies (throttle and server-side
sessions: tests/web/test_login_security.py)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from portal.demo import DEMO_PASSWORD
from tests.conftest import csrf_token_from, make_test_app


def _login(client: FlaskClient, email: str, password: str, addr: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def test_login_and_logout(client: FlaskClient) -> None:
    response = _login(client, "resident@example.org", DEMO_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/mine"
    html = client.get("/mine").get_data(as_text=True)
    assert "Rasmus Borger" in html and "Log ud" in html
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302  # back to the login page


def test_wrong_password_says_so_without_revealing_the_account(client: FlaskClient) -> None:
    wrong = _login(client, "resident@example.org", "forkert-adgangskode")
    unknown = _login(client, "nobody@example.org", "forkert-adgangskode")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        html = response.get_data(as_text=True)
        assert "E-mail eller adgangskode er forkert." in html
        assert 'role="alert"' in html
        assert "forkert-adgangskode" not in html  # the password is never echoed
    assert 'value="resident@example.org"' in wrong.get_data(as_text=True)  # the e-mail is kept


def test_login_redirects_only_to_local_next(client: FlaskClient) -> None:
    response = client.post(
        "/login",
        data={
            "email": "resident@example.org",
            "password": DEMO_PASSWORD,
            "next": "https://evil.example",
        },
    )
    assert response.headers["Location"] == "/mine"


def test_password_change_enforces_policy_and_ends_other_sessions(engine) -> None:  # type: ignore[no-untyped-def]
    app, close = make_test_app(engine)
    try:
        laptop, phone = app.test_client(), app.test_client()
        for c in (laptop, phone):
            assert _login(c, "council@example.org", DEMO_PASSWORD).status_code == 302
        short = laptop.post(
            "/account/password", data={"current_password": DEMO_PASSWORD, "new_password": "kort"}
        )
        assert short.status_code == 422 and "mindst 12 tegn" in short.get_data(as_text=True)
        common = laptop.post(
            "/account/password",
            data={"current_password": DEMO_PASSWORD, "new_password": "Adgangskode123!"},
        )
        assert common.status_code == 422 and "for almindelig" in common.get_data(as_text=True)
        wrong = laptop.post(
            "/account/password",
            data={
                "current_password": "not-the-password",
                "new_password": "tre grønne cykler på torvet",
            },
        )
        assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in wrong.get_data(
            as_text=True
        )
        ok = laptop.post(
            "/account/password",
            data={"current_password": DEMO_PASSWORD, "new_password": "tre grønne cykler på torvet"},
        )
        assert ok.status_code == 302
        assert laptop.get("/account").status_code == 200  # this device stays in
        assert phone.get("/account").status_code == 302  # the other device is out
        assert (
            _login(
                app.test_client(), "council@example.org", "tre grønne cykler på torvet"
            ).status_code
            == 302
        )
    finally:
        close()


def test_log_out_everywhere(engine) -> None:  # type: ignore[no-untyped-def]
    app, close = make_test_app(engine)
    try:
        a, b = app.test_client(), app.test_client()
        for c in (a, b):
            _login(c, "resident@example.org", DEMO_PASSWORD)
        assert a.post("/account/sessions/end").status_code == 302
        assert a.get("/account").status_code == 302 and b.get("/account").status_code == 302
    finally:
        close()


def test_every_post_needs_a_csrf_token(engine) -> None:  # type: ignore[no-untyped-def]
    app, close = make_test_app(engine, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        refused = client.post(
            "/login", data={"email": "resident@example.org", "password": DEMO_PASSWORD}
        )
        assert refused.status_code == 400
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        ok = client.post(
            "/login",
            data={"email": "resident@example.org", "password": DEMO_PASSWORD, "csrf_token": token},
        )
        assert ok.status_code == 302
        assert client.post("/logout").status_code == 400  # logout is a POST and protected too
        html = client.get("/account").get_data(as_text=True)
        assert 'hx-headers=\'{"X-CSRFToken": "' in html
    finally:
        close()


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(engine, secure: bool) -> None:  # type: ignore[no-untyped-def]
    app, close = make_test_app(engine, SESSION_COOKIE_SECURE=secure)
    try:
        client = app.test_client()
        base = "https://localhost" if secure else "http://localhost"
        response = client.post(
            "/login",
            base_url=base,
            data={"email": "resident@example.org", "password": DEMO_PASSWORD},
        )
        cookies = response.headers.getlist("Set-Cookie")
        device = next(c for c in cookies if "samling-device=" in c)
        assert "HttpOnly" in device and "SameSite=Lax" in device
        assert ("Secure" in device and device.startswith("__Host-")) if secure else True
        cookie = next(c for c in cookies if "samling=" in c)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        if secure:
            assert (
                cookie.startswith("__Host-samling=")
                and "Secure" in cookie
                and "Domain" not in cookie
            )
        else:
            assert cookie.startswith("samling=")
    finally:
        close()


def test_logout_is_post_only(client: FlaskClient) -> None:
    assert client.get("/logout").status_code == 405


def test_a_form_refused_under_htmx_replaces_the_whole_page(client: FlaskClient) -> None:
    response = client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong-password"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 401
    assert (
        response.headers["HX-Retarget"] == "body" and response.headers["HX-Reswap"] == "outerHTML"
    )
    assert "E-mail eller adgangskode er forkert." in response.get_data(as_text=True)
    plain = client.post("/login", data={"email": "x@example.org", "password": "wrong-password"})
    assert "HX-Retarget" not in plain.headers
