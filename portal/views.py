"""What every template may use: the clock, the language, filters and labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from . import labels
from .phases import local_date
from .sanitize import render_markdown


def now() -> datetime:
    """The current time; tests pin it with the NOW config value."""
    pinned = current_app.config.get("NOW")
    return pinned if pinned is not None else datetime.now(UTC)


def clock_of(app: Flask) -> Callable[[], datetime]:
    """A clock for work outside the request (background threads), honouring a pinned NOW."""
    pinned = app.config.get("NOW")
    return (lambda: pinned) if pinned is not None else (lambda: datetime.now(UTC))


def today() -> date:
    """Today in Copenhagen: the same day the commands' phase checks use."""
    return local_date(now())


def current_language() -> str:
    """The page's language code for `<html lang>`: "da" or "en"."""
    locale = get_locale()
    return locale.language if locale is not None else "da"


def localized(obj: Any, attr: str) -> str:
    """The English text of a field when the visitor reads English and one exists."""
    if current_language() == "en":
        english = getattr(obj, f"{attr}_en", None)
        if english:
            return str(english)
    return str(getattr(obj, attr) or "")


def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments changed (pagination keeps the filters)."""
    args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {}), **changes}
    return url_for(request.endpoint or "public.index", **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        localized=localized, labels=labels, url_with=url_with, csrf_token=generate_csrf, today=today
    )

    @app.context_processor
    def _context() -> dict[str, Any]:
        return {
            "lang": current_language(),
            "accessibility_url": app.config["ACCESSIBILITY_STATEMENT_URL"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
