"""What every template may use: the clock, the language, filters and labels."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, request, url_for
from flask_babel import format_decimal, get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.local import LocalProxy

from . import labels
from .db import get_session
from .i18n import current_language
from .models import Role, SiteSettings
from .phases import local_date
from .sanitize import render_markdown
from .site import blank_site_settings, get_site_settings, paragraphs


def now() -> datetime:
    """The current time; tests pin it with the NOW config value."""
    pinned = current_app.config.get("NOW")
    return pinned if pinned is not None else datetime.now(UTC)


def today() -> date:
    """Today in Copenhagen: the same day the commands' phase checks use."""
    return local_date(now())


def localized(obj: Any, attr: str) -> str:
    """The English text of a field when the visitor reads English and one exists."""
    if current_language() == "en":
        english = getattr(obj, f"{attr}_en", None)
        if english:
            return str(english)
    return str(getattr(obj, attr) or "")


def localized_html(obj: Any, attr: str) -> Markup:
    """`localized`, for page text: Danish shown on a page in another language is marked lang="da"."""
    text = localized(obj, attr)
    if current_language() != "da" and text and not getattr(obj, f"{attr}_en", None):
        return Markup('<span lang="da">%s</span>') % text
    return Markup("%s") % text


def percent(fraction: float | None, decimals: int = 0) -> str:
    """A share as a percentage in the page's language: "14,3 %" in Danish, "14.3%" in English."""
    if fraction is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    number = format_decimal(100 * fraction, format=pattern)
    return f"{number}%" if current_language() == "en" else f"{number}\N{NO-BREAK SPACE}%"


def number(value: float, decimals: int = 0) -> str:
    """A number with the page language's decimal mark and digit grouping."""
    return str(format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else "")))


def long_date(value: datetime | date) -> str:
    """`|dateformat("long")` (the day in Copenhagen), remembered per day and language: a page with
    hundreds of comments formats only the few days they were written on."""
    day = local_date(value) if isinstance(value, datetime) else value
    return _long_date(day, str(get_locale() or "da"))


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    return str(babel_format_date(day, "long", locale=locale))


def _site() -> SiteSettings:
    # Read once per request (kept on the request, not on g, which tests share across requests),
    # and only by pages that show it.
    settings: SiteSettings | None = getattr(request, "site_settings", None)
    if settings is None:
        try:
            settings = get_site_settings(get_session())
        except SQLAlchemyError:
            # The header is decoration: an error page (database down) must still render.
            get_session().rollback()
            settings = blank_site_settings()
        request.site_settings = settings  # type: ignore[attr-defined]
    return settings


def is_staff() -> bool:
    """True for the secretariat and admins (who may preview what is not public yet)."""
    user = current_user
    return bool(user and user.is_authenticated and user.has_role(Role.SECRETARIAT))


def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments changed (pagination keeps the filters)."""
    args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {}), **changes}
    return url_for(request.endpoint or "public.index", **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        localized=localized,
        loc=localized_html,
        is_staff=is_staff,
        page_lang=current_language,  # for macros, which do not see the page's context
        labels=labels,
        Role=Role,  # templates and imported macros check roles by name
        url_with=url_with,
        csrf_token=generate_csrf,
        today=today,
        percent=percent,
        number=number,
        long_date=long_date,
        paragraphs=paragraphs,
        site=LocalProxy(_site),
    )

    @app.context_processor
    def _context() -> dict[str, Any]:
        return {
            "lang": current_language(),
            "accessibility_url": app.config["ACCESSIBILITY_STATEMENT_URL"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
