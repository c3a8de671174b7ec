"""Residents' self-service: sign up, verify the e-mail, forgot password, delete, download my data,
and the house rules."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ..auth import current_account
from ..db import get_session
from ..errors import form_page
from ..i18n import current_language
from ..people import my_data, residents
from ..views import now
from ._links import link_settings
from .account import log_out

bp = Blueprint("residents", __name__)


def _districts() -> list[str]:
    return residents.district_choices(str(current_app.config["DISTRICTS"]))


def _signup_context() -> dict[str, Any]:
    return {"districts": _districts()}


def _address() -> str:
    return request.remote_addr or "unknown"


def _limit() -> int:
    return int(current_app.config["SIGNUP_LIMIT_PER_ADDRESS"])


@bp.get("/signup")
def show_signup() -> str:
    return render_template("residents/signup.html", errors={}, form={}, **_signup_context())


@bp.post("/signup")
@form_page("residents/signup.html", context=_signup_context)
def create_account() -> BaseResponse:
    form = request.form
    residents.sign_up(
        get_session(),
        residents.SignupForm(
            email=form.get("email", ""),
            display_name=form.get("display_name", ""),
            district=form.get("district", ""),
            password=form.get("password", ""),
            consent=form.get("consent") == "yes",
            honeypot=form.get("website", ""),
        ),
        _address(),
        now(),
        link_settings(),
        districts=_districts(),
        limit=_limit(),
        hash_kind=current_app.config["PASSWORD_HASH"],
        language=current_language(),
    )
    return redirect(url_for("residents.show_signup_sent"))


@bp.get("/signup/sent")
def show_signup_sent() -> str:
    return render_template("residents/signup_sent.html")


@bp.get(residents.VERIFY_PATH + "<token>")
@form_page("residents/link_expired.html")
def verify_email(token: str) -> BaseResponse:
    residents.verify_email(get_session(), link_settings(), token, now())
    flash(_("Din e-mailadresse er bekræftet. Du kan nu kommentere."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("mypage.show_mypage"))
    return redirect(url_for("account.login", next=url_for("mypage.show_mypage")))


@bp.post("/account/verify/resend")
@login_required
def resend_verification() -> BaseResponse:
    residents.resend_verification(
        get_session(),
        current_account(),
        _address(),
        now(),
        link_settings(),
        limit=_limit(),
        language=current_language(),
    )
    flash(_("Vi har sendt et nyt link. Se din indbakke."), "success")
    return redirect(url_for("mypage.show_mypage"))


@bp.get("/account/reset")
def show_reset() -> str:
    return render_template("residents/reset.html", errors={}, form={})


@bp.post("/account/reset")
@form_page("residents/reset.html")
def request_reset() -> BaseResponse:
    residents.request_password_reset(
        get_session(),
        request.form.get("email", ""),
        _address(),
        now(),
        link_settings(),
        limit=_limit(),
        language=current_language(),
    )
    return redirect(url_for("residents.show_reset_sent"))


@bp.get("/account/reset/sent")
def show_reset_sent() -> str:
    return render_template("residents/reset_sent.html")


@bp.get("/account/delete")
@login_required
def show_delete() -> str:
    return render_template("residents/delete.html", errors={}, form={})


@bp.post("/account/delete")
@login_required
@form_page("residents/delete.html")
def delete_account() -> BaseResponse:
    user = current_account()
    residents.delete_account(
        get_session(),
        user,
        request.form.get("password", ""),
        request.form.get("confirm") == "yes",
        now(),
    )
    log_out()
    flash(
        _(
            "Din konto er slettet. Det, du har skrevet, står nu som skrevet af en tidligere deltager."
        ),
        "success",
    )
    return redirect(url_for("public.index"))


def _download(body: str, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="samling-mine-data.{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data.json")
@login_required
def download_data_json() -> Response:
    data = my_data.collect(get_session(), current_account())
    return _download(my_data.as_json(data), "application/json", "json")


@bp.get("/account/data.csv")
@login_required
def download_data_csv() -> Response:
    data = my_data.collect(get_session(), current_account())
    return _download(my_data.as_csv(data), "text/csv", "csv")


@bp.get("/house-rules")
def show_house_rules() -> str:
    return render_template("residents/house_rules.html")
