"""People and accounts in a real browser: a drawn member confirms, sets a password and reaches the
workspace from the start page; an admin adds a council user; every new page is axe-clean and fits
a phone.

Set PEOPLE_SCREENSHOTS=<dir> to keep screenshots of the new pages at 390 and 1280 px.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from .conftest import DESKTOP, GuardedContext
from .test_recruitment_journeys import log_in, no_axe_violations

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
PASSWORD = "otte gule tog over broen"


def both_widths(page: Any) -> None:
    """Zero axe violations and no sideways scrolling at desktop and phone width."""
    for viewport in (DESKTOP, PHONE_390):
        page.set_viewport_size(viewport)
        no_axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (page.url, viewport, overflow)
    page.set_viewport_size(DESKTOP)


def drawn_person(live_app: Any) -> tuple[str, str]:
    """A registrant of the recruiting demo assembly, marked drawn; returns (token, e-mail)."""
    from portal.models import Assembly, Registrant, RegistrantStatus

    email = f"browser-member-{random.randrange(10**6)}@example.dk"
    with live_app.extensions["sessionmaker"]() as session:
        person = session.scalars(
            select(Registrant)
            .join(Assembly, Assembly.id == Registrant.assembly_id)
            .where(
                Assembly.slug == "baeredygtigt-forbrug",
                Registrant.status == RegistrantStatus.REGISTERED,
            )
            .order_by(Registrant.id.desc())
        ).first()
        assert person is not None
        person.status, person.email = RegistrantStatus.DRAWN, email
        session.commit()
        return person.token, email


def outbox_link(live_app: Any, email: str) -> str:
    """The set-password path in the newest e-mail to this address (read from outbox_email)."""
    from portal.models import OutboxEmail

    with live_app.extensions["sessionmaker"]() as session:
        body = session.scalars(
            select(OutboxEmail.body).where(OutboxEmail.to == email).order_by(OutboxEmail.id.desc())
        ).first()
    assert body is not None, f"no e-mail to {email}"
    match = re.search(r"https?://[^/\s]+(/account/set-password/\S+)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def fresh_page(guarded_context: Callable[..., GuardedContext]) -> Iterator[Any]:
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    yield page
    assert guarded.traffic.blocked == [] and guarded.traffic.failed == []
    guarded.context.close()


def test_drawn_member_confirms_sets_a_password_and_reaches_the_workspace(
    live_app: Any, fresh_page: Any
) -> None:
    page = fresh_page
    token, email = drawn_person(live_app)
    page.goto(f"/seat/{token}")
    page.get_by_role("button", name="Ja, jeg tager pladsen").click()
    expect(page.locator("main")).to_contain_text("Vi har sendt dig en e-mail med et link")
    page.goto(outbox_link(live_app, email))
    expect(page.locator("h1")).to_have_text("Vælg din adgangskode")
    expect(page.locator("main")).to_contain_text(email)
    both_widths(page)
    page.get_by_label("Ny adgangskode").fill("kort")
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page.locator('[role="alert"]')).to_contain_text("mindst 12 tegn")
    both_widths(page)  # the form with its error message
    page.get_by_label("Ny adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page.locator("main")).to_contain_text("Din adgangskode er gemt")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mine$"))
    expect(page.locator("h1")).to_have_text("Min side")
    both_widths(page)
    page.get_by_role("link", name="Gå til arbejdsrummet").click()
    expect(page).to_have_url(re.compile(r"/assemblies/baeredygtigt-forbrug/workspace$"))
    expect(page.locator("h1")).to_contain_text("Arbejdsrum")


def test_admin_adds_a_council_user(live_app: Any, fresh_page: Any) -> None:
    page = fresh_page
    email = f"browser-council-{random.randrange(10**6)}@example.org"
    log_in(page, "admin@example.org")
    page.goto("/mine")
    page.get_by_role("link", name="Brugere").first.click()
    expect(page.locator("h1")).to_have_text("Brugere")
    both_widths(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Navn", exact=True).fill("Bo Byrådsmedlem")
    page.get_by_label("Politiker / forvaltning").check()
    page.get_by_label("Udvalg (for politikere og forvaltning)").select_option(
        label="Teknik- og Miljøudvalget"
    )
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("main")).to_contain_text(f"{email} er oprettet")
    row = page.locator("tr", has_text=email)
    expect(row).to_contain_text("Politiker / forvaltning")
    expect(row).to_contain_text("Inviteret")
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("Teknik- og Miljøudvalget")
    both_widths(page)
    # The new council user sets a password and sees what awaits an answer.
    path = outbox_link(live_app, email)
    other = page.context.browser.new_context(base_url=page.url.split("/admin")[0])
    try:
        council = other.new_page()
        council.goto(path)
        council.get_by_label("Ny adgangskode").fill(PASSWORD)
        council.get_by_role("button", name="Gem adgangskode").click()
        council.get_by_label("E-mail").fill(email)
        council.get_by_label("Adgangskode").fill(PASSWORD)
        council.locator("main form button[type=submit]").click()
        expect(council.locator("main")).to_contain_text("Anbefalinger der venter på svar")
    finally:
        other.close()


NEW_PAGES = {
    "admin@example.org": ["/admin/users", "/admin/bodies", "/secretariat/organisations"],
    "secretariat@example.org": [
        "/mine",
        "/secretariat/assemblies/baeredygtigt-forbrug/registrants?status=registered",
        "/secretariat/assemblies/baeredygtigt-forbrug/eligibility",
        "/secretariat/assemblies/groent-byliv-indre-oesterbro/members",
        "/secretariat/organisations/1",
        "/account",
    ],
    "member@example.org": ["/mine"],
    "council@example.org": ["/mine"],
    "lokaludvalg@example.org": ["/mine"],
    "resident@example.org": ["/mine"],
}


@pytest.mark.parametrize("email", list(NEW_PAGES))
def test_new_pages_are_accessible_and_fit_a_phone(email: str, fresh_page: Any) -> None:
    page = fresh_page
    shots = os.environ.get("PEOPLE_SCREENSHOTS")
    log_in(page, email)
    for path in NEW_PAGES[email]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        both_widths(page)
        if shots:
            name = email.split("@")[0] + re.sub(r"[^a-z0-9]+", "-", path.split("?")[0])
            for viewport in (PHONE_390, DESKTOP):
                page.set_viewport_size(viewport)
                target = Path(shots) / f"{name}-{viewport['width']}.png"
                page.screenshot(path=str(target), full_page=True)
            page.set_viewport_size(DESKTOP)
