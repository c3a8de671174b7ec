"""The members' workspace in a real browser: forum, editing, two people editing at once, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AXE_JS, DESKTOP, GuardedContext, require_node_modules

pytestmark = pytest.mark.browser

WS = "/assemblies/groent-byliv-indre-oesterbro/workspace"
PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo accounts
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    form = page.locator("form", has=page.locator('input[name="password"]'))
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def no_axe_violations(page: Any) -> None:
    require_node_modules()
    page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
    assert violations == [], [
        (v["id"], v["help"], [n["html"][:160] for n in v["nodes"]]) for v in violations
    ]


@pytest.fixture
def member_page(guarded_context: Callable[..., GuardedContext]) -> Any:
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    log_in(page, "member@example.org")
    yield page
    guarded.context.close()


def test_member_writes_in_the_forum_without_a_reload(member_page: Any) -> None:
    page = member_page
    page.goto(WS)
    page.get_by_role("link", name="Forum").first.click()
    page.get_by_role("link", name="Velkommen til arbejdsrummet").click()
    expect(page.locator("h1")).to_have_text("Velkommen til arbejdsrummet")
    page.evaluate("window.__stillHere = true")  # gone if the page reloads
    page.locator("#thread-posts textarea[name=text]").fill("Jeg kommer til **næste** møde.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator("#thread-posts")).to_contain_text("Jeg kommer til næste møde.")
    expect(page.locator("#thread-posts strong", has_text="næste")).to_have_count(1)
    assert page.evaluate("window.__stillHere === true"), "the reply should not reload the page"
    # and the author may correct it inline
    page.locator("#thread-posts").get_by_role("link", name="Ret indlæg").last.click()
    editor = page.get_by_label("Ret dit indlæg")  # the inline editor, once htmx has loaded it
    expect(editor).to_be_visible()
    expect(editor).to_have_value(re.compile("Jeg kommer til"))
    editor.fill("Jeg kommer til næste møde – og tager kage med.")
    page.get_by_role("button", name="Gem rettelsen").click()
    expect(page.locator("#thread-posts")).to_contain_text("tager kage med")
    assert page.evaluate("window.__stillHere === true")


def test_member_edits_a_draft_recommendation(member_page: Any) -> None:
    page = member_page
    page.goto(f"{WS}/recommendations/3")
    page.get_by_role("link", name="Rediger").click()
    text = page.locator("textarea[name=text]")
    text.fill(text.input_value() + " Også i weekenden.")
    expect(page.locator("#diff-preview ins", has_text="weekenden")).to_have_count(1)  # live preview
    page.locator("input[name=message]").fill("Weekender med")
    page.get_by_role("button", name="Gem ny version").click()
    expect(page.locator('[role="status"]')).to_contain_text("gemt som en ny version")
    expect(page.locator("main")).to_contain_text("Også i weekenden.")
    page.get_by_role("link", name=re.compile("Historik")).click()
    expect(page.locator("main table")).to_contain_text("Weekender med")
    page.get_by_role("button", name="Sammenlign de valgte versioner").click()
    expect(page.locator("main ins", has_text="weekenden")).to_have_count(1)


def test_two_members_edit_the_same_recommendation_at_once(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    first, second = guarded_context(DESKTOP), guarded_context(DESKTOP)
    try:
        mette, mads = first.context.new_page(), second.context.new_page()
        log_in(mette, "member@example.org")
        log_in(mads, "member2@example.org")
        for page in (mette, mads):
            page.goto(f"{WS}/recommendations/2/edit")
        # both have the same version open; Mette changes the start, Mads the end
        mette_text = mette.locator("textarea[name=text]")
        mette_text.fill(
            mette_text.input_value().replace("Der plantes træer", "Der plantes mange træer")
        )
        mads_text = mads.locator("textarea[name=text]")
        mads_text.fill(mads_text.input_value() + " Naboerne vælger træarterne.")

        mette.get_by_role("button", name="Gem ny version").click()
        expect(mette.locator('[role="status"]')).to_contain_text("gemt")

        mads.get_by_role("button", name="Gem ny version").click()
        expect(mads.locator("h1")).to_contain_text("Flet ændringer")
        expect(mads.locator("main")).to_contain_text("mange træer")  # the other version is shown
        expect(mads.locator("main ins").first).to_be_visible()  # with the differences marked
        merged = mads.locator("textarea[name=text]")
        expect(merged).to_have_value(re.compile("mange træer.*Naboerne vælger træarterne", re.S))
        no_axe_violations(mads)
        mads.get_by_role("button", name="Gem den flettede version").click()
        expect(mads.locator('[role="status"]')).to_contain_text("gemt")
        body = mads.locator("main .recommendation-text")
        expect(body).to_contain_text("mange træer")
        expect(body).to_contain_text("Naboerne vælger træarterne.")
        assert first.traffic.blocked == [] and second.traffic.blocked == []
    finally:
        first.context.close()
        second.context.close()


def test_support_buttons_work_without_reload(member_page: Any) -> None:
    page = member_page
    page.goto(f"{WS}/recommendations/1")
    page.evaluate("window.__stillHere = true")
    page.locator("#support-panel").get_by_role("button", name="Kan leve med").click()
    expect(
        page.locator("#support-panel").get_by_role("button", name="Kan leve med")
    ).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__stillHere === true")


def test_support_buttons_work_without_javascript(
    guarded_context: Callable[..., GuardedContext], chromium: Any, live_server: str
) -> None:
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "member2@example.org")
        page.goto(f"{WS}/recommendations/1")
        page.locator("#support-panel").get_by_role("button", name="Kan ikke støtte").click()
        expect(
            page.locator("#support-panel").get_by_role("button", name="Kan ikke støtte")
        ).to_have_attribute("aria-pressed", "true")
    finally:
        context.close()


WORKSPACE_PAGES = [
    "",
    "/forum",
    "/forum/1",
    "/groups",
    "/recommendations/1",
    "/recommendations/1/edit",
    "/recommendations/1/history",
    "/recommendations/new",
]


@pytest.mark.parametrize("path", WORKSPACE_PAGES)
def test_workspace_pages_have_no_axe_violations(member_page: Any, path: str) -> None:
    response = member_page.goto(WS + path)
    assert response is not None and response.status == 200
    no_axe_violations(member_page)
