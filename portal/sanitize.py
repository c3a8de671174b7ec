"""The only place that turns user text into HTML: a small Markdown subset, then nh3's allowlist."""

from __future__ import annotations

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
