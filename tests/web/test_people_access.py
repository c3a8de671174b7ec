"""Access matrix over every new people route: only the right role gets in.

Routes are enumerated from app.url_map, so a route added to these blueprints is covered here.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.demo import DEMO_PASSWORD
from portal.models import Body, Facilitator, Member, Organisation, User

from ..conftest import DEMO_EMAILS

SLUG = "groent-byliv-indre-oesterbro"
ADMIN_ONLY = "admin."
SECRETARIAT = "secretariat_people."


def routes(app: Flask, prefix: str) -> list[tuple[str, str]]:
    found = [
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(prefix)
        for method in sorted((rule.methods or set()) & {"GET", "POST"})
    ]
    assert found, prefix
    return found


@pytest.fixture
def ids(app: Flask) -> dict[str, Any]:
    with app.app_context():
        session = app.extensions["sessionmaker"]()
        council = session.scalar(select(User).where(User.email == "council@example.org"))
        member = session.scalar(select(Member).where(Member.user_id.is_not(None)))
        ids = {
            "slug": SLUG,
            "user_id": council.id,
            "body_id": session.scalar(select(Body.id)),
            "organisation_id": session.scalar(select(Organisation.id)),
            "person_id": 1,
            "member_id": member.id,
            "facilitator_id": session.scalar(select(Facilitator.id)),
        }
        session.close()
    return ids


def url(rule: str, ids: dict[str, Any]) -> str:
    path = rule
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in path, path
    return path


def call(client: FlaskClient, method: str, path: str) -> Any:
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"email": "x", "name": "", "roles": [], "active": "yes"})


def login(client: FlaskClient, who: str) -> FlaskClient:
    response = client.post("/login", data={"email": DEMO_EMAILS[who], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("prefix", [ADMIN_ONLY, SECRETARIAT, "mypage."])
def test_anonymous_visitors_get_the_login_page(
    app: Flask, ids: dict[str, Any], prefix: str
) -> None:
    client = app.test_client()
    for rule, method in routes(app, prefix):
        response = call(client, method, url(rule, ids))
        assert response.status_code == 302, (rule, method)
        assert "/login" in response.headers["Location"], (rule, method)


@pytest.mark.parametrize("who", ["secretariat", "member", "committee", "council", "resident"])
def test_only_admins_reach_the_admin_pages(app: Flask, ids: dict[str, Any], who: str) -> None:
    client = login(app.test_client(), who)
    for rule, method in routes(app, ADMIN_ONLY):
        assert call(client, method, url(rule, ids)).status_code == 403, (who, rule, method)


@pytest.mark.parametrize("who", ["member", "committee", "council", "resident"])
def test_only_the_secretariat_and_admins_reach_people_pages(
    app: Flask, ids: dict[str, Any], who: str
) -> None:
    client = login(app.test_client(), who)
    for rule, method in routes(app, SECRETARIAT):
        response = call(client, method, url(rule, ids))
        assert response.status_code == 403, (who, rule, method)
        assert b"@example.org" not in response.data


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_the_secretariat_and_admins_get_every_people_page(
    app: Flask, ids: dict[str, Any], who: str
) -> None:
    client = login(app.test_client(), who)
    for rule, method in routes(app, SECRETARIAT):
        if method == "GET":
            assert client.get(url(rule, ids)).status_code == 200, (who, rule)


def test_admins_get_every_admin_page(app: Flask, ids: dict[str, Any]) -> None:
    client = login(app.test_client(), "admin")
    for rule, method in routes(app, ADMIN_ONLY):
        if method == "GET":
            assert client.get(url(rule, ids)).status_code == 200, rule


@pytest.mark.parametrize("who", list(DEMO_EMAILS))
def test_every_role_has_a_start_page(app: Flask, who: str) -> None:
    client = login(app.test_client(), who)
    response = client.get("/mine")
    assert response.status_code == 200 and b"Min side" in response.data
