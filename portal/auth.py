"""flask-login wiring and the server-side role check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask
from flask import session as cookie_session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from .accounts import load_session_user
from .db import get_session
from .errors import Forbidden
from .models import Role, User
from .views import now

login_manager = LoginManager()
SESSION_TOKEN_KEY = "sid"  # the server-side session's token in the (signed) session cookie
F = TypeVar("F", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Log ind for at se siden.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        # The id alone is not enough: the login's token must still be on the server (logout
        # deletes it), so neither a copied session cookie nor a remember cookie outlives it.
        token = str(cookie_session.get(SESSION_TOKEN_KEY, ""))
        return load_session_user(get_session(), session_id, token, now())


def current_account() -> User:
    """The logged-in user's model (not flask-login's proxy), for domain functions."""
    user: User = current_user._get_current_object()
    return user


def role_required(*roles: Role) -> Callable[[F], F]:
    """Only users with one of the roles (or admin) get through; others get 403 or the login page."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
