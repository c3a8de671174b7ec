"""Admins set who runs this installation: the municipality, its contact and its privacy text."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import site
from ..auth import current_account, role_required
from ..db import get_session
from ..errors import form_page
from ..models import Role
from ..views import now

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/settings")
@role_required(Role.ADMIN)
def show_settings() -> str:
    settings = site.get_site_settings(get_session())
    form = {name: getattr(settings, name) for name in site.FIELDS}
    return render_template("admin/settings.html", errors={}, form=form)


@bp.post("/settings")
@role_required(Role.ADMIN)
@form_page("admin/settings.html")
def update_settings() -> Response:
    site.update_site_settings(
        get_session(), current_account(), now(), site.SiteForm.from_form(request.form)
    )
    flash(_("Indstillingerne er gemt."), "success")
    return redirect(url_for("admin.show_settings"))
