"""Pages speak one language: crawl the portal in Danish and in English and check the text against
the catalog. An English page may show Danish only inside content marked lang="da" (stored texts
without an English version); a Danish page shows none of the catalog's English.

Also: no page, template or chart uses inline styles (the Content-Security-Policy forbids them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from portal.config import ROOT

CATALOG = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
START = [
    "/",
    "/assemblies",
    "/assemblies/middelalderbyen-2019",
    "/assemblies/groent-byliv-indre-oesterbro",
    "/assemblies/baeredygtigt-forbrug",
    "/assemblies/baeredygtigt-forbrug/register",
    "/assemblies/baeredygtigt-forbrug/selection",
    "/assemblies/middelalderbyen-2019/selection",
    "/privacy",
    "/login",
]
STAFF = {
    "council": [
        "/council",
        "/council/assemblies/skybrud-amager-oest",
        "/council/assemblies/skybrud-amager-oest/recommendations/2",
        "/council/assemblies/skybrud-amager-oest/recommendations/2/preview",
        "/recommendations?overdue=1",
        "/assemblies/skybrud-amager-oest/recommendations/1",
        "/assemblies/middelalderbyen-2019/recommendations/9",
    ],
    "secretariat": [
        "/secretariat/assemblies/baeredygtigt-forbrug",
        "/secretariat/assemblies/baeredygtigt-forbrug/quotas",
        "/secretariat/assemblies/baeredygtigt-forbrug/draw",
    ],
    "member": [
        "/assemblies/groent-byliv-indre-oesterbro/workspace",
        "/assemblies/groent-byliv-indre-oesterbro/workspace/forum",
        "/assemblies/groent-byliv-indre-oesterbro/workspace/recommendations/1",
        "/assemblies/groent-byliv-indre-oesterbro/workspace/recommendations/1/history",
        "/account",
    ],
    "admin": ["/admin/settings"],
}
SKIP = ("/static", "/language", "/logout", "/favicon", "/healthz")
MAX_PAGES = 60


class Text(HTMLParser):
    """The visible text of a page outside elements marked with another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, other_lang: str) -> None:
        super().__init__()
        self.other = other_lang
        self.stack: list[bool] = []  # per open element: is it (inside) other-language content?
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag in self.VOID:
            return
        skip = bool(self.stack and self.stack[-1])
        lang = (a.get("lang") or "").split("-")[0]
        if lang == self.other:
            skip = True
        elif lang:
            skip = False  # back in the page's own language
        if tag in ("script", "style", "title"):
            skip = True
        self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def _catalog() -> list[tuple[str, str]]:
    """(Danish, English) pairs worth looking for: different in the two languages, no placeholders."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    pairs = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        da, en = str(message.id), str(message.string)
        if "%(" in da or da == en or len(da) < 4:
            continue
        pairs.append((da, en))
    return pairs


def _found(phrase: str, text: str) -> bool:
    # A whole word or phrase; not part of an e-mail address ("secretariat@example.org" is no English).
    return re.search(r"(?<![\w@-])" + re.escape(phrase) + r"(?![\w@-])", text) is not None


def _crawl(client: FlaskClient, start: list[str], lang: str) -> dict[str, str]:
    """GET pages from `start`, following links on this site, up to MAX_PAGES; {path: text}."""
    other = "en" if lang == "da" else "da"
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            seen[path] = ""
            continue
        parser = Text(other)
        parser.feed(response.get_data(as_text=True))
        seen[path] = parser.text()
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or not url.path.startswith("/") or url.path.startswith(SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and "/selection/runs/" not in target:
                queue.append(target)
    return seen


def _problems(pages: dict[str, str], lang: str) -> list[str]:
    out = []
    pairs = _catalog()
    # A phrase that is also right in the page's language (e.g. "Video" in both) is no mistake.
    right = {en for _, en in pairs} if lang == "en" else {da for da, _ in pairs}
    for da, en in pairs:
        wrong = da if lang == "en" else en
        if wrong in right:
            continue
        for path, text in pages.items():
            if text and _found(wrong, text):
                out.append(f"{path}: {wrong!r}")
                break
    return out


@pytest.mark.parametrize("lang", ["da", "en"])
def test_pages_speak_the_visitors_language(
    client: FlaskClient, login_as: Callable[[str], FlaskClient], lang: str
) -> None:
    client.get(f"/language/{lang}")
    pages = _crawl(client, START, lang)
    for role, paths in STAFF.items():
        login_as(role)
        client.get(f"/language/{lang}")
        pages.update(_crawl(client, paths, lang))
        client.post("/logout")
    assert len([t for t in pages.values() if t]) >= 20, sorted(pages)
    problems = _problems(pages, lang)
    label = (
        "Danish catalog text on English pages outside lang=da"
        if lang == "en"
        else ("English catalog text on Danish pages")
    )
    assert not problems, f"{label}:\n" + "\n".join(problems)


def test_templates_use_no_inline_styles() -> None:
    offenders = []
    for path in sorted(Path(ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if re.search(r"\sstyle\s*=|<style[\s>]", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    "path",
    [
        "/assemblies/middelalderbyen-2019",
        "/assemblies/middelalderbyen-2019/selection",
        "/assemblies/groent-byliv-indre-oesterbro",
    ],
)
def test_charts_draw_with_svg_attributes_and_classes(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    rects = re.findall(r"<rect\b[^>]*>", html)
    assert rects, f"{path} draws no bars"
    assert all('class="' in r and "width=" in r for r in rects), rects[:3]
    assert " style=" not in html and "<style" not in html
