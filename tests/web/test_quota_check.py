"""The secretariat's quota page and live check when the quotas do not fit the pool: a message, never a 500."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.models import Assembly, Registrant, RegistrantStatus

SLUG = "baeredygtigt-forbrug"
BASE = f"/secretariat/assemblies/{SLUG}/quotas"
HX = {"HX-Request": "true"}


def saved_text(client: FlaskClient) -> str:
    page = client.get(BASE).get_data(as_text=True)
    match = re.search(r'<textarea[^>]*name="quotas"[^>]*>(.*?)</textarea>', page, re.S)
    assert match
    return html.unescape(match.group(1))


def without_region_line(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "Region Syddanmark" not in line)


def test_checking_quotas_that_miss_a_value_of_the_pool(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    text = without_region_line(saved_text(client))
    for headers in ({}, HX):
        response = client.post(f"{BASE}/check", data={"quotas": text}, headers=headers)
        body = response.get_data(as_text=True)
        assert response.status_code == 422, body[:500]
        assert "Kvoterne passer ikke til puljen" in body and "Region = Region Syddanmark" in body


def test_saved_quotas_that_miss_a_value_still_show_the_page(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    text = without_region_line(saved_text(client))
    assert client.post(BASE, data={"quotas": text}).status_code == 302
    page = client.get(BASE)
    assert page.status_code == 200
    assert "Region = Region Syddanmark" in page.get_data(as_text=True)


def test_an_empty_pool(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    assembly_id = db.scalar(select(Assembly.id).where(Assembly.slug == SLUG))
    db.execute(
        update(Registrant)
        .where(Registrant.assembly_id == assembly_id)
        .values(status=RegistrantStatus.WITHDRAWN)
    )
    db.commit()
    login_as("secretariat")
    page = client.get(BASE)
    assert page.status_code == 200 and "Puljen er tom" in page.get_data(as_text=True)
    check = client.post(f"{BASE}/check", data={"quotas": saved_text(client)}, headers=HX)
    assert check.status_code == 422 and "Puljen er tom" in check.get_data(as_text=True)
