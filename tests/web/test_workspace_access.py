"""Access matrix: no page or action of the workspace reaches anyone but members and facilitators.

Routes are enumerated from app.url_map, so a new workspace route is covered without editing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    MinorityStatement,
    Post,
    Recommendation,
    RecommendationRevision,
    Thread,
    User,
)
from portal.passwords import hash_password

from ..conftest import DEMO_EMAILS

SLUG = "groent-byliv-indre-oesterbro"
OUTSIDER = "outsider-member@example.org"


@pytest.fixture
def data(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction without an app context (each request gets its own)."""
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


@pytest.fixture
def ids(data: Session) -> dict[str, Any]:
    """Real ids of this assembly's things, so a refusal is never just a missing row."""
    assembly = data.scalar(select(Assembly).where(Assembly.slug == SLUG))
    assert assembly is not None
    thread = data.scalars(select(Thread).where(Thread.assembly_id == assembly.id)).first()
    assert thread is not None
    post = data.scalars(select(Post).where(Post.thread_id == thread.id)).first()
    rec = data.scalar(
        select(Recommendation).where(
            Recommendation.assembly_id == assembly.id, Recommendation.number == 1
        )
    )
    assert post is not None and rec is not None
    statement = data.scalars(
        select(MinorityStatement).where(MinorityStatement.recommendation_id == rec.id)
    ).first()
    revisions = data.scalars(
        select(RecommendationRevision.id).where(RecommendationRevision.recommendation_id == rec.id)
    ).all()
    assert statement is not None and len(revisions) >= 2
    return {
        "slug": SLUG,
        "thread_id": thread.id,
        "post_id": post.id,
        "number": 1,
        "statement_id": statement.id,
        "proposal_id": 1,  # the ledger checks who you are before it looks for the proposal
        "query": {"from": revisions[0], "to": revisions[-1]},
        "thread_title": thread.title,
    }


@pytest.fixture
def outsider(data: Session) -> Iterator[str]:
    """A member of another assembly (Middelalderbyen), with a login of their own."""
    other = data.scalar(select(Assembly).where(Assembly.slug == "middelalderbyen-2019"))
    assert other is not None
    user = User(
        email=OUTSIDER,
        display_name="Anden Borgersamling",
        password_hash=hash_password(DEMO_PASSWORD, "fast"),
    )
    data.add(user)
    data.flush()
    member = other.members[0]
    member.user_id = user.id
    data.commit()
    yield OUTSIDER


def workspace_routes(app: Flask) -> list[tuple[str, str]]:
    routes = [
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("members.")
        or (rule.endpoint.startswith("ledger.") and "/workspace" in rule.rule)
        for method in sorted((rule.methods or set()) & {"GET", "POST"})
    ]
    assert len(routes) >= 20, routes
    return routes


def url(rule: str, ids: dict[str, Any]) -> str:
    path = rule
    for name in ("slug", "thread_id", "post_id", "number", "statement_id", "proposal_id"):
        path = path.replace(f"<{name}>", str(ids[name])).replace(f"<int:{name}>", str(ids[name]))
    assert "<" not in path, path
    return path + "?from={from}&to={to}".format(**ids["query"])


def login(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.data


def request(client: FlaskClient, method: str, path: str) -> Any:
    data = {"text": "x", "title": "x", "level": "support", "name": "x", "minority_text": "x"}
    if method == "GET":
        return client.get(path)
    return client.post(path, data=data)


def test_every_route_is_in_the_matrix(app: Flask, ids: dict[str, Any]) -> None:
    covered = {rule for rule, _ in workspace_routes(app)}
    # A workspace address served by another blueprint would escape the matrix below.
    workspace_addresses = {r.rule for r in app.url_map.iter_rules() if "/workspace" in r.rule}
    assert workspace_addresses - covered == set()
    for rule in covered:  # every part of every address is one the matrix knows how to fill
        url(rule, ids)


def test_anonymous_visitors_get_the_login_page(app: Flask, ids: dict[str, Any]) -> None:
    client = app.test_client()
    for rule, method in workspace_routes(app):
        response = request(client, method, url(rule, ids))
        assert response.status_code == 302, (method, rule, response.status_code)
        assert "/login" in response.headers["Location"], (method, rule)


@pytest.mark.parametrize("who", ["resident", "committee", "council", "outsider"])
def test_outsiders_are_refused_everything(
    app: Flask, ids: dict[str, Any], outsider: str, who: str
) -> None:
    client = app.test_client()
    login(client, outsider if who == "outsider" else DEMO_EMAILS[who])
    for rule, method in workspace_routes(app):
        response = request(client, method, url(rule, ids))
        assert response.status_code in (403, 404), (who, method, rule, response.status_code)
        assert ids["thread_title"] not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_members_and_facilitators_get_every_page(app: Flask, ids: dict[str, Any], who: str) -> None:
    client = app.test_client()
    login(client, DEMO_EMAILS[who])
    for rule, method in workspace_routes(app):
        if method == "GET" and rule not in AUTHOR_ONLY:
            response = client.get(url(rule, ids))
            assert response.status_code in (200, 303), (who, rule, response.status_code)


# A post's edit form is its author's alone, and only for a while (tests/web/test_workspace.py:
# others get 403, the author after the grace period is sent back to the thread).
AUTHOR_ONLY = {"/assemblies/<slug>/workspace/posts/<int:post_id>/edit"}


def test_unknown_assembly_is_not_found(login_as: Any) -> None:
    client = login_as("member")
    assert client.get("/assemblies/findes-ikke/workspace").status_code == 404
