"""When things go wrong: database gone (503 with Retry-After), database file deleted (/healthz
fails), an expired form (shown again with the text kept), and what the log gets (no personal data)."""

from __future__ import annotations

import logging
import os
import re
import socket
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.db import make_engine
from portal.models import Base

from .test_registration import URL as REGISTER
from .test_registration import valid


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when we return: nobody listens there


@pytest.fixture
def unreachable() -> Flask:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nowhere"
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 40, "TESTING": False})


@pytest.mark.parametrize("path", ["/", "/assemblies", "/assemblies/baeredygtigt-forbrug"])
def test_unreachable_database_gives_503_in_the_portals_look(unreachable: Flask, path: str) -> None:
    response = unreachable.test_client().get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    html = response.get_data(as_text=True)
    assert "Portalen er midlertidigt utilgængelig" in html and "Samling" in html
    assert 'href="/static/' in html  # the portal's stylesheet: its look, not a bare error


def test_unreachable_database_on_a_form_post(unreachable: Flask) -> None:
    response = unreachable.test_client().post(REGISTER, data=valid())
    assert response.status_code == 503 and "Retry-After" in response.headers


def test_healthz_fails_when_the_sqlite_file_is_deleted(tmp_path: Path) -> None:
    path = tmp_path / "portal.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    app = create_app({"ENGINE": engine, "SECRET_KEY": "x" * 40, "TESTING": True})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    # The pooled connection still reads the deleted file; a new one would find an empty file.
    assert client.get("/healthz").status_code == 503
    engine.dispose()
    assert client.get("/healthz").status_code == 503
    engine.dispose()


@pytest.fixture
def csrf_app(engine) -> Flask:  # type: ignore[no-untyped-def]
    from ..conftest import make_test_app

    app, close = make_test_app(engine, WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=3600)
    yield app
    close()


def test_an_expired_form_comes_back_with_the_text_kept(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    page = client.get(REGISTER).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    data = valid(first_name="Ingeborg", access_needs="Høreslynge, tak", csrf_token="expired-token")
    response = client.post(REGISTER, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Siden har været åben for længe" in html
    assert 'value="Ingeborg"' in html and "Høreslynge, tak" in html
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert fresh  # a new token, so sending again works
    again = client.post(REGISTER, data={**data, "csrf_token": fresh.group(1)})
    assert again.status_code == 302


def test_an_expired_login_form_keeps_the_email_but_never_the_password(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    client.get("/login")
    response = client.post(
        "/login", data={"email": "ida@example.dk", "password": "hemmelig-kode-123"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ida@example.dk" in html
    assert "hemmelig-kode-123" not in html


def test_errors_are_logged_with_route_and_request_id_without_personal_data(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/boom/<token>")
    def boom(token: str) -> str:
        raise RuntimeError("boom")

    with caplog.at_level(logging.INFO):
        response = client.post(
            "/boom/secret-token-123",
            data={"email": "ida.holm@example.dk", "first_name": "Ida"},
            headers={"X-Request-ID": "req-42"},
        )
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "req-42"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, caplog.text
    record = errors[0]
    assert record.request_id == "req-42" and record.route == "/boom/<token>"  # type: ignore[attr-defined]
    assert record.exc_info is not None
    assert "ida.holm" not in caplog.text and "secret-token-123" not in caplog.text


def test_database_errors_in_the_log_carry_no_parameters(
    committing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """SQL parameters (e-mails, names) stay out of error messages (hide_parameters)."""
    from sqlalchemy import text

    with (
        committing_app.app_context(),
        committing_app.extensions["sessionmaker"]() as session,
        pytest.raises(Exception) as raised,
    ):
        session.execute(text("SELECT * FROM no_such_table WHERE email = :e"), {"e": "x@y.dk"})
    assert "x@y.dk" not in str(raised.value)
