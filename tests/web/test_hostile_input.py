"""Realistic hostile input never gives a 500: odd digits, huge numbers, NUL bytes, very long text.

Every route of the portal is called with such values in its path, query and form fields, as a
visitor and as the secretariat (who may use almost every form).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.demo import DEMO_PASSWORD

from ..conftest import DEMO_EMAILS

HOSTILE = [
    "²",
    "١٢",
    "-1",
    "9223372036854775808",
    "99999999999999999999999999999",
    "a\x00b",
    "\x00",
    "x" * 150,
    "x" * 5000,
]
FORM_VALUES = ["²", "9223372036854775808", "a\x00b", "x" * 150]
FIELDS = [
    "title", "text", "rationale", "message", "email", "password", "name", "first_name",
    "last_name", "address", "postcode", "phone", "code", "consent", "seed", "quotas", "level",
    "count", "spread", "mode", "retention_days", "group_id", "meeting_id", "member_ids",
    "base_revision_id", "availability", "answer-Region", "answer-Køn", "access_needs",
    "replacement_seed", "pinned", "closed", "page", "new_password", "current_password",
]  # fmt: skip
QUERY = ["page", "year", "phase", "status", "q", "proposal", "from", "to", "next"]
SKIP = {"static", "account.logout", "account.end_all_sessions", "public.switch_language"}


def _slug_for(rule: Rule) -> str:
    if rule.endpoint.startswith("members."):
        return "groent-byliv-indre-oesterbro"
    return "baeredygtigt-forbrug"


def _paths(rule: Rule) -> Iterator[str]:
    """The rule's path with ordinary values, then with each hostile value in each int part."""
    ordinary = {"slug": _slug_for(rule), "token": "no-such-token", "name": "quotas.csv"}
    parts = re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule)

    def build(values: dict[str, str]) -> str:
        path = rule.rule
        for converter, name in parts:
            placeholder = f"<{converter}:{name}>" if converter else f"<{name}>"
            path = path.replace(placeholder, values[name])
        return path

    base = {
        name: ("1" if converter == "int" else ordinary.get(name, "x")) for converter, name in parts
    }
    yield build(base)
    for converter, name in parts:
        for value in ("9223372036854775808", "99999999999999999999999", "%C2%B2", "%00"):
            if converter == "int" or value == "%00":
                yield build({**base, name: value})


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIP),
        key=lambda rule: rule.rule,
    )


def _client(app: Flask, role: str | None) -> FlaskClient:
    client = app.test_client()
    if role:
        response = client.post(
            "/login", data={"email": DEMO_EMAILS[role], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [None, "secretariat"])
def test_no_route_fails_on_hostile_input(app: Flask, role: str | None) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = _client(app, role)
    failures = []
    for rule in _routes(app):
        for path in _paths(rule):
            for method in sorted(rule.methods & {"GET", "POST"}):
                if method == "GET":  # every argument gets a different hostile value, twice
                    for shift in (0, 1):
                        query = {
                            k: HOSTILE[(i + shift) % len(HOSTILE)] for i, k in enumerate(QUERY)
                        }
                        response = client.get(path, query_string=query)
                        if response.status_code >= 500:
                            failures.append((method, path, str(query)[:40], response.status_code))
                    continue
                for value in FORM_VALUES:
                    response = client.post(path, data={k: value for k in FIELDS})
                    if response.status_code >= 500:
                        failures.append((method, path, value[:20], response.status_code))
    assert failures == []


def test_nul_bytes_are_dropped_from_what_was_typed(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from portal.models import Registrant

    from .test_registration import URL, valid

    data = valid(email="nul\x00@example.dk", first_name="I\x00da", access_needs="Trin\x00fri")
    assert client.post(URL, data=data).status_code == 302
    person = db.scalar(select(Registrant).where(Registrant.email == "nul@example.dk"))
    assert person.first_name == "Ida" and person.access_needs == "Trinfri"


@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "email", "phone", "address", "access_needs", "code"]
)
def test_long_values_in_the_registration_form(client: FlaskClient, field: str) -> None:
    from .test_registration import URL, valid

    long_value = "x" * 150 + ("@example.dk" if field == "email" else "")
    for value in (long_value, "y" * 5000):
        response = client.post(URL, data=valid(**{field: value}))
        assert response.status_code in (302, 422), (field, response.status_code)


def test_the_anonymous_login_form_with_nul_bytes(client: FlaskClient) -> None:
    for email, password in (("admin\x00@example.org", "x"), ("\x00", "\x00"), ("a" * 5000, "b")):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code in (200, 401, 422), response.status_code
