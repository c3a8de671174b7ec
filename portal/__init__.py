"""Samling: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the portal: config → db → login → csrf → babel → blueprints → errors → cli."""
    app = Flask(
        __name__,
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
        instance_path=str(config_module.ROOT / "instance"),
    )
    app.config.update(config_module.load(overrides))
    _secure_cookies(app)
    _trust_proxies(app)

    from . import auth, cleaning, csrf, db, errors, i18n, jobs, logs, pagecache, security, views
    from .blueprints import (
        account,
        admin,
        backoffice,
        backoffice_meetings,
        consultation,
        council,
        dev,
        ledger,
        library,
        members,
        mypage,
        participate,
        public,
        residents,
        secretariat,
        secretariat_people,
    )
    from .cli import register_cli
    from .numbers import IdConverter

    app.url_map.converters["int"] = IdConverter
    logs.init_app(app)
    security.init_app(app)
    cleaning.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    views.init_app(app)
    jobs.init_app(app)
    pagecache.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(members.bp)
    app.register_blueprint(participate.bp)
    app.register_blueprint(secretariat.bp)
    app.register_blueprint(dev.bp)
    app.register_blueprint(backoffice.bp)
    app.register_blueprint(backoffice_meetings.bp)
    app.register_blueprint(library.bp)
    app.register_blueprint(secretariat_people.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(mypage.bp)
    app.register_blueprint(residents.bp)
    app.register_blueprint(ledger.bp)
    app.register_blueprint(council.bp)
    app.register_blueprint(council.council)
    app.register_blueprint(consultation.bp)
    errors.init_app(app)
    register_cli(app)
    if app.config["BENCH_CEILING"]:
        _bench_ceiling(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the visitor's address and scheme from their headers."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _secure_cookies(app: Flask) -> None:
    """HttpOnly + SameSite always; Secure and the __Host- prefix when served over https."""
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="__Host-samling" if secure else "samling",
        SESSION_COOKIE_PATH="/",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_NAME="__Host-samling-remember" if secure else "samling-remember",
    )


def _bench_ceiling(app: Flask) -> None:
    """A bare route returning a fixed string: the benchmark's ceiling (bench/http.py), never in use
    otherwise (PORTAL_BENCH_CEILING=1)."""
    app.add_url_rule("/bench/ceiling", "bench_ceiling", lambda: "ok")
