"""The only HTML we make from user text is safe: all shared XSS payloads are neutralised."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from portal.sanitize import markdown_to_html
from tests.shared_dir import shared_dir

XSS_DIR = shared_dir() / "testdata" / "xss"


def _payloads() -> list[str]:
    files = sorted(p for p in XSS_DIR.rglob("*") if p.is_file() and p.suffix != ".md")
    assert files, f"XSS payloads missing in {XSS_DIR}"
    payloads: list[str] = []
    for f in files:
        payloads += [
            line
            for line in f.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip()
        ]
    return payloads


ALLOWED = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code"}


class _Elements(HTMLParser):
    """Collects every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _unsafe(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag not in ALLOWED:
            problems.append(f"tag {tag}")
        for name, value in attrs:
            if name not in {"href", "title", "rel"}:
                problems.append(f"attribute {name}")
            if name == "href" and urlsplit(value or "").scheme not in {
                "",
                "http",
                "https",
                "mailto",
            }:
                problems.append(f"href {value}")
    return problems


def test_every_payload_is_neutralised() -> None:
    payloads = _payloads()
    assert len(payloads) >= 150
    for payload in payloads:
        html = markdown_to_html(payload)
        assert _unsafe(html) == [], (payload, html)


def test_the_safe_subset_survives() -> None:
    html = markdown_to_html("**Vigtigt** og *vigtigere*\n\n- et\n- to\n\n[kilde](https://kk.dk)")
    assert "<strong>Vigtigt</strong>" in html and "<em>vigtigere</em>" in html
    assert "<li>et</li>" in html
    assert '<a href="https://kk.dk" rel="nofollow noopener noreferrer">kilde</a>' in html


@pytest.mark.parametrize("text", ["# Overskrift", "![billede](https://x/y.png)", "<b>rå html</b>"])
def test_layout_and_raw_html_are_not_rendered(text: str) -> None:
    html = markdown_to_html(text)
    assert "<h1" not in html and "<img" not in html and "<b>" not in html
