"""No public page shows respondents' personal data (GDPR): crawl every public GET route."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import Assembly, Registrant

PRIVATE_PREFIXES = ("/secretariat", "/account", "/seat", "/static", "/language", "/logout")


def _public_urls(app: Flask, db) -> list[str]:  # type: ignore[no-untyped-def]
    slugs = [a.slug for a in db.scalars(select(Assembly))]
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.rule.startswith(PRIVATE_PREFIXES):
            continue
        if "workspace" in rule.rule or "token" in rule.arguments or "run_id" in rule.arguments:
            continue
        for slug in slugs:
            url = rule.rule.replace("<slug>", slug).replace("<int:number>", "1")
            if not re.search(r"<[^>]+>", url):
                urls.add(url)
    return sorted(urls)


def test_no_public_page_shows_personal_data(app: Flask, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    urls = _public_urls(app, db)
    assert "/assemblies/baeredygtigt-forbrug/selection" in urls and "/assemblies" in urls
    people = db.scalars(select(Registrant)).all()
    assert len(people) >= 300
    secrets = {p.email for p in people} | {p.address for p in people} | {p.token for p in people}
    for url in urls:
        response = client.get(url)
        if response.mimetype.startswith("image/"):
            continue  # the favicon
        html = response.get_data(as_text=True)
        leaked = [s for s in secrets if s and s in html]
        assert not leaked, (url, leaked[:3])
