"""The XSS corpus (../shared/testdata/xss/) through every free-text field of every form, in Chromium.

The forms are discovered, not listed: each role of test_layout.PAGES crawls its pages and collects
every POST form with text inputs or textareas, so a new field is covered the day it appears. Each
payload is typed into one field (the rest of the form keeps what the page filled in, or a plausible
value), the form is sent, and on the page that comes back:

- no dialog opened (alert/confirm/prompt) and no request left 127.0.0.1;
- no element carries an `on…` attribute and no inline <script> exists (the templates have none, so
  any is injected — checked directly, because the Content-Security-Policy would also stop them from
  running and hide an escaping bug);
- no CSP violation was reported;
- the text reads back as typed: a form shown again (422) holds exactly the payload, and an edit
  form opened again after saving holds the saved text exactly as typed.

Run time is bounded: the default browser run sends each form once with a payload in every field
(rotating through the corpus, so different fields get different payloads); its `hostile` variant
(`make test-hostile`) also sends HOSTILE_SAMPLE payloads through each field alone, the rest of the
form filled plausibly so that the text is saved and shown; XSS_FULL=1 sends every payload through
every field alone (hours; for a release).

The test has a live server of its own (a fresh database), because it saves payloads everywhere.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.shared_dir import shared_dir

from .conftest import DESKTOP, guard
from .test_csp import RECORD_VIOLATIONS
from .test_layout import ACCOUNTS, PAGES, PASSWORD

pytestmark = pytest.mark.browser

HOSTILE_SAMPLE = 1
SKIP_ACTIONS = ("/logout", "/account/sessions/end", "/language/")
TEXT_TYPES = ("text", "email", "search", "url", "tel", "textarea")
PLAUSIBLE = {
    "email": "xss-{n}@example.dk",
    "postcode": "5000",
    "phone": "12345678",
    "date": "2027-03-01",
    "starts": "17:00",
    "ends": "20:00",
    "url": "https://example.dk/x",
    "accessible_url": "",
    "seed": "1 2 3 4 5",
    "count": "5",
    "slug": "xss-{n}",
    "seats": "20",
    "answer_weeks": "8",
}

FIND_INJECTED = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && /^\\s*javascript:/i.test(attr.value)) found.push(`${attr.name}=javascript:`);
    }
  }
  for (const s of document.querySelectorAll('script:not([src])')) found.push('inline <script>');
  for (const tag of ['iframe', 'object', 'embed', 'base', 'meta[http-equiv]']) {
    if (document.querySelector(tag)) found.push(`<${tag}>`);
  }
  return found;
}
"""

FORMS = """
() => [...document.querySelectorAll('form')]
  .filter(f => (f.getAttribute('method') || '').toLowerCase() === 'post')
  .map((f, index) => ({
    index,
    action: f.getAttribute('action') || location.pathname,
    fields: [...f.querySelectorAll('input, textarea')]
      .filter(el => el.name && (el.tagName === 'TEXTAREA' || TEXT_TYPES.includes(el.type))
              && !el.closest('.honeypot'))
      .map(el => el.name),
  }))
  .filter(f => f.fields.length)
""".replace("TEXT_TYPES", str(list(TEXT_TYPES)))


def corpus() -> list[str]:
    """The payloads, read at test time from the shared test data (never copied here)."""
    folder = shared_dir() / "testdata" / "xss"
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the XSS corpus lives in ../shared/testdata/xss/")
    lines: list[str] = []
    for name in ("IntrudersXSS.txt", "XSS_Polyglots.txt"):
        text = (folder / name).read_text(encoding="utf-8")
        lines += [line for line in text.splitlines() if line.strip()]
    assert len(lines) >= 190
    return lines


def sample_size(depth: str, total: int) -> int:
    if depth == "sample":
        return 1
    return total if os.environ.get("XSS_FULL") == "1" else HOSTILE_SAMPLE


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal on a database of its own (payloads get saved everywhere), limits raised."""
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.demo import load_demo
    from portal.models import Base

    tmp = tmp_path_factory.mktemp("xss-db")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp}/xss.db",
            "QUEUE_URL": f"sqlite:///{tmp}/queue.db",
            "QUEUE_IMMEDIATE": True,
            "SECRET_KEY": "x" * 40,
            "PASSWORD_HASH": "fast",
            "TESTING": False,
            "UPLOAD_DIR": str(tmp / "uploads"),
            "REGISTRATION_LIMIT_PER_ADDRESS": 1_000_000,
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 1_000_000,
            "LOGIN_MAX_FAILURES": 1_000_000,
        }
    )
    Base.metadata.create_all(app.extensions["engine"])
    with app.extensions["sessionmaker"]() as session:
        load_demo(session, now=None, upload_dir=str(tmp / "uploads"))
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="xss-server", daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    app.extensions["engine"].dispose()


@dataclass
class Browser:
    """One role's browser page with everything that would betray a payload that ran."""

    page: Any
    traffic: Any
    role: str
    dialogs: list[str] = field(default_factory=list)

    def log_in(self) -> None:
        if self.role not in ACCOUNTS:
            return
        self.page.goto("/login")
        form = self.page.locator("main form", has=self.page.locator('input[name="password"]'))
        form.locator('input[name="email"]').fill(ACCOUNTS[self.role])
        form.locator('input[name="password"]').fill(PASSWORD)
        form.locator('button[type="submit"]').click()
        self.page.wait_for_load_state()

    def evidence(self) -> list[str]:
        """What ran or was injected on the current page (and clears the records)."""
        page = self.page
        page.wait_for_timeout(30)
        found = [f"dialog: {d}" for d in self.dialogs]
        found += [f"request off 127.0.0.1: {u}" for u in self.traffic.blocked]
        found += [f"injected: {x}" for x in page.evaluate(FIND_INJECTED)]
        found += [f"CSP violation: {v}" for v in page.evaluate("() => window.__csp || []")]
        found += ["window.__xss set"] if page.evaluate("() => window.__xss !== undefined") else []
        self.dialogs.clear()
        self.traffic.reset()
        return found


