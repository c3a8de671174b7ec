"""Admins' pages: accounts (invite, roles, disable, re-enable, reset), political bodies, and who runs
this installation (the municipality, its contact and its privacy text)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import site
from ..auth import current_account, role_required
from ..db import get_session
from ..errors import form_page
from ..models import Role
from ..numbers import parse_int
from ..people import facilitators, organisations, staff
from ..recruitment import seats
from ..views import now
from ._links import link_settings

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@role_required(Role.ADMIN)
def _only_admins() -> None:
    """Accounts and roles are for admins only (the secretariat role does not reach here)."""
    return None


def _users_context(**_: Any) -> dict[str, Any]:
    session = get_session()
    return {
        "users": staff.list_users(session, current_account()),
        "bodies": staff.list_bodies(session),
    }


@bp.get("/users")
def list_users() -> str:
    return render_template("admin/users.html", errors={}, form={}, **_users_context())


@bp.post("/users")
@form_page("admin/users.html", context=_users_context)
def invite_user() -> Response:
    body = request.form.get("body_id", "")
    user = staff.invite_user(
        get_session(),
        current_account(),
        now(),
        link_settings(),
        email=request.form.get("email", ""),
        name=request.form.get("display_name", ""),
        roles=staff.parse_roles(request.form.getlist("roles")),
        body_id=parse_int(body),
    )
    flash(
        _("%(email)s er oprettet og har fået en e-mail med et link.", email=user.email), "success"
    )
    return redirect(url_for("admin.list_users"))


def _user_context(user_id: int, **_: Any) -> dict[str, Any]:
    session = get_session()
    user = staff.get_user(session, current_account(), user_id)
    return {
        "person": user,
        "bodies": staff.bodies_of(session, user),
        "organisations": organisations.organisations_of(session, user),
        "facilitates": facilitators.facilitated_by(session, user),
        "memberships": seats.list_memberships(session, user),
    }


@bp.get("/users/<int:user_id>")
def show_user(user_id: int) -> str:
    return render_template("admin/user.html", errors={}, form={}, **_user_context(user_id))


@bp.post("/users/<int:user_id>/roles")
@form_page("admin/user.html", context=_user_context)
def update_roles(user_id: int) -> Response:
    session, actor = get_session(), current_account()
    user = staff.get_user(session, actor, user_id)
    staff.set_roles(session, actor, now(), user, staff.parse_roles(request.form.getlist("roles")))
    flash(_("Rollerne er gemt."), "success")
    return redirect(url_for("admin.show_user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
@form_page("admin/user.html", context=_user_context)
def update_active(user_id: int) -> Response:
    session, actor = get_session(), current_account()
    user = staff.get_user(session, actor, user_id)
    active = request.form.get("active") == "yes"
    staff.set_active(session, actor, now(), user, active)
    flash(_("Kontoen er aktiveret.") if active else _("Kontoen er deaktiveret."), "success")
    return redirect(url_for("admin.show_user", user_id=user_id))


@bp.post("/users/<int:user_id>/reset")
@form_page("admin/user.html", context=_user_context)
def send_reset(user_id: int) -> Response:
    session, actor = get_session(), current_account()
    user = staff.get_user(session, actor, user_id)
    staff.send_reset(session, actor, now(), link_settings(), user)
    flash(_("Der er sendt et link til at vælge en ny adgangskode."), "success")
    return redirect(url_for("admin.show_user", user_id=user_id))


def _bodies_context(**_: Any) -> dict[str, Any]:
    return {"bodies": staff.list_bodies(get_session())}


@bp.get("/bodies")
def list_bodies() -> str:
    return render_template("admin/bodies.html", errors={}, form={}, **_bodies_context())


@bp.post("/bodies")
@form_page("admin/bodies.html", context=_bodies_context)
def create_body() -> Response:
    staff.create_body(get_session(), current_account(), now(), request.form.get("name", ""))
    flash(_("Udvalget er oprettet."), "success")
    return redirect(url_for("admin.list_bodies"))


@bp.post("/bodies/<int:body_id>/people")
@form_page("admin/bodies.html", context=_bodies_context)
def add_body_person(body_id: int) -> Response:
    staff.add_to_body(
        get_session(), current_account(), now(), body_id, request.form.get("email", "")
    )
    flash(_("Personen er tilføjet udvalget."), "success")
    return redirect(url_for("admin.list_bodies"))


@bp.post("/bodies/<int:body_id>/people/<int:user_id>/remove")
def remove_body_person(body_id: int, user_id: int) -> Response:
    session, actor = get_session(), current_account()
    user = staff.get_user(session, actor, user_id)
    staff.set_body_membership(session, actor, now(), body_id, user, False)
    flash(_("Personen er fjernet fra udvalget."), "success")
    return redirect(url_for("admin.list_bodies"))


@bp.get("/settings")
def show_settings() -> str:
    settings = site.get_site_settings(get_session())
    form = {name: getattr(settings, name) for name in site.FIELDS}
    return render_template("admin/settings.html", errors={}, form=form)


@bp.post("/settings")
@form_page("admin/settings.html")
def update_settings() -> Response:
    site.update_site_settings(
        get_session(), current_account(), now(), site.SiteForm.from_form(request.form)
    )
    flash(_("Indstillingerne er gemt."), "success")
    return redirect(url_for("admin.show_settings"))
