"""Log in, log out, set a password from an e-mailed link, the account settings page."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import SESSION_TOKEN_KEY, current_account
from ..db import get_session
from ..errors import form_page
from ..i18n import current_language
from ..models import DisplayConsent, User
from ..people import tokens
from ..recruitment import seats
from ..views import now
from ._links import link_settings
from ._util import safe_next

bp = Blueprint("account", __name__)


DEVICE_DAYS = 365


def _device_cookie_name() -> str:
    secure = bool(current_app.config["SESSION_COOKIE_SECURE"])
    return "__Host-samling-device" if secure else "samling-device"


def _login_limits() -> accounts.LoginLimits:
    config = current_app.config
    return accounts.LoginLimits(
        free_failures=int(config["LOGIN_MAX_FAILURES"]),
        free_per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        free_per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        window_minutes=int(config["LOGIN_WINDOW_MINUTES"]),
    )


def log_in(user: User) -> None:
    """Start a server-side session for the user and put its token in the session cookie."""
    token = accounts.start_session(get_session(), user, now())
    session.clear()  # nothing from before the login carries over (no session fixation)
    login_user(user)
    session[SESSION_TOKEN_KEY] = token


def log_out() -> None:
    """End this browser's session on the server and forget it in the cookie."""
    accounts.end_session(get_session(), str(session.pop(SESSION_TOKEN_KEY, "")))
    logout_user()


@bp.get("/login")
def login() -> str:
    form = {"email": "", "next": safe_next(request.args.get("next"), "")}
    return render_template("account/login.html", errors={}, form=form)


@bp.post("/login")
@form_page("account/login.html")
def create_session() -> Response:
    secret = str(current_app.config["SECRET_KEY"])
    device = accounts.read_device_token(secret, request.cookies.get(_device_cookie_name(), ""))
    user = accounts.authenticate(
        get_session(),
        request.form.get("email", ""),
        request.form.get("password", ""),
        request.remote_addr or "unknown",
        now(),
        limits=_login_limits(),
        device=device,
        hash_kind=current_app.config["PASSWORD_HASH"],
        language=current_language(),
    )
    log_in(user)
    flash(_("Du er logget ind."), "success")
    response = redirect(safe_next(request.form.get("next"), url_for("mypage.show_mypage")))
    known = device[1] if device and device[0] == user.id else ""
    response.set_cookie(
        _device_cookie_name(),
        accounts.device_token(secret, user, known),
        max_age=DEVICE_DAYS * 24 * 3600,
        path="/",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.post("/logout")
def logout() -> Response:
    log_out()
    flash(_("Du er logget ud."), "success")
    return redirect(url_for("public.index"))


def _account_context() -> dict[str, Any]:
    return {"memberships": seats.list_memberships(get_session(), current_account())}


@bp.get("/account")
@login_required
def show_account() -> str:
    return render_template("account/account.html", errors={}, form={}, **_account_context())


@bp.post("/account/memberships/<int:member_id>/consent")
@login_required
def change_display_consent(member_id: int) -> Response:
    raw = request.form.get("consent", "")
    consent = DisplayConsent(raw) if raw in set(DisplayConsent) else DisplayConsent.HIDDEN
    seats.set_display_consent(get_session(), member_id, current_account(), consent)
    flash(_("Dit valg er gemt. Den offentlige side viser dig nu sådan."), "success")
    return redirect(url_for("account.show_account"))


@bp.post("/account/language")
@login_required
@form_page("account/account.html", context=lambda: _account_context())
def change_email_language() -> Response:
    accounts.set_email_language(get_session(), current_account(), request.form.get("language", ""))
    flash(_("Gemt. Vi skriver vores e-mails til dig på det sprog, du valgte."), "success")
    return redirect(url_for("account.show_account"))


@bp.post("/account/password")
@login_required
@form_page("account/account.html", context=lambda: _account_context())
def change_password() -> Response:
    user = current_account()
    accounts.change_password(
        get_session(),
        user,
        request.form.get("current_password", ""),
        request.form.get("new_password", ""),
        keep_token=str(session.get(SESSION_TOKEN_KEY, "")),
        hash_kind=current_app.config["PASSWORD_HASH"],
    )
    login_user(user)  # this device stays logged in with the new epoch; others are out
    flash(_("Din adgangskode er ændret. Du er logget ud på alle andre enheder."), "success")
    return redirect(url_for("account.show_account"))


def _set_password_context(token: str) -> dict[str, Any]:
    return {"token": token, "user": None}


@bp.get(tokens.PATH + "<token>")
@form_page("account/set_password.html", context=_set_password_context)
def show_set_password(token: str) -> str:
    user = tokens.user_for_token(get_session(), link_settings(), token, now())
    return render_template("account/set_password.html", errors={}, form={}, token=token, user=user)


@bp.post(tokens.PATH + "<token>")
@form_page("account/set_password.html", context=_set_password_context)
def set_password(token: str) -> Response:
    tokens.set_password_with_token(
        get_session(),
        link_settings(),
        token,
        request.form.get("password", ""),
        now(),
        hash_kind=current_app.config["PASSWORD_HASH"],
    )
    log_out()
    flash(
        _("Din adgangskode er gemt. Log ind med din e-mailadresse og den nye adgangskode."),
        "success",
    )
    return redirect(url_for("account.login", next=url_for("mypage.show_mypage")))


@bp.post("/account/sessions/end")
@login_required
def end_sessions() -> Response:
    accounts.end_all_sessions(get_session(), current_account())
    log_out()
    flash(_("Du er logget ud på alle enheder."), "success")
    return redirect(url_for("account.login"))
