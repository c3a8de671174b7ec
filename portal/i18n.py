"""Danish by default, English on request (a cookie set by the language switch)."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

LANGUAGES = ("da", "en")
COOKIE = "samling-lang"


# English pages use British conventions (dates "30 June 2020"); texts come from the `en` catalog.
LOCALES = {"da": "da", "en": "en_GB"}


def select_locale() -> str:
    """The visitor's chosen language, else Danish (the portal's language)."""
    chosen = request.cookies.get(COOKIE)
    return LOCALES.get(chosen or "", "da")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LOCALE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    Babel(app, locale_selector=select_locale)
