"""Load without loss against a real threaded server on loopback (SQLite, or PostgreSQL with
PORTAL_TEST_DATABASE_URL): 200 simultaneous sign-ups for a draw and 50 simultaneous edits of one
recommendation. Every accepted submission is stored exactly once, every refused one is told why
(edits: the merge view), no update is lost and nothing answers 5xx.

The 200 simultaneous resident comments belong here too, once comments exist: a test in the same
shape (post together, then count the stored comments against the 2xx/3xx answers).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.demo import DEMO_PASSWORD
from portal.models import Recommendation, RecommendationRevision, Registrant

from ..conftest import app_committing_to, new_database
from ..web.test_registration import URL, valid
from .helpers import Reply, log_in, request, together

pytestmark = pytest.mark.hostile

SIGN_UPS = 200
EDITS = 50
WORKSPACE = "/assemblies/groent-byliv-indre-oesterbro/workspace/recommendations/1"
REC_TITLE = "Lommeparker i sidegaderne"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, int]]:
    """The portal behind one (pretend) reverse proxy, on a free loopback port."""
    engine, drop = new_database(tmp_path_factory)
    app = app_committing_to(engine, TRUSTED_PROXIES=1)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.socket.listen(1024)  # as gunicorn's backlog (2048): a burst waits, it is not refused
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        drop()


def no_server_errors(replies: list[Reply]) -> None:
    errors = [(r.status, r.text[:200]) for r in replies if r.status >= 500]
    assert not errors, errors


def sign_up(port: int, i: int) -> Reply:
    return request(
        port,
        "POST",
        URL,
        valid(email=f"samtidig{i}@example.dk"),
        headers={"X-Forwarded-For": f"198.18.{i // 250}.{i % 250 + 1}"},
    )


def test_two_hundred_simultaneous_sign_ups(served: tuple[Flask, int]) -> None:
    app, port = served
    results = together(SIGN_UPS, lambda i: sign_up(port, i))
    no_server_errors(results)
    stored = {i for i, reply in enumerate(results) if reply.status == 302}
    for reply in results:
        if reply.status != 302:  # refused: with a reason on the page
            assert reply.status in (409, 422) and 'class="alert alert-error"' in reply.text, (
                reply.status,
                reply.text[:300],
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


BASE_ID = re.compile(r'name="base_revision_id" value="(\d+)"')


def revisions(app: Flask) -> list[RecommendationRevision]:
    with app.extensions["sessionmaker"]() as session:
        rec = session.scalar(select(Recommendation).where(Recommendation.title == REC_TITLE))
        assert rec is not None
        return sorted(rec.revisions, key=lambda r: r.id)


def edit_together(port: int, cookies: list[str], base: int, texts: list[str]) -> list[Reply]:
    """Every client saves its text on the same base revision at the same moment."""

    def save(i: int) -> Reply:
        form = {"base_revision_id": str(base), "title": REC_TITLE, "text": texts[i]}
        return request(port, "POST", f"{WORKSPACE}/revisions", form, cookie=cookies[i])

    return together(len(cookies), save)


def check_round(app: Flask, replies: list[Reply], texts: list[str], base: int) -> int:
    """One stored (302) on top of `base`, every other refused with the merge view; the winner."""
    no_server_errors(replies)
    stored = [i for i, r in enumerate(replies) if r.status == 302]
    assert len(stored) == 1, [r.status for r in replies]  # all on one base: exactly one fits
    winner = stored[0]
    head = revisions(app)[-1]
    assert head.parent_id == base and head.text == texts[winner]  # the winner's text, whole
    for i, reply in enumerate(replies):
        if i == winner:
            continue
        assert reply.status == 409, (reply.status, reply.text[:300])
        assert "En anden har gemt imens" in reply.text  # the reason
        # The merge view: the latest revision to save on, and this client's own text (not lost).
        assert BASE_ID.findall(reply.text)[0] == str(head.id)
        assert texts[i] in reply.text
    return winner


def test_fifty_simultaneous_edits_of_one_recommendation(served: tuple[Flask, int]) -> None:
    app, port = served
    cookies = [log_in(port, "member@example.org", DEMO_PASSWORD) for _ in range(EDITS)]
    form = request(port, "GET", f"{WORKSPACE}/edit", cookie=cookies[0])
    assert form.status == 200, form.text[:300]
    base = int(BASE_ID.findall(form.text)[0])
    before = revisions(app)
    assert before[-1].id == base
    texts = [f"{before[-1].text} Ændring nummer {i} fra et samtidigt medlem." for i in range(EDITS)]

    winner = check_round(app, edit_together(port, cookies, base, texts), texts, base)
    # The refused save again from their merge view, on the revision it named: again one lands.
    second_base = revisions(app)[-1].id
    others = [i for i in range(EDITS) if i != winner]
    again = [f"{texts[winner]} Og nummer {i} igen." for i in others]
    replies = edit_together(port, [cookies[i] for i in others], second_base, again)
    check_round(app, replies, again, second_base)

    after = revisions(app)
    assert len(after) == len(before) + 2  # one revision per stored save, none lost or doubled
    chain = [r.parent_id for r in after[len(before) :]]
    assert chain == [base, second_base]  # a straight line: nobody overwrote anybody