@pytest.fixture(scope="module")
def open_browser(chromium: Any, xss_server: str) -> Iterator[Any]:
    made: list[Any] = []

    def make(role: str) -> Browser:
        context = chromium.new_context(
            base_url=xss_server, viewport=DESKTOP, locale="da-DK", timezone_id="Europe/Copenhagen"
        )
        context.set_default_timeout(20_000)
        made.append(context)
        traffic = guard(context)
        context.add_init_script(RECORD_VIOLATIONS)
        # Fonts and pictures play no part here: skip them to keep the run short.
        context.route("**/*.{woff,woff2,png,jpg,ico}", lambda route: route.abort())
        browser = Browser(context.new_page(), traffic, role)

        def on_dialog(dialog: Any) -> None:
            browser.dialogs.append(f"{dialog.type}: {dialog.message[:40]}")
            dialog.dismiss()

        browser.page.on("dialog", on_dialog)
        browser.log_in()
        return browser

    yield make
    for context in made:
        context.close()


@dataclass(frozen=True)
class Field:
    page: str
    form: int  # index among the page's POST forms
    action: str
    name: str


def discover(browser: Browser, pages: list[str]) -> list[Field]:
    """Every free-text field of every POST form on the role's pages (one per action and name)."""
    seen: dict[tuple[str, str], Field] = {}
    for path in pages:
        response = browser.page.goto(path)
        if response is None or response.status != 200:
            continue
        for form in browser.page.evaluate(FORMS):
            if form["action"].startswith(SKIP_ACTIONS):
                continue
            for name in form["fields"]:
                seen.setdefault(
                    (form["action"], name), Field(path, form["index"], form["action"], name)
                )
    return list(seen.values())


def _fill_others(form: Any, targets: set[str], n: int) -> None:
    """Empty text fields other than the target get a plausible value, so the form can save."""
    for el in form.locator("input:visible, textarea:visible").all():
        name = el.get_attribute("name") or ""
        kind = (el.get_attribute("type") or "text").lower()
        if not name or name in targets or el.evaluate("e => e.closest('.honeypot') !== null"):
            continue
        if kind in ("checkbox", "radio", "hidden", "submit", "button", "file", "password"):
            continue
        if kind in ("number", "range"):
            if not el.input_value():
                el.fill("1")
            continue
        if kind in ("date", "time", "datetime-local", "month", "week", "color"):
            continue  # filled by the page's own defaults or left empty (the form says so)
        if not el.input_value():
            el.fill(PLAUSIBLE.get(name, "Almindelig tekst").format(n=n))


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\x00", "").strip()


def send(
    browser: Browser, page_path: str, form_index: int, typed: dict[str, str], n: int
) -> list[str]:
    """Type the payloads into their fields, send the form, and say what went wrong."""
    page = browser.page
    page.goto(page_path)
    forms = page.locator("form[method=post], form[method=POST]")
    if forms.count() <= form_index:
        return []  # the form is gone (e.g. the thing was deleted by an earlier payload)
    form = forms.nth(form_index)
    typed = {
        name: payload
        for name, payload in typed.items()
        if form.locator(f'[name="{name}"]').count()
        and form.locator(f'[name="{name}"]').first.is_visible()
    }
    if not typed:
        return []
    _fill_others(form, set(typed), n)
    for name, payload in typed.items():
        # Set the value directly: typing would let the browser reject or transform it.
        form.locator(f'[name="{name}"]').first.evaluate("(el, v) => { el.value = v; }", payload)
    problems = [f"before sending: {e}" for e in browser.evidence()]
    submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])')

    def press() -> None:
        if submit.count():
            submit.first.click()
        else:
            form.evaluate("f => f.requestSubmit()")

    if form.get_attribute("data-hx-post"):  # htmx swaps a partial in: no navigation
        with page.expect_response(lambda r: r.request.method == "POST"):
            press()
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    else:
        with page.expect_navigation():
            press()
    problems += browser.evidence()
    for name, payload in typed.items():
        problems += [f"[{name}] {p}" for p in _reads_back(browser, name, payload)]
    if len(typed) == 1 and page.locator(f'[name="{next(iter(typed))}"]').count() == 0:
        problems += _saved_as_typed(browser, page_path, form_index, typed)
    if "/login" in page.url and browser.role in ACCOUNTS:
        browser.log_in()  # the form ended the session (or it expired): carry on logged in
    return problems


