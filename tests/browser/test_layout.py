"""What a person sees, at phone and desktop width, in Danish and English, on public and staff pages.

axe and the HTML checker do not see a squeezed card, a table wider than the phone, a radio button
drawn nowhere or a header without a menu. These checks measure what Chromium draws:

- no horizontal overflow (`scrollWidth <= innerWidth`);
- no visible text smaller than 12 px (SVG text measured after the viewBox scaling);
- every visible form control at least 24 × 24 px (WCAG 2.5.8), radios and checkboxes measured as
  DKFDS draws them (the mark on the label) and hit-tested, so a mark drawn on top of another fails;
- the main navigation and log-in/log-out reachable (visible, or behind a visible menu button).

Each page is also written as a PNG to screenshots/ (gitignored), so whoever changes a
page can look at it: `<role>__<viewport>__<lang>__<path>.png`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import AXE_JS, ROOT, GuardedContext, require_node_modules

pytestmark = pytest.mark.browser

# Not under test-results/: pytest-playwright empties that folder at the start of every run.
SHOTS = ROOT / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)
PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo accounts
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
WS = "/assemblies/groent-byliv-indre-oesterbro/workspace"
SEC = "/secretariat/assemblies/baeredygtigt-forbrug"

# Who looks at which pages: None is a visitor without an account. `{receipt}` and `{seat}` are
# filled in with a registrant's personal links made by the `tokens` fixture.
PAGES: dict[str, list[str]] = {
    "visitor": [
        "/",
        "/assemblies",
        "/assemblies/middelalderbyen-2019",
        "/assemblies/middelalderbyen-2019/recommendations/1",
        "/assemblies/groent-byliv-indre-oesterbro",
        "/assemblies/groent-byliv-indre-oesterbro/recommendations/1",
        "/assemblies/baeredygtigt-forbrug",
        "/assemblies/baeredygtigt-forbrug/register",
        "/assemblies/middelalderbyen-2019/selection",
        "/assemblies/baeredygtigt-forbrug/selection",
        "/login",
        "/privacy",
        "/signup",
        "/signup/sent",
        "/account/reset",
        "/account/reset/sent",
        "/house-rules",
        "/assemblies/klimatilpasning-vejle",
        "/assemblies/skybrud-amager-oest",
        "/assemblies/skybrud-amager-oest/recommendations/1",
        "/assemblies/middelalderbyen-2019/recommendations/9",
        "/recommendations",
        "/recommendations?overdue=1",
        "/assemblies/middelalderbyen-2019/meetings/1",
        "/assemblies/middelalderbyen-2019/materials",
        "/assemblies/middelalderbyen-2019/input",
        "/assemblies/middelalderbyen-2019/input?kind=organisation",
        "/assemblies/middelalderbyen-2019/input/report",
        "/assemblies/groent-byliv-indre-oesterbro/recommendations/2/comment?paragraph=2",
        "/organisations/1",
        "{receipt}",
        "{seat}",
        "{seat_confirmed}",
        "/assemblies/does-not-exist",
    ],
    "member": [
        WS,
        WS + "/forum",
        WS + "/groups",
        WS + "/recommendations/1",
        WS + "/recommendations/1/edit",
        WS + "/recommendations/1/history",
        WS + "/recommendations/new",
        WS + "/ledger",
        "/account",
        "/mine",
        "/account/delete",
    ],
    "secretariat": [
        "/mine",
        "/secretariat/assemblies",
        "/secretariat/assemblies/new",
        SEC,
        SEC + "/quotas",
        SEC + "/draw",
        SEC + "/overview",
        SEC + "/edit",
        SEC + "/timeline",
        SEC + "/meetings/new",
        SEC + "/materials/new",
        SEC + "/registrants",
        SEC + "/members",
        SEC + "/eligibility",
        SEC + "/outbox",
        "/secretariat/organisations",
        "/secretariat/assemblies/middelalderbyen-2019/meetings/1/delete",
        "/dev/outbox",
        "/assemblies/middelalderbyen-2019/workspace/ledger",
        "/council/assemblies/skybrud-amager-oest/handover",
        "/secretariat/moderation",
        "/secretariat/moderation/comments/1",
    ],
    "admin": ["/mine", "/admin/settings", "/admin/users", "/admin/bodies"],
    "council": [
        "/mine",
        "/council",
        "/council/assemblies/skybrud-amager-oest",
        "/council/assemblies/skybrud-amager-oest/recommendations/2",
        "/council/assemblies/skybrud-amager-oest/recommendations/2/preview",
        "/council/assemblies/middelalderbyen-2019/recommendations/9",
    ],
    "committee": [
        "/mine",
        "/mine/input",
        "/assemblies/groent-byliv-indre-oesterbro/responses/new",
        "/responses/1/edit",
        "/assemblies/groent-byliv-indre-oesterbro/recommendations/1",
    ],
    "resident": [
        "/mine",
        "/mine/input",
        "/assemblies/groent-byliv-indre-oesterbro/recommendations/1",
        "/assemblies/groent-byliv-indre-oesterbro/recommendations/1/comment?paragraph=3",
    ],
}
ACCOUNTS = {
    "member": "member@example.org",
    "secretariat": "secretariat@example.org",
    "admin": "admin@example.org",
    "council": "council@example.org",
    "committee": "lokaludvalg@example.org",
    "resident": "resident@example.org",
}

MEASURE = """
() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && el.checkVisibility() && r.width > 0) {
        wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right));
      }
    }
    problems.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window: `
      + wide.slice(-4).join(', '));
  }
  // A table in a scroll wrapper should scroll, not squeeze: no word in a cell is split over
  // two lines (words with a hyphen or slash may break there).
  const cells = [...document.querySelectorAll('.table--responsive-scroll td')]
    .filter(td => td.checkVisibility()).slice(0, 80);
  cells: for (const td of cells) {
    const texts = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s\\-\\/–]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (tops.size > 1) {
          problems.push(`a table cell splits the word "${m[0].slice(0, 30)}" over lines`);
          break cells;
        }
      }
    }
  }
  const shown = el => el.checkVisibility({visibilityProperty: true})
    && !el.closest('.sr-only, .honeypot');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !shown(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement && el.getScreenCTM) {
      const m = el.getScreenCTM();
      if (m) size *= Math.hypot(m.a, m.b);
    }
    if (size < 11.95) small.add(`"${text.slice(0, 30)}" ${size.toFixed(1)}px`);
  }
  if (small.size) problems.push('text smaller than 12px: ' + [...small].slice(0, 5).join('; '));
  const controls = document.querySelectorAll('input, select, textarea, button');
  for (const el of controls) {
    if (el.type === 'hidden' || el.closest('.honeypot')) continue;
    const name = `${el.tagName.toLowerCase()}[name=${el.name || el.id || el.textContent.trim()}]`;
    if (el.type === 'radio' || el.type === 'checkbox') {
      // DKFDS hides the native control (opacity 0) over the mark it draws on label::before.
      const label = el.id && document.querySelector(`label[for="${el.id}"]`);
      if (!label || !label.checkVisibility()) {
        if (el.checkVisibility()) problems.push(`${name} has no visible label`);
        continue;
      }
      const mark = getComputedStyle(label, '::before');
      const w = parseFloat(mark.width), h = parseFloat(mark.height);
      if (mark.content === 'none' || !(w >= 24 && h >= 24)) {
        problems.push(`${name}: its mark is ${mark.width} x ${mark.height}`);
        continue;
      }
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      el.scrollIntoView({block: 'center'});
      const r2 = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r2.left + r2.width / 2, r2.top + r2.height / 2);
      if (r.width < 24 || r.height < 24 || !(hit === el || hit === label)) {
        const what = hit && hit.outerHTML.slice(0, 60);
        problems.push(`${name}: its mark is not where it can be clicked (hit ${what})`);
      }
      continue;
    }
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) {
      problems.push(`${name} is ${Math.round(r.width)} x ${Math.round(r.height)}px`);
    }
  }
  return problems;
}
"""


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@pytest.fixture(scope="session")
def tokens(live_app: Any) -> dict[str, str]:
    """A receipt and two seat-offer links (one waiting for an answer, one confirmed)."""
    from sqlalchemy import select

    from portal.models import Assembly, Registrant, RegistrantStatus

    links = {}
    with live_app.extensions["sessionmaker"]() as session:
        assembly = session.scalars(
            select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug")
        ).one()
        people = session.scalars(
            select(Registrant)
            .where(Registrant.assembly_id == assembly.id)
            .order_by(Registrant.id)
            .limit(3)
        ).all()
        receipt, seat, confirmed = people
        receipt.access_needs = "Trinfri adgang"
        seat.status = RegistrantStatus.DRAWN
        confirmed.status = RegistrantStatus.CONFIRMED
        links = {
            "receipt": f"/assemblies/{assembly.slug}/register/{receipt.token}",
            "seat": f"/seat/{seat.token}",
            "seat_confirmed": f"/seat/{confirmed.token}",
        }
        session.commit()
    return links


def shot_name(role: str, width: str, lang: str, path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return f"{role}__{width}__{lang}__{slug or 'index'}.png"


@pytest.fixture
def looker(
    guarded_context: Callable[..., GuardedContext], tokens: dict[str, str]
) -> Iterator[Callable[[str, str, str], tuple[Any, list[str]]]]:
    made: list[GuardedContext] = []

    def make(role: str, width: str, lang: str) -> tuple[Any, list[str]]:
        guarded = guarded_context(WIDTHS[width], lang)
        made.append(guarded)
        page = guarded.context.new_page()
        if role in ACCOUNTS:
            log_in(page, ACCOUNTS[role])
        return page, PAGES[role]

    yield make
    for guarded in made:
        guarded.context.close()


def header_reachable(page: Any) -> str | None:
    """The main menu and log-in/log-out are visible, or one press of the menu button away."""
    header = page.locator("header")
    menu_link = header.locator('a[href="/assemblies"]:visible')
    account = header.locator(
        'a[href^="/login"]:visible, button:has-text("Log ud"):visible, '
        'button:has-text("Log out"):visible'
    )
    if not (menu_link.count() and account.count()):
        toggle = header.locator(".js-menu-toggle, .menu-toggle").first
        if not toggle.is_visible():
            return "the header shows neither the main menu nor a menu button"
        toggle.click()
        if not (menu_link.count() and account.count()):
            return "the menu button does not show the main menu and log-in/log-out"
        toggle.click()
    return None


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", list(PAGES))
def test_pages_look_right(
    looker: Any, tokens: dict[str, str], role: str, width: str, lang: str
) -> None:
    page, paths = looker(role, width, lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for name in paths:
        path = name.format(**tokens)
        page.goto(path, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=SHOTS / shot_name(role, width, lang, name), full_page=True)
        problems = page.evaluate(MEASURE)
        trouble = header_reachable(page)
        if trouble:
            problems.append(trouble)
        failures += [f"{path}: {p}" for p in problems]
    assert not failures, f"{role}, {width}, {lang}:\n" + "\n".join(failures)


def test_the_phone_menu_works_without_javascript(chromium: Any, live_server: str) -> None:
    context = chromium.new_context(
        base_url=live_server, viewport=WIDTHS["phone"], java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/assemblies/baeredygtigt-forbrug")
        nav = page.locator('header a[href="/assemblies"]:visible')
        login = page.locator('header a[href^="/login"]:visible')
        expect(nav).to_have_count(0)  # the phone shows the menu button, not the whole menu
        page.locator("header .menu-toggle").click()
        expect(nav).to_be_visible()
        expect(login).to_be_visible()
        nav.click()
        expect(page).to_have_url(re.compile(r"/assemblies$"))
    finally:
        context.close()


@pytest.mark.parametrize(("width", "lang"), [("phone", "en"), ("desktop", "da")])
@pytest.mark.parametrize("role", ["member", "secretariat", "admin", "council"])
def test_staff_pages_have_no_axe_violations(looker: Any, role: str, width: str, lang: str) -> None:
    """The public pages are checked in test_accessibility.py; these are the logged-in ones."""
    require_node_modules()
    page, paths = looker(role, width, lang)
    found = []
    for path in paths:
        page.goto(path, wait_until="load")
        page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
        violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
        found += [f"{path}: {v['id']} {[n['html'][:120] for n in v['nodes']]}" for v in violations]
    assert not found, "\n".join(found)


def test_a_resident_finds_the_sign_up_from_the_front_page_in_two_clicks_on_a_phone(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    guarded = guarded_context(WIDTHS["phone"])
    page = guarded.context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name=re.compile("bæredygtigt forbrug")).first.click()
        page.get_by_role("link", name="Meld dig til lodtrækningen").click()
        expect(page.locator("h1")).to_have_text("Meld dig til lodtrækningen")
    finally:
        guarded.context.close()
