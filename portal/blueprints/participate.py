"""What residents do on an assembly: sign up for the draw, see their receipt, withdraw, confirm."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import assemblies, mail
from ..db import get_session
from ..errors import form_page
from ..i18n import current_language
from ..models import Assembly, DisplayConsent
from ..phases import Feature, allows
from ..recruitment import eligibility, quotas, seats
from ..recruitment import registration as recruitment
from ..views import now, today
from ._links import link_settings
from ._util import require_confirmation

bp = Blueprint("participate", __name__)


def _registration_context(slug: str) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    targets = quotas.list_quotas(session, assembly)
    return {
        "assembly": assembly,
        "categories": quotas.categories(targets),
        "settings": recruitment.get_recruitment(session, assembly),
        "open": allows(assembly, Feature.REGISTER, today()),
        "postcodes": eligibility.compact(eligibility.list_postcodes(session, assembly)),
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
        language=current_language(),
        receipt_link=lambda token: mail.external_url(
            url_for("participate.show_receipt", slug=slug, token=token)
        ),
    )
    return redirect(url_for("participate.show_receipt", slug=slug, token=registrant.token))


@bp.get("/assemblies/<slug>/register/<token>")
def show_receipt(slug: str, token: str) -> str:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    registrant = recruitment.get_registrant_by_token(session, token, assembly)
    return render_template(
        "participate/receipt.html", assembly=assembly, registrant=registrant, errors={}, form={}
    )


def _receipt_context(slug: str, token: str) -> dict[str, Any]:
    session = get_session()
    return {
        "assembly": assemblies.get_assembly(session, slug),
        "registrant": recruitment.get_registrant_by_token(session, token),
    }


@bp.post("/assemblies/<slug>/register/<token>/withdraw")
@form_page("participate/receipt.html", context=_receipt_context)
def withdraw_registration(slug: str, token: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    registrant = recruitment.get_registrant_by_token(session, token, assembly)
    require_confirmation(request.form, _("Sæt kryds, hvis du vil trække din tilmelding tilbage."))
    recruitment.withdraw(session, registrant)
    flash(_("Din tilmelding er trukket tilbage. Dine svar indgår ikke i lodtrækningen."), "success")
    return redirect(url_for("participate.show_receipt", slug=slug, token=token))


def _seat_context(token: str) -> dict[str, Any]:
    registrant = recruitment.get_registrant_by_token(get_session(), token)
    return {
        "registrant": registrant,
        "assembly": get_session().get(Assembly, registrant.assembly_id),
        "member": seats.get_member_for(get_session(), registrant),
    }


@bp.get("/seat/<token>")
def show_seat(token: str) -> str:
    return render_template("participate/seat.html", errors={}, form={}, **_seat_context(token))


@bp.post("/seat/<token>/confirm")
@form_page("participate/seat.html", context=_seat_context)
def confirm_seat(token: str) -> Response:
    session = get_session()
    registrant = recruitment.get_registrant_by_token(session, token)
    consent = request.form.get("consent", DisplayConsent.HIDDEN.value)
    seats.confirm_seat(
        session,
        registrant,
        DisplayConsent(consent) if consent in set(DisplayConsent) else DisplayConsent.HIDDEN,
        now(),
        links=link_settings(),
    )
    flash(
        _(
            "Tak! Din plads er bekræftet. Vi har sendt dig en e-mail med et link, så du kan "
            "vælge en adgangskode og komme ind i arbejdsrummet."
        ),
        "success",
    )
    return redirect(url_for("participate.show_seat", token=token))


@bp.post("/seat/<token>/decline")
@form_page("participate/seat.html", context=_seat_context)
def decline_seat(token: str) -> Response:
    session = get_session()
    require_confirmation(request.form, _("Sæt kryds, hvis du vil afslå pladsen."))
    seats.decline_seat(session, recruitment.get_registrant_by_token(session, token), now())
    flash(_("Du har takket nej. Tak fordi du meldte dig."), "success")
    return redirect(url_for("participate.show_seat", token=token))


@bp.post("/seat/<token>/consent")
def change_seat_consent(token: str) -> Response:
    session = get_session()
    registrant = recruitment.get_registrant_by_token(session, token)
    raw = request.form.get("consent", "")
    consent = DisplayConsent(raw) if raw in set(DisplayConsent) else DisplayConsent.HIDDEN
    seats.set_consent_by_token(session, registrant, consent)
    flash(_("Dit valg er gemt. Den offentlige side viser dig nu sådan."), "success")
    return redirect(url_for("participate.show_seat", token=token))
