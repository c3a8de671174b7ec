"""The Content-Security-Policy in Chromium: every page of the layout checks, per role, loads without
a single violation (no inline script, style or eval blocked), and htmx still swaps under it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, GuardedContext
from .test_layout import ACCOUNTS, PAGES, log_in, tokens

pytestmark = pytest.mark.browser
__all__ = ["tokens"]  # the fixture that fills in {receipt} and {seat}

# Every violation the page reports, collected before any script of the page runs.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} `
    + `at ${e.sourceFile || ''}:${e.lineNumber || ''} ${(e.sample || '').slice(0, 60)}`);
});
"""


def watch(context: Any) -> list[str]:
    """Record CSP violations in every page of the context: events and console messages."""
    refused: list[str] = []
    context.add_init_script(RECORD_VIOLATIONS)

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            refused.append(text[:200])

    context.on("console", on_console)
    return refused


def violations(page: Any, refused: list[str]) -> list[str]:
    page.wait_for_timeout(50)  # events are dispatched asynchronously
    found = list(page.evaluate("() => window.__csp || []")) + refused
    refused.clear()
    return found


@pytest.mark.parametrize("role", ["visitor", *ACCOUNTS])
def test_no_page_violates_the_content_security_policy(
    guarded_context: Callable[..., GuardedContext], tokens: dict[str, str], role: str
) -> None:
    guarded = guarded_context(DESKTOP)
    refused = watch(guarded.context)
    page = guarded.context.new_page()
    if role in ACCOUNTS:
        log_in(page, ACCOUNTS[role])
    problems = []
    for path in PAGES[role]:
        response = page.goto(path.format(**tokens))
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        config = page.evaluate(
            "() => window.htmx && [htmx.config.includeIndicatorStyles, htmx.config.allowEval]"
        )
        assert config == [False, False], f"{path}: htmx is not configured for the policy"
        problems += [f"{path}: {v}" for v in violations(page, refused)]
    guarded.context.close()
    assert not problems, "\n".join(problems)


def test_htmx_swaps_under_the_policy(guarded_context: Callable[..., GuardedContext]) -> None:
    guarded = guarded_context(DESKTOP)
    refused = watch(guarded.context)
    page = guarded.context.new_page()
    page.goto("/assemblies")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as sent:
        page.locator('select[name="phase"]').select_option(index=1)
    assert sent.value.url.startswith(page.url.split("?")[0])
    expect(page).to_have_url(re.compile(r"phase="))
    expect(page.locator("#assembly-list")).to_be_visible()
    assert violations(page, refused) == []
    # No <style> was injected by htmx (it would have been blocked and reported above anyway).
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    guarded.context.close()


def test_an_inline_script_would_be_reported(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    """The check above can fail: an injected inline script is blocked and reported."""
    guarded = guarded_context(DESKTOP)
    refused = watch(guarded.context)
    page = guarded.context.new_page()
    page.goto("/privacy")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.__ran === undefined")
    assert violations(page, refused), "an inline script ran or was not reported"
    guarded.context.close()
