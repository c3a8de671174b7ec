"""Configuration: DEFAULTS in code, PORTAL_* environment overrides, a dict in tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEV_SECRET = "dev-secret-do-not-use-in-production"
DEV_BASE_URL = "http://127.0.0.1:5000"
UPLOAD_FORM_ALLOWANCE = 1_000_000  # room for an upload form's text fields next to the file
ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": DEV_SECRET,
    "DATABASE_URL": f"sqlite:///{ROOT / 'instance' / 'samling.db'}",
    "SEARCH_INDEX_DIR": str(ROOT / "instance" / "search-index"),
    "UPLOAD_DIR": str(ROOT / "instance" / "uploads"),  # materials' files; never under static/
    "UPLOAD_MAX_BYTES": 20_000_000,
    # Largest request body of any kind; None: just above the largest upload (UPLOAD_MAX_BYTES +
    # room for the form's other fields). Larger bodies get a 413 page before they are read.
    "MAX_CONTENT_LENGTH": None,
    "RESPONSE_PDF_MAX_BYTES": 10_000_000,  # a PDF attached to an organisation's response
    "ACCESSIBILITY_STATEMENT_URL": "https://www.was.digst.dk/",
    "DEFAULT_LOCALE": "da",
    "TIMEZONE": "Europe/Copenhagen",
    "PASSWORD_HASH": "argon2id",  # "fast" only in tests
    # Login throttle (ADR 0102): failures that are free before each further try must wait
    # 1, 2, 4 … seconds (at most the window), per e-mail+address (or known device), per account
    # and per address; failures older than the window are forgotten. Nobody is ever locked out.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 20,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_WINDOW_MINUTES": 15,
    # Self-service accounts: sign-ups and reset requests per address per hour; the districts a
    # resident may choose from at sign-up ("|"-separated; empty: no district asked).
    "SIGNUP_LIMIT_PER_ADDRESS": 5,
    "DISTRICTS": "Indre By|Østerbro|Nørrebro|Vesterbro/Kongens Enghave|Valby|Vanløse|"
    "Brønshøj-Husum|Bispebjerg|Amager Øst|Amager Vest",
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
    # An e-mail claimed by a worker this long ago without a result is sent again (the worker died).
    "MAIL_STUCK_SECONDS": 600,
    # The portal's public address: links in e-mails (never the request's Host header), HSTS and
    # Secure cookies when https. Production refuses to start without one of its own.
    "BASE_URL": DEV_BASE_URL,
    "OUTBOX_RETENTION_DAYS": 30,  # sent e-mails' addresses and bodies are blanked after this
    # True: cookies get Secure and the __Host- prefix. None: True in production with an https
    # BASE_URL, else False.
    "SESSION_COOKIE_SECURE": None,
    "SITE_NAME": "Samling",
    "SET_PASSWORD_HOURS": 72,  # how long a set-password link in an e-mail works
    "PAGE_SIZE": 10,
    "WTF_CSRF_ENABLED": True,
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are trusted (0: none,
    # the visitor's address is the connection's). Rate limits count per visitor address.
    "TRUSTED_PROXIES": 0,
    "LOG_LEVEL": "INFO",  # of the "portal" logger (unless the host configured logging itself)
    # Rendered public pages kept for anonymous visitors (portal/pagecache.py), per process; dropped
    # when public data changes (a version file per database; on several hosts it must be shared).
    "PAGE_CACHE": True,
    "PAGE_CACHE_SECONDS": 300,
    "PAGE_CACHE_MAX_BYTES": 32_000_000,
    "PAGE_CACHE_VERSION_FILE": "",  # default: instance/page-cache/<hash of DATABASE_URL>.version
    "BENCH_CEILING": False,  # serve /bench/ceiling, a bare route (only for bench/http.py)
}

# Environment variables that are read, with the type they are parsed to.
_TYPES: dict[str, type] = {
    "LOGIN_MAX_FAILURES": int,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": int,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": int,
    "LOGIN_WINDOW_MINUTES": int,
    "SIGNUP_LIMIT_PER_ADDRESS": int,
    "REGISTRATION_LIMIT_PER_ADDRESS": int,
    "QUEUE_IMMEDIATE": bool,
    "QUEUE_WORKERS": int,
    "DRAW_HEARTBEAT_TIMEOUT": int,
    "MAIL_MAX_ATTEMPTS": int,
    "MAIL_STUCK_SECONDS": int,
    "OUTBOX_RETENTION_DAYS": int,
    "SESSION_COOKIE_SECURE": bool,
    "PAGE_SIZE": int,
    "UPLOAD_MAX_BYTES": int,
    "MAX_CONTENT_LENGTH": int,
    "RESPONSE_PDF_MAX_BYTES": int,
    "SET_PASSWORD_HOURS": int,
    "WTF_CSRF_ENABLED": bool,
    "TRUSTED_PROXIES": int,
    "PAGE_CACHE": bool,
    "PAGE_CACHE_SECONDS": int,
    "PAGE_CACHE_MAX_BYTES": int,
    "BENCH_CEILING": bool,
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
    _derive(config)
    if config["ENV"] == "production":
        _refuse_unsafe_production(config)
    return config


def _derive(config: dict[str, Any]) -> None:
    """Fill in the settings whose default depends on others."""
    if config.get("MAX_CONTENT_LENGTH") is None:
        config["MAX_CONTENT_LENGTH"] = int(config["UPLOAD_MAX_BYTES"]) + 2 * UPLOAD_FORM_ALLOWANCE
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config["ENV"] == "production" and str(
            config["BASE_URL"]
        ).lower().startswith("https://")


def _refuse_unsafe_production(config: dict[str, Any]) -> None:
    """Production needs its own secret key and its own public address (for links in e-mails)."""
    if config["SECRET_KEY"] == DEV_SECRET:
        raise ConfigError(
            "Refusing to start in production with the development secret key: "
            "set PORTAL_SECRET_KEY to a long random value."
        )
    if len(str(config["SECRET_KEY"])) < 32:
        raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters in production.")
    base = urlsplit(str(config["BASE_URL"] or ""))
    if (
        config["BASE_URL"] == DEV_BASE_URL
        or base.scheme not in ("http", "https")
        or not base.hostname
    ):
        raise ConfigError(
            "Refusing to start in production without the portal's public address: set "
            "PORTAL_BASE_URL, e.g. https://samling.kommune.dk (links in e-mails are built from it)."
        )
