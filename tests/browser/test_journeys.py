"""What a person does on the public portal, in a real browser.

The markup these tests look for is DKFDS's and plain semantic HTML (see
static/vendor/dkfds/USAGE.md): links by their href, the current phase marked
aria-current="step", errors in role="alert", logout as a POST form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ASSEMBLY = "/assemblies/groent-byliv-indre-oesterbro"  # in its public comment phase
RECOMMENDATION = f"{ASSEMBLY}/recommendations/1"
DEMO_EMAIL = "resident@example.org"
DEMO_PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo account
DEMO_NAME = "Rasmus Borger"  # the resident's display name in portal/demo


def logout_button(page: Any) -> Any:
    # The phone menu repeats the header's log-out form; only the one on screen counts.
    return page.locator('form[method="post" i][action$="/logout"]').locator(
        'button[type="submit"]:visible, button:not([type]):visible, input[type="submit"]:visible'
    )


def login_form(page: Any) -> Any:
    return page.locator("form", has=page.locator('input[name="password"]'))


def test_visitor_finds_an_assembly_its_phase_and_a_recommendation(page: Any) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_count(1)

    page.locator(f'main a[href="{ASSEMBLY}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(ASSEMBLY) + r"$"))
    expect(page.locator("h1")).not_to_be_empty()

    # The phase timeline: an ordered list of phases with the current one marked.
    timeline = page.locator("main ol", has=page.locator('[aria-current="step"]'))
    expect(timeline).to_have_count(1)
    expect(timeline.locator(":scope > li")).to_have_count(9)
    current = timeline.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(re.compile(r"høring|kommenter", re.IGNORECASE))

    page.locator(f'main a[href="{RECOMMENDATION}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(RECOMMENDATION) + r"$"))
    expect(page.locator("h1")).not_to_be_empty()
    assert page.traffic.blocked == [], page.traffic.blocked


def test_visitor_switches_to_english_and_back(page: Any) -> None:
    page.goto("/assemblies")
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/assemblies$"))  # stays on the same page
    expect(page.locator("h1")).to_contain_text(re.compile(r"assembl", re.IGNORECASE))
    expect(page.locator("body")).not_to_contain_text("Borgersamlinger")

    page.goto("/")  # the choice is remembered (cookie), not carried in the URL
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_resident_logs_in_and_out(page: Any) -> None:
    page.goto("/login")
    form = login_form(page)
    form.locator('input[name="email"]').fill(DEMO_EMAIL)
    form.locator('input[name="password"]').fill(DEMO_PASSWORD)
    form.locator('button[type="submit"], button:not([type]), input[type="submit"]').click()

    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(logout_button(page)).to_be_visible()
    expect(page.locator("body")).to_contain_text(DEMO_NAME)
    expect(page.locator('[role="alert"]')).to_have_count(0)

    logout_button(page).click()
    expect(logout_button(page)).to_have_count(0)
    expect(page.locator('a[href^="/login"]').first).to_be_visible()


def test_wrong_password_shows_an_error(page: Any) -> None:
    page.goto("/login")
    form = login_form(page)
    form.locator('input[name="email"]').fill(DEMO_EMAIL)
    form.locator('input[name="password"]').fill("forkert-adgangskode")
    form.locator('button[type="submit"], button:not([type]), input[type="submit"]').click()

    expect(page).to_have_url(re.compile(r"/login"))
    alert = page.locator('[role="alert"]')
    expect(alert.first).to_be_visible()
    expect(alert.first).not_to_be_empty()
    expect(logout_button(page)).to_have_count(0)
    expect(login_form(page).locator('input[name="password"]')).to_have_value("")


def test_skip_link_is_the_first_tab_stop_and_reaches_main(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const a = document.activeElement;"
        " return {tag: a.tagName, href: a.getAttribute('href') || ''}; }"
    )
    assert focused["tag"] == "A" and focused["href"].startswith("#"), (
        f"the first Tab stop should be a skip link to the main content, got {focused}"
    )
    target = page.locator(focused["href"])
    expect(target).to_have_count(1)
    assert target.evaluate("el => el.closest('main') !== null"), "the skip link must land in <main>"
