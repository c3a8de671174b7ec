"""CSRF protection on every POST (Flask-WTF); htmx sends the token from <body hx-headers>."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    csrf.init_app(app)
