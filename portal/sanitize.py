"""The only place that turns user text into HTML: a small Markdown subset, then nh3's allowlist."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# CommonMark without raw HTML, images or tables: members write prose, not layout.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
    ["image", "html_block", "html_inline", "heading", "lheading", "table", "fence", "code_block"],
    ignoreInvalid=True,
)


def markdown_to_html(text: str) -> str:
    """Render the safe Markdown subset and strip anything outside the allowlist."""
    rendered = _markdown.render(text or "")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text: str) -> Markup:
    """Jinja filter: sanitised HTML that templates may show as is."""
    return Markup(markdown_to_html(text))  # noqa: S704 - produced by nh3 above


# A web address in plain text: http(s) only, up to whitespace or a character that rarely ends one.
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def _linked(line: str) -> str:
    """One line of plain text, escaped, with its http(s) addresses made into links."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(line):
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING:
            url, trail = url[:-1], url[-1] + trail
        out.append(html.escape(line[last : match.start()], quote=True))
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url, quote=True)}</a>')
        out.append(html.escape(trail, quote=True))
        last = match.end()
    out.append(html.escape(line[last:], quote=True))
    return "".join(out)


def plain_text_to_html(text: str) -> str:
    """Plain text as typed (no markup of any kind) → paragraphs at blank lines, line breaks, and
    http(s) addresses as links; then nh3's allowlist, so nothing else can get through."""
    blocks = [b.strip() for b in re.split(r"\r?\n\s*\r?\n", text or "") if b.strip()]
    rendered = "".join(
        "<p>" + "<br>".join(_linked(line) for line in block.splitlines()) + "</p>"
        for block in blocks
    )
    return nh3.clean(
        rendered,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer ugc",
    )
