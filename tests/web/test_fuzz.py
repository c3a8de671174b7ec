"""Malformed requests to the public routes and forms: a 4xx with a message or a normal page, never 5xx.

The routes come from the access matrix (every route open to everyone or to a personal link), so a
new public route is fuzzed without editing here. Marked `hostile` (run by `make test-hostile`).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .test_access_matrix import (
    ACCESS,
    EVERYONE,
    PERSONAL_LINK,
    Call,
    _login,
    calls,
    data,
    values,
)

pytestmark = pytest.mark.hostile
__all__ = ["data", "values"]  # fixtures used through the imported `values`

PUBLIC = {EVERYONE, PERSONAL_LINK}
QUERY_NAMES = ["page", "q", "phase", "kind", "status", "year", "date", "from", "to", "next"]
NUMBERS = ["-1", "0", "-99999999999999999999", "99999999999999999999999", "abc", "1.5", "1e9", ""]
DATES = ["2026-13-45", "0000-00-00", "9999-99-99", "31/12/2026", "i går", "2026-02-30T25:61"]
ODD = [
    "\u202eevil\u202c",  # right-to-left override
    "\ufeffbom",
    "𝕊𝕒𝕞𝕝𝕚𝕟𝕘 😀",
    "e\u0301" * 500,  # combining accents
    "\x00nul",
    "ﷺ" * 200,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%s%n",
]
INVALID_UTF8 = [b"%ff%fe%fd", b"%c3%28", b"%ed%a0%80", b"%f8%88%80%80%80", b"%e2%82"]


def _ok(response: Any) -> str | None:
    """What is wrong with the answer, or None: 2xx/3xx, or 4xx with a page that says something."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if status >= 400:
        text = response.get_data(as_text=True)
        if response.mimetype == "text/html" and "<h1" not in text:
            return f"{status} without a message"
    return None


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield app.test_client()


@pytest.fixture
def public_calls(app: Flask, values: dict[str, dict[str, Any]]) -> list[Call]:
    found = [c for c in calls(app, values) if ACCESS.get(c.endpoint) in PUBLIC]
    assert len({c.endpoint for c in found}) >= 20
    return [c for c in found if c.endpoint not in {"account.logout", "static"}]


def _gets(public_calls: list[Call]) -> list[Call]:
    return [c for c in public_calls if c.method == "GET"]


def _posts(public_calls: list[Call]) -> list[Call]:
    return [c for c in public_calls if c.method == "POST"]


def test_query_values(client: FlaskClient, public_calls: list[Call]) -> None:
    failures = []
    for call in _gets(public_calls):
        base = call.path.split("?")[0]
        for values_ in (NUMBERS, DATES, ODD):
            for i in range(len(values_)):
                query = {k: values_[(i + n) % len(values_)] for n, k in enumerate(QUERY_NAMES)}
                problem = _ok(client.get(base, query_string=query))
                if problem:
                    failures.append(f"GET {base} {str(query)[:60]}: {problem}")
    assert not failures, "\n".join(failures)


def test_invalid_utf8_and_long_query_strings(client: FlaskClient, public_calls: list[Call]) -> None:
    failures = []
    for call in _gets(public_calls):
        base = call.path.split("?")[0]
        raw = [b"&".join(k + b"=" + bad for k in (b"page", b"q", b"next", b"from"))
               for bad in INVALID_UTF8]  # fmt: skip
        raw += [b"q=" + b"a" * 100_000, b"page=1&" * 5_000, b"%" * 1000, b"=&=&&==" * 100]
        for query in raw:
            problem = _ok(client.get(base, query_string=query.decode("ascii")))
            if problem:
                failures.append(f"GET {base}?{query[:40]!r}: {problem}")
        # Invalid UTF-8 in the path itself.
        problem = _ok(client.get(base + "%ff%c3%28"))
        if problem:
            failures.append(f"GET {base}%ff: {problem}")
    assert not failures, "\n".join(failures)


FORM_FIELDS = [
    "email", "password", "password_again", "first_name", "last_name", "address", "postcode",
    "phone", "consent", "code", "access_needs", "availability", "answer-Køn", "answer-Alder",
    "confirm", "website", "sign", "date", "page",
]  # fmt: skip


