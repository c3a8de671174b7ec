"""Domain errors and the one place that maps them to responses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from .htmx import as_whole_page, is_htmx

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class DomainError(Exception):
    status = 400


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class PhaseClosed(DomainError):
    """The assembly's current phase does not allow this action."""

    status = 409


class Conflict(DomainError):
    """The thing changed since the user loaded it; details carries what a merge page shows."""

    status = 409

    def __init__(self, message: str, details: Any = None):
        super().__init__(message)
        self.details = details


class Invalid(DomainError):
    """Input failed validation; field_errors maps a field name to a translated message."""

    status = 422

    def __init__(self, field_errors: dict[str, str], form: dict[str, Any] | None = None):
        super().__init__("; ".join(f"{k}: {v}" for k, v in field_errors.items()))
        self.field_errors = field_errors
        self.form = form or {}


class LoginRefused(Invalid):
    """Login failed; the message never says whether the account exists."""

    status = 401

    def __init__(self, message: str):
        super().__init__({"form": message})


def form_page(
    template: str,
    context: Callable[..., dict[str, Any]] | None = None,
    partial: str | None = None,
) -> Callable[[F], F]:
    """On Invalid, show the form's page again with field messages and what was typed (not lost).

    `context`, called with the view's arguments, supplies what else the page needs; for htmx
    requests the `partial` is rendered instead of the whole page.
    """

    spec = FormPage(template, context, partial)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except Invalid as invalid:
                return spec.render(invalid.field_errors, invalid.status, *args, **kwargs)

        wrapped.form_page = spec  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


@dataclass(frozen=True)
class FormPage:
    """How a form's page is shown again: its template, what else it needs, its htmx partial."""

    template: str
    context: Callable[..., dict[str, Any]] | None
    partial: str | None

    def render(self, errors: dict[str, str], status: int, *args: Any, **kwargs: Any) -> Any:
        """The form again with messages and everything typed (never passwords)."""
        form = {k: v for k, v in request.form.items() if "password" not in k}
        extra = self.context(*args, **kwargs) if self.context else {}
        if self.partial and is_htmx():
            return render_template(self.partial, errors=errors, form=form, **extra), status
        html = render_template(self.template, errors=errors, form=form, **extra)
        return as_whole_page(Response(html, status=status))


def conflict_page(template: str) -> Callable[[F], F]:
    """On Conflict, show the template (a merge view) with the conflict's details and 409."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except Conflict as conflict:
                return render_template(template, conflict=conflict.details), conflict.status

        return wrapped  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    """Render every error in the portal's look, with the status it deserves."""

    @app.errorhandler(NotFound)
    def _not_found(_err: NotFound) -> tuple[str, int]:
        return render_template("errors/404.html"), 404

    @app.errorhandler(Forbidden)
    def _forbidden(_err: Forbidden) -> tuple[str, int]:
        return render_template("errors/403.html"), 403

    @app.errorhandler(PhaseClosed)
    def _phase_closed(err: PhaseClosed) -> tuple[str, int]:
        return render_template("errors/409.html", message=str(err)), 409

    @app.errorhandler(Conflict)
    def _conflict(err: Conflict) -> tuple[str, int]:
        return render_template("errors/409.html", message=str(err)), 409

    @app.errorhandler(Invalid)
    def _invalid(err: Invalid) -> tuple[str, int]:
        # Forms use form_page; a stray Invalid (e.g. from a button) still gets a readable page.
        return render_template("errors/409.html", message=str(err)), err.status

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError) -> Any:
        """An expired or missing token: the form again with what was typed, and why."""
        message = str(_l("Siden har været åben for længe. Send formularen igen."))
        log.info("csrf refused: %s", err.description)
        view = current_app.view_functions.get(request.endpoint or "")
        spec: FormPage | None = getattr(view, "form_page", None)
        if spec is not None and request.method == "POST":
            try:
                return spec.render({"form": message}, 400, **(request.view_args or {}))
            except DomainError:
                pass  # the page itself is gone or forbidden: fall back to the plain message
            except UNAVAILABLE as error:
                return _database_unavailable(error)
        return render_template("errors/generic.html", error=err, message=message), 400

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, _database_unavailable)

    @app.errorhandler(sa_exc.DataError)
    def _data_error(err: sa_exc.DataError) -> tuple[str, int]:
        """A value the database cannot hold (too long, out of range) that validation missed."""
        log.warning("value refused by the database: %s", type(err.orig).__name__)
        message = str(
            _l("Et af felterne er for langt, eller et tal er for stort. Ret det og prøv igen.")
        )
        return _without_database("errors/409.html", message=message), 422

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[str, int]:
        code = err.code or 500
        template = {404: "errors/404.html", 403: "errors/403.html"}.get(code, "errors/generic.html")
        return render_template(template, error=err, message=_message_for(code)), code

    @app.errorhandler(500)
    def _server_error(_err: Exception) -> tuple[str, int]:
        return _without_database("errors/500.html"), 500


def _message_for(code: int) -> str | None:
    """What went wrong, for the errors a visitor can do something about."""
    if code == 413:
        limit = int(request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"] or 0)
        return str(
            _l(
                "Det, du sendte, er for stort. Der kan højst sendes %(mb)s MB ad gangen. "
                "Gør filen eller teksten mindre, og prøv igen.",
                mb=f"{limit / 1_000_000:g}",
            )
        )
    if code == 414:
        return str(_l("Adressen er for lang. Gå tilbage, og prøv med en kortere søgning."))
    return None


UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def _database_unavailable(err: Exception) -> Response:
    """The database cannot be reached (or is busy): 503 in the portal's look, try again soon."""
    log.error("database unavailable: %s", type(getattr(err, "orig", err)).__name__)
    response = Response(_without_database("errors/503.html"), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _without_database(template: str, **context: Any) -> str:
    """Render an error page without touching the database, which may be the thing that failed."""
    from flask_login import AnonymousUserMixin

    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except Exception:  # noqa: BLE001 - the connection may be gone; the page matters more
            log.warning("could not close the failed session")
    g._login_user = AnonymousUserMixin()  # the menu must not load the account again
    return render_template(template, **context)
