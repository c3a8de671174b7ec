"""A resident signs up, opens the verification link from the outbox and lands verified; the
sign-up, reset and delete pages are axe-clean and fit at 1280 and 390 px.

Set RESIDENT_SCREENSHOTS=<dir> to keep screenshots of /signup (Danish and English, both widths).
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from .conftest import DESKTOP, switch_language_url
from .test_recruitment_journeys import no_axe_violations

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
PASSWORD = "syv blå cykler ved søerne"


def both_widths(page: Any) -> None:
    """Zero axe violations and no sideways scrolling at desktop and phone width."""
    for viewport in (DESKTOP, PHONE_390):
        page.set_viewport_size(viewport)
        no_axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (page.url, viewport, overflow)
    page.set_viewport_size(DESKTOP)


def verification_path(live_app: Any, email: str) -> str:
    """The verification path in the newest e-mail to this address (read from outbox_email)."""
    from portal.models import OutboxEmail

    with live_app.extensions["sessionmaker"]() as session:
        body = session.scalars(
            select(OutboxEmail.body).where(OutboxEmail.to == email).order_by(OutboxEmail.id.desc())
        ).first()
    assert body is not None, f"no e-mail to {email}"
    match = re.search(r"https?://[^/\s]+(/account/verify/\S+)", body)
    assert match, body
    return match.group(1)


def test_a_resident_signs_up_verifies_and_lands_verified(page: Any, live_app: Any) -> None:
    email = f"browser-resident-{random.randrange(10**6)}@example.dk"
    page.goto("/login")
    page.get_by_role("link", name="Opret en konto").click()
    expect(page.locator("h1")).to_have_text("Opret en konto")
    # First without consent and with a short password: the form says what is wrong.
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Navn, som andre ser").fill("Bodil Browser")
    page.get_by_label("Bydel (frivilligt)").select_option("Østerbro")
    page.get_by_label("Adgangskode").fill("kort")
    page.get_by_role("button", name="Opret konto").click()
    expect(page.locator(".alert-error")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(email)  # nothing typed is lost
    both_widths(page)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label(re.compile("Jeg følger husreglerne")).check()
    page.get_by_role("button", name="Opret konto").click()
    expect(page.locator("h1")).to_have_text("Se din indbakke")
    both_widths(page)
    # Logged in but unverified: My page says so and offers a new link.
    page.get_by_role("link", name="Log ind").first.click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mine$"))
    expect(page.get_by_text("Din e-mailadresse er ikke bekræftet endnu")).to_be_visible()
    both_widths(page)
    # The link from the e-mail (the outbox) verifies the address and lands on My page.
    page.goto(verification_path(live_app, email))
    expect(page).to_have_url(re.compile(r"/mine$"))
    expect(
        page.get_by_text("Din e-mailadresse er bekræftet. Du kan nu kommentere.")
    ).to_be_visible()
    expect(page.locator("#account-status .badge-success")).to_have_text("E-mail bekræftet")
    both_widths(page)
    # Download and delete are one click away.
    expect(page.get_by_role("link", name="Hent mine data (JSON)").first).to_be_visible()
    page.locator("#account-status").get_by_role("link", name="Slet min konto").click()
    expect(page.locator("h1")).to_have_text("Slet min konto")
    both_widths(page)


def test_forgot_password_and_delete_pages_work_without_javascript(
    chromium: Any, live_server: str
) -> None:
    context = chromium.new_context(
        base_url=live_server, viewport=PHONE_390, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/account/reset")
        page.get_by_label("E-mail").fill("nobody-here@example.dk")
        page.get_by_role("button", name="Send link").click()
        expect(page.locator("h1")).to_have_text("Se din indbakke")
    finally:
        context.close()


def test_signup_screenshots(page: Any) -> None:
    """The sign-up page in Danish and English at both widths (kept when RESIDENT_SCREENSHOTS is set)."""
    folder = os.environ.get("RESIDENT_SCREENSHOTS")
    for lang in ("da", "en"):
        page.goto(switch_language_url(lang, "/signup"))
        expect(page.locator("h1")).to_have_text(
            "Opret en konto" if lang == "da" else "Create an account"
        )
        for name, viewport in (("1280", DESKTOP), ("390", PHONE_390)):
            page.set_viewport_size(viewport)
            no_axe_violations(page)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{folder}/signup-{lang}-{name}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
