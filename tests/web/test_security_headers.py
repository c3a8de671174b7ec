"""Security headers on every response, read from a production-configured app; request size limit;
e-mailed links from BASE_URL; production's Secure cookies; templates without inline code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, select

from portal import config, create_app
from portal.models import OutboxEmail
from portal.security import content_security_policy

from ..conftest import DEMO_EMAILS, make_test_app

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "p" * 48,
    "BASE_URL": "https://samling.example.dk",
}
PAGES = [
    "/",
    "/assemblies",
    "/assemblies/baeredygtigt-forbrug/register",
    "/login",
    "/assemblies/does-not-exist",  # an error page
    "/static/css/portal.css",  # a static file
    "/favicon.ico",
]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.fixture
def production_app(engine: Engine) -> Iterator[Flask]:
    app, close = make_test_app(engine, **PRODUCTION)
    yield app
    close()


@pytest.mark.parametrize("path", PAGES)
def test_production_app_sends_every_header(production_app: Flask, path: str) -> None:
    response = production_app.test_client().get(path)
    assert response.status_code in (200, 404)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = _directives(csp)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=63072000"


def test_production_login_cookie_is_secure_with_the_host_prefix(production_app: Flask) -> None:
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    response = production_app.test_client().post(
        "/login", data={"email": DEMO_EMAILS["resident"], "password": "demo-adgangskode"}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session = [c for c in cookies if c.startswith("__Host-samling=")]
    assert session, cookies
    assert "Secure" in session[0] and "HttpOnly" in session[0] and "Path=/" in session[0]
    assert "Domain=" not in session[0]  # the __Host- prefix forbids it
    assert not any(c.startswith("samling=") for c in cookies)


def test_development_over_http_has_no_hsts_and_plain_cookies(app: Flask) -> None:
    assert app.config["SESSION_COOKIE_SECURE"] is False
    response = app.test_client().post(
        "/login", data={"email": DEMO_EMAILS["resident"], "password": "demo-adgangskode"}
    )
    assert "Strict-Transport-Security" not in response.headers
    assert "Content-Security-Policy" in response.headers
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("samling="))
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_production_over_plain_http_keeps_cookies_usable() -> None:
    loaded = config.load({**PRODUCTION, "BASE_URL": "http://intranet.kommune.local"})
    assert loaded["SESSION_COOKIE_SECURE"] is False
    explicit = config.load({**PRODUCTION, "SESSION_COOKIE_SECURE": False})
    assert explicit["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "base_url", ["", "http://127.0.0.1:5000", "samling.example.dk", "https://"]
)
def test_production_refuses_to_start_without_a_base_url(base_url: str) -> None:
    with pytest.raises(config.ConfigError, match="PORTAL_BASE_URL"):
        create_app({**PRODUCTION, "BASE_URL": base_url})


def test_production_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "e" * 40)
    with pytest.raises(config.ConfigError, match="PORTAL_BASE_URL"):
        config.load()
    monkeypatch.setenv("PORTAL_BASE_URL", "https://samling.aarhus.dk")
    loaded = config.load()
    assert loaded["BASE_URL"] == "https://samling.aarhus.dk" and loaded["SESSION_COOKIE_SECURE"]


def test_an_https_logo_elsewhere_may_be_shown_and_nothing_else() -> None:
    policy = _directives(content_security_policy("https://cdn.kommune.dk/logo.svg"))
    assert policy["img-src"] == ["'self'", "data:", "https://cdn.kommune.dk"]
    assert policy["script-src"] == ["'self'"]
    for odd in ("http://cdn.kommune.dk/x.png", "/static/img/logo.png", "javascript:alert(1)"):
        assert _directives(content_security_policy(odd))["img-src"] == ["'self'", "data:"]


def test_a_body_over_the_limit_gets_a_413_page_in_the_portals_look(engine: Engine) -> None:
    app, close = make_test_app(engine, MAX_CONTENT_LENGTH=100_000)
    try:
        response = app.test_client().post(
            "/assemblies/baeredygtigt-forbrug/register",
            data={"first_name": "x" * 200_000},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 413
        assert "for stort" in html and "0.1 MB" in html and 'class="header"' in html
        assert "Content-Security-Policy" in response.headers
    finally:
        close()


def test_the_global_limit_is_just_above_the_largest_upload() -> None:
    loaded = config.load()
    upload_route = loaded["UPLOAD_MAX_BYTES"] + config.UPLOAD_FORM_ALLOWANCE
    assert upload_route < loaded["MAX_CONTENT_LENGTH"] <= upload_route + 1_000_000
    assert config.load({"MAX_CONTENT_LENGTH": 5_000_000})["MAX_CONTENT_LENGTH"] == 5_000_000


def test_emailed_links_come_from_base_url_never_from_the_host_header(engine: Engine) -> None:
    app, close = make_test_app(engine, BASE_URL="https://samling.example.dk")
    try:
        client = app.test_client()
        response = client.post(
            "/assemblies/baeredygtigt-forbrug/register",
            base_url="http://evil.example",
            headers={"X-Forwarded-Host": "evil2.example", "X-Forwarded-Proto": "http"},
            data={
                "first_name": "Ida",
                "last_name": "Holm",
                "email": "host-header@example.dk",
                "address": "Vestergade 3",
                "postcode": "5000",
                "consent": "yes",
                "answer-Region": "Region Syddanmark",
                "answer-Køn": "Kvinde",
                "answer-Alder": "30-44",
                "answer-Uddannelse": "Grundskole",
                "answer-Boligform": "Lejebolig",
                "availability": ["1"],
            },
        )
        assert response.status_code == 302
        with app.app_context():
            session = app.extensions["sessionmaker"]()
            mails = session.scalars(
                select(OutboxEmail).where(OutboxEmail.to == "host-header@example.dk")
            ).all()
            assert mails
            for mail in mails:
                assert "evil" not in mail.body
                assert "https://samling.example.dk/" in mail.body
            session.close()
    finally:
        close()


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on*= event handler"),
    (re.compile(r"\s(data-)?hx-on", re.I), "an hx-on attribute (evaluated code)"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_templates_have_no_inline_code_the_policy_would_block() -> None:
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_htmx_is_configured_for_the_policy(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert meta, "base.html must configure htmx"
    import json

    settings = json.loads(meta.group(1))
    assert settings["includeIndicatorStyles"] is False and settings["allowEval"] is False
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css
