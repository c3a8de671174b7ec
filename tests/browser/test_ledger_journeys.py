"""The response ledger in a real browser: a facilitator records dispositions (one, then several
at once), and the public input page and the hvidbog show them; axe finds nothing at desktop and
phone width."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AXE_JS, DESKTOP, GuardedContext, require_node_modules

pytestmark = pytest.mark.browser

SLUG = "groent-byliv-indre-oesterbro"
LEDGER = f"/assemblies/{SLUG}/workspace/ledger"
PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo accounts
PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)
TEXTS = [
    "Ledgertest: plant træer langs Østerbrogade",
    "Ledgertest: flere bænke ved Sortedams Sø",
    "Ledgertest: bænke med ryglæn til ældre",
]


@pytest.fixture(scope="module")
def comment_keys(live_app: Any) -> list[str]:
    """Three residents' comments on the published draft (the comment forms are another issue)."""
    from sqlalchemy import select

    from portal.models import Assembly, Comment, Recommendation, User

    with live_app.extensions["sessionmaker"]() as session:
        assembly = session.scalars(select(Assembly).where(Assembly.slug == SLUG)).one()
        rec = session.scalars(
            select(Recommendation).where(
                Recommendation.assembly_id == assembly.id, Recommendation.number == 1
            )
        ).one()
        resident = session.scalars(select(User).where(User.email == "resident@example.org")).one()
        revision = [r for r in rec.revisions if r.public_label][-1]
        rows = [
            Comment(
                recommendation_id=rec.id,
                revision_id=revision.id,
                paragraph=1,
                author_id=resident.id,
                text=text,
                text_html=text,
                created_at=datetime(2026, 11, 1, 10 + i, tzinfo=UTC),
            )
            for i, text in enumerate(TEXTS)
        ]
        session.add_all(rows)
        session.commit()
        return [f"comment-{r.id}" for r in rows]


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def no_axe_violations(page: Any) -> None:
    require_node_modules()
    page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
    found = [f"{v['id']} {[n['html'][:120] for n in v['nodes']]}" for v in violations]
    assert not found, f"{page.url}:\n" + "\n".join(found)


def test_a_facilitator_records_dispositions_and_the_public_sees_them(
    guarded_context: Callable[..., GuardedContext], comment_keys: list[str]
) -> None:
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    try:
        log_in(page, "secretariat@example.org")
        page.goto(LEDGER)
        expect(page.get_by_role("heading", level=1)).to_have_text("Svar på input")
        no_axe_violations(page)

        # Without a kind and a rationale the form says what is missing.
        page.locator(f"#in-{comment_keys[0]}").check()
        page.get_by_role("button", name="Registrér svaret").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Vælg hvad der skete med inputtet.")
        expect(alert).to_contain_text("Skriv en kort begrundelse.")
        expect(page.locator(f"#in-{comment_keys[0]}")).to_be_checked()
        no_axe_violations(page)

        # One input.
        page.get_by_label("Uden for rammen").check()
        page.get_by_label("Kort begrundelse").fill(
            "Træer langs Østerbrogade hører under vejplanen."
        )
        page.get_by_role("button", name="Registrér svaret").click()
        expect(page.locator(".alert-success")).to_contain_text("Svaret er registreret.")

        # Two similar inputs at once, linked to the revision they influenced.
        for key in comment_keys[1:]:
            page.locator(f"#in-{key}").check()
        page.get_by_label("Indarbejdet", exact=True).check()
        page.get_by_label("Kort begrundelse").fill("Bænke med ryglæn er skrevet ind.")
        page.get_by_label(re.compile("Version af anbefalingen")).select_option(index=1)
        page.get_by_role("button", name="Registrér svaret").click()
        expect(page.locator(".alert-success")).to_contain_text("2 svar er registreret.")

        page.goto(f"/assemblies/{SLUG}/input")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hvad skete der med jeres input")
        first = page.locator(f"#{comment_keys[0]}")
        expect(first).to_contain_text(TEXTS[0])
        expect(first).to_contain_text("Uden for rammen")
        expect(first).to_contain_text("hører under vejplanen")
        for key in comment_keys[1:]:
            expect(page.locator(f"#{key}")).to_contain_text("Indarbejdet")
            expect(page.locator(f"#{key}")).to_contain_text("Påvirkede:")
        page.get_by_label("Svar", exact=True).select_option("adopted")
        page.get_by_role("button", name="Vis").click()
        expect(page.locator(f"#{comment_keys[0]}")).to_have_count(0)
        expect(page.locator(f"#{comment_keys[1]}")).to_be_visible()

        page.goto(f"/assemblies/{SLUG}/input")
        page.get_by_role("link", name="Hvidbogen: hele rapporten til print").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hvidbog")
        expect(page.get_by_role("navigation", name="Indhold")).to_be_visible()
        expect(page.locator(f"#{comment_keys[2]}")).to_contain_text(
            "Bænke med ryglæn er skrevet ind."
        )
    finally:
        guarded.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize(
    "path",
    [
        "/assemblies/middelalderbyen-2019/input",
        "/assemblies/middelalderbyen-2019/input/report",
        LEDGER,
        "/mine/input",
    ],
)
def test_ledger_pages_have_no_axe_violations(
    guarded_context: Callable[..., GuardedContext], viewport: dict[str, int], path: str
) -> None:
    guarded = guarded_context(viewport)
    page = guarded.context.new_page()
    try:
        if path.startswith("/mine"):
            log_in(page, "resident@example.org")
        elif "workspace" in path:
            log_in(page, "secretariat@example.org")
        page.goto(path)
        no_axe_violations(page)
    finally:
        guarded.context.close()
