"""Every public page has zero axe-core violations for WCAG 2.1 A and AA, on desktop and phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import (
    AXE_JS,
    LANGUAGES,
    PUBLIC_PAGES,
    VIEWPORTS,
    GuardedContext,
    require_node_modules,
)

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)


@pytest.fixture(scope="session")
def contexts(
    guarded_context: Callable[..., GuardedContext],
) -> Callable[[str, str], GuardedContext]:
    """One context per (viewport, language), made on first use and kept for the session."""
    made: dict[tuple[str, str], GuardedContext] = {}

    def get(viewport: str, lang: str) -> GuardedContext:
        if (viewport, lang) not in made:
            made[(viewport, lang)] = guarded_context(VIEWPORTS[viewport], lang)
        return made[(viewport, lang)]

    return get


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES, ids=[p for p, _ in PUBLIC_PAGES])
def test_no_axe_violations(
    contexts: Callable[[str, str], GuardedContext], path: str, status: int, viewport: str, lang: str
) -> None:
    require_node_modules()
    guarded = contexts(viewport, lang)
    page = guarded.context.new_page()
    try:
        response = page.goto(path, wait_until="load")
        assert response is not None
        assert response.status == status, f"GET {path} answered {response.status}, not {status}"
        assert page.evaluate("document.documentElement.lang") == lang, (
            f"{path}: <html lang> is not {lang!r} in the {lang} session"
        )
        page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
        result = page.evaluate(AXE_RUN, WCAG_TAGS)
    finally:
        page.close()
    violations = result["violations"]
    if violations:
        pytest.fail(
            f"{len(violations)} axe violation(s) on {path} ({viewport}, {lang}):\n"
            + describe(violations)
        )


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES, ids=[p for p, _ in PUBLIC_PAGES])
def test_pages_load_only_local_assets(page: Any, path: str, status: int) -> None:
    """No CDN at run time, and every stylesheet, script, font and icon the page asks for exists."""
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == status
    page.evaluate("document.fonts.ready.then(() => true)")  # fonts are fetched lazily
    blocked = list(page.traffic.blocked)
    failed = [u for u in page.traffic.failed if not u.endswith("/favicon.ico")]
    assert not blocked, f"{path} requested other hosts: {blocked}"
    assert not failed, f"{path} has failing sub-resources: {failed}"
    sheets = page.evaluate("Array.from(document.styleSheets, s => s.href).filter(Boolean)")
    assert any("dkfds" in href for href in sheets), f"{path} does not load the DKFDS stylesheet"
