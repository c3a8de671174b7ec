"""The council answers and the public follows, in a real browser (desktop 1280 and phone 390),
with zero axe violations on every page on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AXE_JS, GuardedContext, require_node_modules

pytestmark = pytest.mark.browser

PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo accounts
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SKY = "/council/assemblies/skybrud-amager-oest"


def no_axe_violations(page: Any) -> None:
    require_node_modules()
    page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
    assert violations == [], [
        (page.url, v["id"], v["help"], [n["html"][:160] for n in v["nodes"]]) for v in violations
    ]


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_council_drafts_previews_and_publishes_an_answer(
    guarded_context: Callable[..., GuardedContext], width: str
) -> None:
    guarded = guarded_context(WIDTHS[width])
    page = guarded.context.new_page()
    try:
        log_in(page, "council@example.org")
        # From the start page to the work.
        page.get_by_role("link", name="Skriv og offentliggør svar").click()
        expect(page.locator("h1")).to_have_text("Politikernes svar: dit arbejde")
        no_axe_violations(page)
        page.get_by_role("link", name="Borgersamling om skybrud og regnvand på Amager Øst").click()
        no_axe_violations(page)
        page.locator("main table").get_by_role("link", name=re.compile(r"^3\. ")).click()
        text = f"Grønne tage på kommunens bygninger afprøves i 2027 ({width})."
        page.get_by_label("Hvad gør kommunen?").select_option("adopted_later")
        page.get_by_label("Svaret i et klart sprog").fill(text)
        page.get_by_label("Udvalg eller råd, der besluttede").fill("Teknik- og Miljøudvalget")
        page.get_by_label("Mødedato").fill("2026-11-16")
        page.get_by_label("Journalnummer").fill("2026-4711")
        no_axe_violations(page)
        page.get_by_role("button", name="Gem og forhåndsvis").click()
        expect(page.locator("h1")).to_contain_text("Forhåndsvisning")
        expect(page.locator("main")).to_contain_text(text)
        expect(page.locator("main")).to_contain_text("2026-4711")
        no_axe_violations(page)
        page.get_by_role("button", name="Offentliggør svaret").click()
        expect(page).to_have_url(re.compile(r"/assemblies/skybrud-amager-oest/recommendations/3$"))
        main = page.locator("main")
        expect(main).to_contain_text(text)
        expect(main).to_contain_text("Arbejdes videre med på længere sigt")
        expect(main.locator(".council-answer")).not_to_contain_text("Svar udestår")
        no_axe_violations(page)
    finally:
        guarded.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_resident_filters_the_tracker_to_overdue_and_downloads_the_csv(
    guarded_context: Callable[..., GuardedContext], width: str
) -> None:
    guarded = guarded_context(WIDTHS[width])
    page = guarded.context.new_page()
    try:
        log_in(page, "resident@example.org")
        page.goto("/")
        menu = page.locator("header a[href='/recommendations']:visible")
        if not menu.count():
            page.locator("header .menu-toggle, header .js-menu-toggle").first.click()
        page.locator("header a[href='/recommendations']:visible").first.click()
        expect(page.locator("h1")).to_have_text("Anbefalinger og politikernes svar")
        no_axe_violations(page)
        page.get_by_label("Kun anbefalinger, hvor svaret udestår").check()
        page.get_by_role("button", name="Vis").click()
        expect(page).to_have_url(re.compile(r"overdue=1"))
        summary = page.locator("#tracker-summary")
        expect(summary).to_contain_text(re.compile(r"\d+ udestår"))
        rows = page.locator("#tracker-list tbody tr")
        expect(rows.first).to_contain_text("Svar udestår siden")
        for i in range(rows.count()):
            expect(rows.nth(i)).to_contain_text("Svar udestår siden")
        no_axe_violations(page)
        with page.expect_download() as info:
            page.get_by_role("link", name="Hent listen som CSV (til Excel)").click()
        download = info.value
        data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 - a temp file
        assert data.startswith("\ufeff".encode())
        lines = data.decode("utf-8-sig").strip().splitlines()
        assert lines[0].startswith("assembly;number;title;")
        assert len(lines) - 1 == rows.count() and all(line.split(";")[6] for line in lines[1:])
    finally:
        guarded.context.close()
