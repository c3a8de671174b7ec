"""A table that scrolls sideways on a phone must be reachable by keyboard (WCAG 2.1.1, axe's
scrollable-region-focusable). The browser tests only see it on the pages and widths where a table
happens to overflow, so every scroll wrapper in the templates is checked here."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WRAPPER = re.compile(r"<div\b[^>]*\btable--responsive-scroll\b[^>]*>")


def test_every_sideways_scrolling_table_can_take_focus_and_has_a_name():
    wrappers = [
        (path.relative_to(TEMPLATES), tag)
        for path in TEMPLATES.rglob("*.html")
        for tag in WRAPPER.findall(path.read_text(encoding="utf-8"))
    ]
    assert wrappers, "no scroll wrappers found: has the class been renamed?"
    missing = [
        f"{path}: {tag}"
        for path, tag in wrappers
        if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label=" not in tag
    ]
    assert not missing, "\n".join(missing)
