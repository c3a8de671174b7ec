"""The only module that reads HX-* headers: page or partial, Vary, triggers."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from flask_htmx import HTMX

htmx = HTMX()


def is_htmx() -> bool:
    """True when htmx asked for a fragment (and it is not a history restore of a full page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def page_or_partial(page_template: str, partial_template: str, /, **context: Any) -> Response:
    """Render the full page, or only its partial for htmx; tell caches the two differ."""
    template = partial_template if is_htmx() else page_template
    response = Response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


def partial_or_redirect(partial_template: str, location: str, /, **context: Any) -> Response:
    """After a command: the updated partial for htmx, else a redirect (post/redirect/get)."""
    if is_htmx():
        response = Response(render_template(partial_template, **context))
    else:
        response = Response(status=303, headers={"Location": location})
    response.vary.add("HX-Request")
    return response


def as_whole_page(response: Response) -> Response:
    """Make htmx swap a full page in place of the body (a form shown again with its errors)."""
    if is_htmx():
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "outerHTML"
        response.headers["HX-Push-Url"] = "false"
    response.vary.add("HX-Request")
    return response


def trigger(response: Response, event: str) -> Response:
    response.headers["HX-Trigger"] = event
    return response
