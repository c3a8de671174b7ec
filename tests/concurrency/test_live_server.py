"""200 simultaneous sign-ups against a real threaded server: each stored once or refused, no 5xx."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.models import Registrant

from ..conftest import app_committing_to, new_database
from ..web.test_registration import URL, valid
from .helpers import together

SIGN_UPS = 200


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, int]]:
    """The portal behind one (pretend) reverse proxy, on a free loopback port."""
    engine, drop = new_database(tmp_path_factory)
    app = app_committing_to(engine, TRUSTED_PROXIES=1)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        drop()


def sign_up(port: int, i: int) -> tuple[int, str]:
    body = urlencode(valid(email=f"samtidig{i}@example.dk"), doseq=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    try:
        connection.request(
            "POST",
            URL,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"198.18.{i // 250}.{i % 250 + 1}",
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_two_hundred_simultaneous_sign_ups(served: tuple[Flask, int]) -> None:
    app, port = served
    results = together(SIGN_UPS, lambda i: sign_up(port, i))
    statuses = [status for status, _ in results]
    assert not [s for s in statuses if s >= 500], statuses
    stored = {i for i, (status, _) in enumerate(results) if status == 302}
    for status, html in results:
        if status != 302:  # refused: with a reason on the page
            assert status in (409, 422) and 'class="alert alert-error"' in html, (
                status,
                html[:300],
            )
    with app.extensions["sessionmaker"]() as session:
        emails = session.scalars(
            select(Registrant.email).where(Registrant.email.like("samtidig%"))
        ).all()
        total = session.scalar(
            select(func.count()).select_from(Registrant).where(Registrant.email.like("samtidig%"))
        )
    assert sorted(emails) == sorted(f"samtidig{i}@example.dk" for i in stored)
    assert total == len(stored) == SIGN_UPS  # distinct people, distinct addresses: all welcome
