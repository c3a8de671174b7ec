"""Danish by default, English on request (a cookie set by the language switch)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale

LANGUAGES = ("da", "en")
COOKIE = "samling-lang"


# English pages use British conventions (dates "30 June 2020"); texts come from the `en` catalog.
LOCALES = {"da": "da", "en": "en_GB"}


def select_locale() -> str:
    """The visitor's chosen language, else the portal's (Danish); outside a request (CLI, jobs) the
    portal's language, so that commands and background work never need a request."""
    default = LOCALES.get(current_app.config["DEFAULT_LOCALE"], "da")
    if not has_request_context():
        return default
    chosen = request.cookies.get(COOKIE)
    return LOCALES.get(chosen or "", default)


def current_language() -> str:
    """The page's language code for `<html lang>`: "da" or "en"."""
    locale = get_locale()
    return locale.language if locale is not None else "da"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LOCALE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    Babel(app, locale_selector=select_locale)
