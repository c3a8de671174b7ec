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
    "UPLOAD_DIR": str(ROOT / "instance" / "uploads"),  # materials' files; never under static/
    "UPLOAD_MAX_BYTES": 20_000_000,
    "RESPONSE_PDF_MAX_BYTES": 10_000_000,  # a PDF attached to an organisation's response
    "ACCESSIBILITY_STATEMENT_URL": "https://www.was.digst.dk/",
    "DEFAULT_LOCALE": "da",
    "TIMEZONE": "Europe/Copenhagen",
    "PASSWORD_HASH": "argon2id",  # "fast" only in tests
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "REGISTRATION_LIMIT_PER_ADDRESS": 10,
    # The job queue (portal/jobs.py): sqlite:///path (embedded, the default) or redis://host:port/db.
    "QUEUE_URL": f"sqlite:///{ROOT / 'instance' / 'queue.db'}",
    "QUEUE_IMMEDIATE": False,  # True runs every job at once, in-process (tests)
    "QUEUE_WORKERS": 2,  # worker threads of `flask run-consumer`
    "DRAW_HEARTBEAT_TIMEOUT": 120,  # seconds without a heartbeat before a draw counts as dead
    # E-mail (portal/mail.py): smtp://user:password@host:port?starttls=true; unset: nothing leaves.
    "SMTP_URL": "",
    "MAIL_FROM": "Samling <noreply@samling.invalid>",
    "MAIL_MAX_ATTEMPTS": 5,
    "BASE_URL": "http://127.0.0.1:5000",  # links in e-mails (never the request's Host header)
    "OUTBOX_RETENTION_DAYS": 30,  # sent e-mails' addresses and bodies are blanked after this
    "SESSION_COOKIE_SECURE": False,  # True when served over https: cookies get the __Host- prefix
    "SITE_NAME": "Samling",
    "SET_PASSWORD_HOURS": 72,  # how long a set-password link in an e-mail works
    "PAGE_SIZE": 10,
    "WTF_CSRF_ENABLED": True,
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are trusted (0: none,
    # the visitor's address is the connection's). Rate limits count per visitor address.
    "TRUSTED_PROXIES": 0,
    "LOG_LEVEL": "INFO",  # of the "portal" logger (unless the host configured logging itself)
}

# Environment variables that are read, with the type they are parsed to.
_TYPES: dict[str, type] = {
    "LOGIN_MAX_FAILURES": int,
    "LOGIN_LOCK_MINUTES": int,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": int,
    "REGISTRATION_LIMIT_PER_ADDRESS": int,
    "QUEUE_IMMEDIATE": bool,
    "QUEUE_WORKERS": int,
    "DRAW_HEARTBEAT_TIMEOUT": int,
    "MAIL_MAX_ATTEMPTS": int,
    "OUTBOX_RETENTION_DAYS": int,
    "SESSION_COOKIE_SECURE": bool,
    "PAGE_SIZE": int,
    "UPLOAD_MAX_BYTES": int,
    "RESPONSE_PDF_MAX_BYTES": int,
    "SET_PASSWORD_HOURS": int,
    "WTF_CSRF_ENABLED": bool,
    "TRUSTED_PROXIES": int,
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
