"""Domain errors and the one place that maps them to responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

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


def form_page(template: str, **context: Any) -> Callable[[F], F]:
    """On Invalid, show the form's page again with field messages and what was typed (not lost)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except Invalid as invalid:
                form = {k: v for k, v in request.form.items() if "password" not in k}
                page = render_template(template, errors=invalid.field_errors, form=form, **context)
                return page, invalid.status

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

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[str, int]:
        code = err.code or 500
        template = {404: "errors/404.html", 403: "errors/403.html"}.get(code, "errors/generic.html")
        return render_template(template, error=err), code

    @app.errorhandler(500)
    def _server_error(_err: Exception) -> tuple[str, int]:
        return render_template("errors/500.html"), 500