def _reads_back(browser: Browser, name: str, payload: str) -> list[str]:
    """A form shown again holds exactly what was typed; saved text shown reads as typed."""
    page = browser.page
    expected = _normalise(payload)
    shown_again = page.locator(f'[name="{name}"]')
    if shown_again.count():
        values = [_normalise(v) for v in shown_again.evaluate_all("els => els.map(e => e.value)")]
        if expected in values or not expected:
            return []
        if any(v and v in expected for v in values):
            return []  # shortened by the field's own limit or cleaning, not mangled
        if not any(values) or not shown_again.first.is_visible():
            return []  # a fresh form after a successful save
        return [f"form shown again with {values[0][:60]!r} instead of the payload"]
    return []


def _saved_as_typed(
    browser: Browser, page_path: str, form_index: int, typed: dict[str, str]
) -> list[str]:
    """An edit form opened again after saving holds the saved text exactly as typed."""
    page = browser.page
    page.goto(page_path)
    problems = [f"after saving: {e}" for e in browser.evidence()]
    forms = page.locator("form[method=post], form[method=POST]")
    if forms.count() <= form_index:
        return problems
    for name, payload in typed.items():
        field_ = forms.nth(form_index).locator(f'[name="{name}"]')
        saved = _normalise(field_.first.input_value()) if field_.count() else ""
        expected = _normalise(payload)
        if saved and saved != expected and not expected.startswith(saved):
            problems.append(f"[{name}] saved as {saved[:60]!r}, typed {expected[:60]!r}")
    return problems


def rounds(
    fields: list[Field], payloads: list[str], depth: str
) -> Iterator[tuple[Field, dict[str, str], int]]:
    """What to send: the sample fills every field of a form at once (one payload each, rotating
    through the corpus); the hostile run then sends payloads one field at a time, the rest of the
    form plausible, so the text is saved and shown."""
    by_form: dict[tuple[str, int], list[Field]] = {}
    for f in sorted(fields, key=lambda f: (f.action, f.name)):
        by_form.setdefault((f.page, f.form), []).append(f)
    n = 0
    for group in by_form.values():
        typed = {}
        for f in group:
            typed[f.name] = payloads[n % len(payloads)]
            n += 1
        yield group[0], typed, n
    if depth == "sample":
        return
    per_field = sample_size(depth, len(payloads))
    for group in by_form.values():
        for f in group:
            for _ in range(per_field):
                yield f, {f.name: payloads[n % len(payloads)]}, n
                n += 1


@pytest.mark.parametrize("depth", ["sample", pytest.param("hostile", marks=pytest.mark.hostile)])
@pytest.mark.parametrize("role", ["visitor", *ACCOUNTS])
def test_xss_corpus_through_every_free_text_field(open_browser: Any, role: str, depth: str) -> None:
    payloads = corpus()
    browser = open_browser(role)
    pages = [p for p in PAGES[role] if "{" not in p]
    fields = discover(browser, pages)
    assert fields or role in ("council", "committee"), f"{role}: no forms found on {pages}"
    problems = []
    for target, typed, n in rounds(fields, payloads, depth):
        for problem in send(browser, target.page, target.form, typed, n):
            problems.append(f"{target.action} payload ≤{n}: {problem}")
    assert not problems, f"{role}: {len(problems)} problems\n" + "\n".join(problems[:40])


def test_saved_payloads_run_nowhere(open_browser: Any) -> None:
    """After the forms above, every page of every role shows the saved payloads: nothing runs."""
    problems = []
    for role in ["visitor", *ACCOUNTS]:
        browser = open_browser(role)
        for path in PAGES[role]:
            if "{" not in path:
                browser.page.goto(path)
                problems += [f"{role} {path}: {e}" for e in browser.evidence()]
    assert not problems, "\n".join(problems[:40])


def test_the_checks_see_an_injected_handler(open_browser: Any) -> None:
    """Negative control: markup injected unescaped is found even though the CSP stops it."""
    browser = open_browser("visitor")
    browser.page.goto("/privacy")
    browser.page.evaluate(
        "() => document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>')"
    )
    found = browser.evidence()
    assert any("onerror" in f for f in found), found
    assert any("CSP violation" in f for f in found), found


def test_corpus_is_read_from_the_shared_folder() -> None:
    assert Path(shared_dir(), "testdata", "xss", "IntrudersXSS.txt").is_file()
    assert "<script>alert('XSS')</script>" in corpus()
