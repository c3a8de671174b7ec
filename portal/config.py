"""Configuration: DEFAULTS in code, PORTAL_* environment overrides, a dict in tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEV_SECRET = "dev-secret-do-not-use-in-production"
ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": DEV_SECRET,
    "DATABASE_URL": f"sqlite:///{ROOT / 'instance' / 'samling.db'}",
    "SEARCH_INDEX_DIR": str(ROOT / "instance" / "search-index"),
    "UPLOAD_DIR": str(ROOT / "instance" / "uploads"),
    "ACCESSIBILITY_STATEMENT_URL": "https://www.was.digst.dk/",
    "DEFAULT_LOCALE": "da",
    "TIMEZONE": "Europe/Copenhagen",
    "PASSWORD_HASH": "argon2id",  # "fast" only in tests
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "REGISTRATION_LIMIT_PER_ADDRESS": 10,
    "DRAW_IN_BACKGROUND": True,  # tests compute the lottery inside the request  # sign-ups per hour from one address
    "SESSION_COOKIE_SECURE": False,  # True when served over https: cookies get the __Host- prefix
    "SITE_NAME": "Samling",
    # The portal's public address for links in e-mails (e.g. https://samling.kk.dk); empty: the
    # address the request came in on.
    "BASE_URL": "",
    "PAGE_SIZE": 10,
    "WTF_CSRF_ENABLED": True,
}

# Environment variables that are read, with the type they are parsed to.
_TYPES: dict[str, type] = {
    "LOGIN_MAX_FAILURES": int,
    "LOGIN_LOCK_MINUTES": int,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": int,
    "REGISTRATION_LIMIT_PER_ADDRESS": int,
    "DRAW_IN_BACKGROUND": bool,
    "SESSION_COOKIE_SECURE": bool,
    "PAGE_SIZE": int,
    "WTF_CSRF_ENABLED": bool,
}


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe to run with."""


def _parse(key: str, raw: str) -> Any:
    kind = _TYPES.get(key, str)
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, PORTAL_* environment variables and explicit overrides (in that order)."""
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        raw = os.environ.get(f"PORTAL_{key}")
        if raw is not None:
            config[key] = _parse(key, raw)
    config.update(overrides or {})
    if config["ENV"] == "production" and config["SECRET_KEY"] == DEV_SECRET:
        raise ConfigError(
            "Refusing to start in production with the development secret key: "
            "set PORTAL_SECRET_KEY to a long random value."
        )
    if config["ENV"] == "production" and len(str(config["SECRET_KEY"])) < 32:
        raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters in production.")
    return config
