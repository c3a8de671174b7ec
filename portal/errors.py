"""Domain errors and the one place that maps them to responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from .htmx import as_whole_page, is_htmx

F = TypeVar("F", bound=Callable[..., Any])


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

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except Invalid as invalid:
                form = {k: v for k, v in request.form.items() if "password" not in k}
                extra = context(*args, **kwargs) if context else {}
                if partial and is_htmx():
                    html = render_template(partial, errors=invalid.field_errors, form=form, **extra)
                    return html, invalid.status
                html = render_template(template, errors=invalid.field_errors, form=form, **extra)
                return as_whole_page(Response(html, status=invalid.status))

        return wrapped  # type: ignore[return-value]

    return decorate


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

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[str, int]:
        code = err.code or 500
        template = {404: "errors/404.html", 403: "errors/403.html"}.get(code, "errors/generic.html")
        return render_template(template, error=err), code

    @app.errorhandler(500)
    def _server_error(_err: Exception) -> tuple[str, int]:
        return render_template("errors/500.html"), 500
