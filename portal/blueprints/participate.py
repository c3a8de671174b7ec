"""What residents do on an assembly: sign up for the draw, see their receipt, withdraw, confirm."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import assemblies, recruitment
from ..db import get_session
from ..errors import form_page
from ..phases import Feature, allows
from ..views import now, today

bp = Blueprint("participate", __name__)


def _registration_context(slug: str) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    quotas = recruitment.list_quotas(session, assembly)
    return {
        "assembly": assembly,
        "categories": recruitment.categories(quotas),
        "settings": recruitment.get_recruitment(session, assembly),
        "open": allows(assembly, Feature.REGISTER, today()),
    }


@bp.get("/assemblies/<slug>/register")
def show_registration(slug: str) -> str:
    return render_template(
        "participate/register.html", errors={}, form={}, **_registration_context(slug)
    )


@bp.post("/assemblies/<slug>/register")
@form_page("participate/register.html", context=_registration_context)
def create_registration(slug: str) -> Response:
    context = _registration_context(slug)
    registrant = recruitment.register(
        get_session(),
        context["assembly"],
        recruitment.RegistrationForm.from_form(request.form, list(context["categories"])),
        request.remote_addr or "unknown",
        now(),
        per_address_limit=current_app.config["REGISTRATION_LIMIT_PER_ADDRESS"],
    )
    return redirect(url_for("participate.show_receipt", slug=slug, token=registrant.token))


@bp.get("/assemblies/<slug>/register/<token>")
def show_receipt(slug: str, token: str) -> str:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    registrant = recruitment.get_registrant_by_token(session, token)
    return render_template(
        "participate/receipt.html", assembly=assembly, registrant=registrant, errors={}
    )


@bp.post("/assemblies/<slug>/register/<token>/withdraw")
def withdraw_registration(slug: str, token: str) -> Response:
    session = get_session()
    registrant = recruitment.get_registrant_by_token(session, token)
    recruitment.withdraw(session, registrant)
    flash(_("Din tilmelding er trukket tilbage. Dine svar indgår ikke i lodtrækningen."), "success")
    return redirect(url_for("participate.show_receipt", slug=slug, token=token))