def test_form_bodies(client: FlaskClient, public_calls: list[Call]) -> None:
    failures = []
    for call in _posts(public_calls):
        bodies: list[tuple[bytes, str]] = [
            (b"&".join(f + b"=" + bad for f in (b"email", b"first_name", b"password"))
             , "application/x-www-form-urlencoded")
            for bad in INVALID_UTF8
        ]  # fmt: skip
        bodies += [
            (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
            (b'{"email": "x"}', "application/json"),
            (b"<xml/>", "text/xml"),
            (b"--b\r\nbroken multipart", "multipart/form-data; boundary=b"),
            (b"email=" + b"x" * 2_000_000, "application/x-www-form-urlencoded"),
            (b"&".join(b"f%d=1" % i for i in range(5_000)), "application/x-www-form-urlencoded"),
        ]
        for body, kind in bodies:
            problem = _ok(client.post(call.path, data=body, content_type=kind))
            if problem:
                failures.append(f"POST {call.path} {kind} {body[:30]!r}: {problem}")
        for values_ in (NUMBERS, DATES, ODD):
            form = {f: values_[n % len(values_)] for n, f in enumerate(FORM_FIELDS)}
            problem = _ok(client.post(call.path, data=form))
            if problem:
                failures.append(f"POST {call.path} {str(form)[:60]}: {problem}")
    assert not failures, "\n".join(failures)


def test_a_huge_body_is_refused_before_it_is_read(app: Flask, public_calls: list[Call]) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    limit = int(app.config["MAX_CONTENT_LENGTH"])
    body = b"x" * (limit + 1)
    for call in _posts(public_calls):
        for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=b"):
            response = client.post(call.path, data=body, content_type=kind)
            assert response.status_code == 413, (call.path, kind, response.status_code)
            assert "for stort" in response.get_data(as_text=True)


def test_page_numbers(client: FlaskClient) -> None:
    for value in NUMBERS + ["-0", "+1", "0x10", "١٢", "²", "1" * 400]:
        response = client.get("/assemblies", query_string={"page": value})
        assert response.status_code in (200, 400, 404), (value, response.status_code)
        assert _ok(response) is None, value


# --- every form the staff can reach, with bad dates and numbers in every field ----------------


class _Forms(HTMLParser):
    """The POST forms of a page: action and the names of their fields (hidden ones with values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "hidden": {}})
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            kind = (a.get("type") or "text").lower()
            name = str(a["name"])
            if kind == "hidden":
                self.forms[-1]["hidden"][name] = a.get("value") or ""
            elif kind not in ("submit", "button", "file", "checkbox", "radio"):
                self.forms[-1]["fields"][name] = kind

    def handle_endtag(self, tag: str) -> None:
        return None


def discover_forms(client: FlaskClient, pages: list[str]) -> dict[tuple[str, frozenset[str]], Any]:
    """Each distinct (action, fields) POST form on the pages, from the HTML the portal serves."""
    found: dict[tuple[str, frozenset[str]], Any] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = form["action"] or page
            if form["fields"] and urlsplit(action).path not in ("/logout", "/account/sessions/end"):
                found.setdefault((action, frozenset(form["fields"])), form)
    return found


BAD_VALUES = DATES + NUMBERS + ["2026-06-01", "23:99", "-5", "1" * 30]


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_every_staff_form_with_bad_dates_and_numbers(
    app: Flask, values: dict[str, dict[str, Any]], role: str
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    _login(client, role)
    pages = [c.path for c in calls(app, values) if c.method == "GET" and c.endpoint != "static"]
    forms = discover_forms(client, pages)
    assert len(forms) >= (15 if role == "secretariat" else 5), sorted(forms)
    failures = []
    for (action, _fields), form in sorted(forms.items(), key=lambda item: item[0][0]):
        for i, value in enumerate(BAD_VALUES):
            data = dict(form["hidden"])
            # Dates and numbers get the bad value; text fields a plausible one, in turns.
            for n, (name, kind) in enumerate(sorted(form["fields"].items())):
                plain = kind in ("text", "textarea", "email", "search", "password", "url")
                data[name] = value if (not plain or (i + n) % 2) else "Ordinær tekst"
            problem = _ok(client.post(action, data=data))
            if problem:
                failures.append(f"{role} POST {action} {value!r}: {problem}")
    assert not failures, "\n".join(failures)
