"""200 residents comment at the same moment on a real threaded server (issue 14): every comment
is stored once, on the paragraph it was written on, and nobody gets a server error."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.demo import DEMO_PASSWORD
from portal.models import Comment, User
from portal.passwords import hash_password

from ..conftest import NOW, app_committing_to, new_database
from ..consultation_helpers import REC_URL
from .helpers import together

COMMENTERS = 200
pytestmark = pytest.mark.hostile


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, int]]:
    engine, drop = new_database(tmp_path_factory)
    app = app_committing_to(engine)
    with app.extensions["write_sessionmaker"]() as session:
        password = hash_password(DEMO_PASSWORD, "fast")
        session.add_all(
            User(
                email=f"samtidig{i}@example.org",
                display_name=f"Samtidig {i}",
                password_hash=password,
                email_verified_at=NOW - timedelta(days=1),
            )
            for i in range(COMMENTERS)
        )
        session.commit()
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


def request(
    port: int, path: str, form: dict[str, str], cookie: str = ""
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("POST", path, body=urlencode(form), headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def log_in(port: int, i: int) -> str:
    response = request(
        port, "/login", {"email": f"samtidig{i}@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status == 302
    # Login sets the session cookie and a device cookie (the throttle's); send both back.
    cookies = response.headers.get_all("Set-Cookie") or []
    assert any(c.startswith("samling=") for c in cookies), cookies
    return "; ".join(c.split(";", 1)[0] for c in cookies)


def test_two_hundred_simultaneous_comments(served: tuple[Flask, int]) -> None:
    app, port = served
    cookies = [log_in(port, i) for i in range(COMMENTERS)]
    with app.extensions["sessionmaker"]() as session:
        before = session.scalar(select(func.count(Comment.id))) or 0

    def comment(i: int) -> int:
        form = {"text": f"Samtidig kommentar {i}", "paragraph": str(i % 4 + 1)}
        return request(port, f"{REC_URL}/1/comments", form, cookies[i]).status

    statuses = together(COMMENTERS, comment)
    assert statuses == [302] * COMMENTERS, sorted(set(statuses))
    with app.extensions["sessionmaker"]() as session:
        rows = session.execute(
            select(Comment.text, Comment.paragraph, User.email)
            .join(User, User.id == Comment.author_id)
            .where(Comment.text.like("Samtidig kommentar %"))
        ).all()
        after = session.scalar(select(func.count(Comment.id)))
    assert after == before + COMMENTERS
    assert sorted(rows) == sorted(
        (f"Samtidig kommentar {i}", i % 4 + 1, f"samtidig{i}@example.org")
        for i in range(COMMENTERS)
    )
