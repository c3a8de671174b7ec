"""Races closed in the database: concurrent requests, each in its own real transaction.

Every test posts from many threads at once against an app whose requests really commit
(SQLite, or PostgreSQL with PORTAL_TEST_DATABASE_URL), and then counts what was stored.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.demo import DEMO_PASSWORD
from portal.models import Assembly, Recommendation, Registrant, SupportVote

from ..web.test_registration import URL as REGISTER
from ..web.test_registration import valid
from .helpers import together

WS = "/assemblies/groent-byliv-indre-oesterbro/workspace"


def post_from(app: Flask, address: str, url: str, data: dict[str, Any]) -> tuple[int, str]:
    client = app.test_client()
    response = client.post(url, data=data, environ_base={"REMOTE_ADDR": address})
    return response.status_code, response.get_data(as_text=True)


def login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def count(app: Flask, query: Any) -> int:
    with app.extensions["sessionmaker"]() as session:
        return int(session.scalar(query) or 0)


def test_one_active_registration_per_email(committing_app: Flask) -> None:
    email = "samme.person@example.dk"
    results = together(
        20, lambda i: post_from(committing_app, f"10.20.0.{i}", REGISTER, valid(email=email))
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [302] + [422] * 19, statuses
    refused = [html for status, html in results if status == 422]
    assert all("allerede en tilmelding med den e-mailadresse" in html for html in refused)
    stored = select(func.count()).select_from(Registrant).where(Registrant.email == email)
    assert count(committing_app, stored) == 1


def test_per_address_limit_holds_exactly(committing_app: Flask) -> None:
    limit = committing_app.config["REGISTRATION_LIMIT_PER_ADDRESS"]
    results = together(
        limit + 4,
        lambda i: post_from(
            committing_app, "10.30.0.1", REGISTER, valid(email=f"grænse{i}@example.dk")
        ),
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [302] * limit + [422] * 4, statuses
    assert all("For mange tilmeldinger" in html for status, html in results if status == 422)
    stored = select(func.count()).select_from(Registrant).where(Registrant.email.like("grænse%"))
    assert count(committing_app, stored) == limit


def _assembly_id(app: Flask, slug: str) -> int:
    with app.extensions["sessionmaker"]() as session:
        return int(session.scalar(select(Assembly.id).where(Assembly.slug == slug)) or 0)


def test_simultaneous_new_recommendations_all_get_a_number(committing_app: Flask) -> None:
    clients = [login(committing_app, "member@example.org") for _ in range(20)]

    def create(i: int) -> int:
        data = {"title": f"Samtidig {i}", "text": f"Tekst nummer {i}, ikke tabt."}
        return clients[i].post(f"{WS}/recommendations", data=data).status_code

    assert together(20, create) == [302] * 20
    assembly_id = _assembly_id(committing_app, "groent-byliv-indre-oesterbro")
    with committing_app.extensions["sessionmaker"]() as session:
        rows = session.execute(
            select(Recommendation.number, Recommendation.title, Recommendation.text).where(
                Recommendation.assembly_id == assembly_id,
                Recommendation.title.like("Samtidig %"),
            )
        ).all()
    assert len({number for number, _, _ in rows}) == 20
    assert {(title, text) for _, title, text in rows} == {
        (f"Samtidig {i}", f"Tekst nummer {i}, ikke tabt.") for i in range(20)
    }


def test_simultaneous_support_votes_by_one_member(committing_app: Flask) -> None:
    first = login(committing_app, "member@example.org")
    created = first.post(f"{WS}/recommendations", data={"title": "Stemmes om", "text": "Ja."})
    url = created.headers["Location"].split("#")[0]
    clients = [login(committing_app, "member@example.org") for _ in range(10)]
    levels = ["support", "can_live_with", "cannot_support"]

    def vote(i: int) -> int:
        return clients[i].post(f"{url}/support", data={"level": levels[i % 3]}).status_code

    assert together(10, vote) == [303] * 10
    with committing_app.extensions["sessionmaker"]() as session:
        rec_id = session.scalar(
            select(Recommendation.id).where(Recommendation.title == "Stemmes om")
        )
        votes = session.scalars(
            select(SupportVote).where(SupportVote.recommendation_id == rec_id)
        ).all()
    assert len(votes) == 1 and votes[0].level in levels


def test_the_database_itself_refuses_a_second_active_sign_up(db) -> None:  # type: ignore[no-untyped-def]
    """The partial unique index, without the Python check: withdrawn and blanked rows do not count."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from portal.models import RegistrantStatus

    from ..conftest import NOW

    assembly_id = db.scalar(select(Assembly.id).where(Assembly.slug == "baeredygtigt-forbrug"))

    def person(token: str) -> Registrant:
        return Registrant(
            assembly_id=assembly_id,
            public_id=token[:8],
            first_name="A",
            last_name="B",
            email="index@example.dk",
            address="Gade 1",
            postcode="5000",
            household_key=token,
            consent_at=NOW,
            token=token,
        )

    first = person("tok-one-1")
    db.add(first)
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(person("tok-two-2"))
    first.status = RegistrantStatus.WITHDRAWN
    db.flush()
    second = person("tok-thr-3")
    db.add(second)
    db.flush()  # allowed: the first one withdrew
    second.blanked_at = NOW
    db.add(person("tok-fou-4"))
    db.flush()  # allowed: the second one's data was blanked
