"""The secretariat's people pages: registrants (filtered, exported), eligible postcodes, members'
logins, facilitators per assembly, and organisations with their people."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import assemblies
from ..auth import current_account, role_required
from ..db import get_session
from ..errors import form_page
from ..models import MemberStatus, Role
from ..people import facilitators, member_logins, organisations, registrants
from ..recruitment import eligibility
from ..recruitment.registration import get_recruitment
from ..views import now
from ._links import link_settings

bp = Blueprint("secretariat_people", __name__, url_prefix="/secretariat")


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_secretariat() -> None:
    """Personal data and accounts: the secretariat and admins only."""
    return None


def _registrant_context(slug: str, **_: Any) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    values = registrants.category_values(session, assembly)
    filters = registrants.Filters.from_args(request.values.to_dict(), list(values))
    rows = registrants.list_registrants(session, current_account(), assembly, filters)
    number = request.args.get("page", "1")
    return {
        "assembly": assembly,
        "categories": values,
        "filters": filters,
        "page": registrants.page_of(rows, int(number) if number.isdigit() else 1),
        "blanked_at": get_recruitment(session, assembly).blanked_at,
        "shows_access_needs": registrants.shows_access_needs,
    }


@bp.get("/assemblies/<slug>/registrants")
def list_registrants(slug: str) -> str:
    return render_template("people/registrants.html", **_registrant_context(slug))


@bp.post("/assemblies/<slug>/registrants.csv")
def export_registrants(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    values = registrants.category_values(session, assembly)
    text = registrants.export_csv(
        session,
        current_account(),
        now(),
        assembly,
        registrants.Filters.from_args(request.form.to_dict(), list(values)),
        include_access_needs=request.form.get("access_needs") == "yes",
    )
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=tilmeldte-{assembly.slug}.csv",
            "Cache-Control": "no-store",
        },
    )


def _eligibility_context(slug: str, **_: Any) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    codes = eligibility.list_postcodes(session, assembly)
    return {"assembly": assembly, "codes": codes, "text": eligibility.compact(codes)}


@bp.get("/assemblies/<slug>/eligibility")
def edit_eligibility(slug: str) -> str:
    return render_template(
        "people/eligibility.html", errors={}, form={}, **_eligibility_context(slug)
    )


@bp.post("/assemblies/<slug>/eligibility")
@form_page("people/eligibility.html", context=_eligibility_context)
def save_eligibility(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    codes = eligibility.save_postcodes(
        session, current_account(), now(), assembly, request.form.get("postcodes", "")
    )
    flash(
        _("%(n)d postnumre er gemt.", n=len(codes))
        if codes
        else _("Alle postnumre kan nu tilmelde sig."),
        "success",
    )
    return redirect(url_for("secretariat_people.edit_eligibility", slug=slug))


def _members_context(slug: str, **_: Any) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    return {
        "assembly": assembly,
        "members": member_logins.list_members(session, current_account(), assembly),
        "facilitators": facilitators.list_facilitators(session, assembly),
    }


@bp.get("/assemblies/<slug>/members")
def list_members(slug: str) -> str:
    return render_template("people/members.html", errors={}, form={}, **_members_context(slug))


@bp.post("/assemblies/<slug>/members/<int:member_id>/login")
@form_page("people/members.html", context=_members_context)
def resend_login(slug: str, member_id: int) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    member_logins.resend_login(
        session, current_account(), now(), link_settings(), assembly, member_id
    )
    flash(_("E-mailen med login er sendt igen."), "success")
    return redirect(url_for("secretariat_people.list_members", slug=slug))


@bp.post("/assemblies/<slug>/members/<int:member_id>/status")
@form_page("people/members.html", context=_members_context)
def update_member_status(slug: str, member_id: int) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    raw = request.form.get("status", "")
    status = MemberStatus(raw) if raw in set(MemberStatus) else MemberStatus.WITHDRAWN
    member_logins.set_member_status(session, current_account(), now(), assembly, member_id, status)
    if status == MemberStatus.ACTIVE:
        flash(_("Medlemmet er aktivt igen og har adgang til arbejdsrummet."), "success")
    else:
        flash(_("Medlemmet har ikke længere adgang til arbejdsrummet."), "success")
    return redirect(url_for("secretariat_people.list_members", slug=slug))


@bp.post("/assemblies/<slug>/facilitators")
@form_page("people/members.html", context=_members_context)
def add_facilitator(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    facilitators.add_facilitator(
        session, current_account(), now(), assembly, request.form.get("email", "")
    )
    flash(_("Facilitatoren er tilføjet."), "success")
    return redirect(url_for("secretariat_people.list_members", slug=slug))


@bp.post("/assemblies/<slug>/facilitators/<int:facilitator_id>/remove")
def remove_facilitator(slug: str, facilitator_id: int) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    facilitators.remove_facilitator(session, current_account(), now(), assembly, facilitator_id)
    flash(_("Facilitatoren er fjernet."), "success")
    return redirect(url_for("secretariat_people.list_members", slug=slug))


# --- organisations ------------------------------------------------------------------------


def _organisation_form() -> organisations.OrganisationForm:
    return organisations.OrganisationForm(
        name=request.form.get("name", ""),
        kind=request.form.get("kind", ""),
        district=request.form.get("district", ""),
        verified=request.form.get("verified") == "yes",
    )


def _organisations_context(**_: Any) -> dict[str, Any]:
    return {"organisations": organisations.list_organisations(get_session())}


@bp.get("/organisations")
def list_organisations() -> str:
    return render_template(
        "people/organisations.html", errors={}, form={}, **_organisations_context()
    )


@bp.post("/organisations")
@form_page("people/organisations.html", context=_organisations_context)
def create_organisation() -> Response:
    org = organisations.save_organisation(
        get_session(), current_account(), now(), _organisation_form()
    )
    flash(_("Organisationen er oprettet."), "success")
    return redirect(url_for("secretariat_people.show_organisation", organisation_id=org.id))


def _organisation_context(organisation_id: int, **_: Any) -> dict[str, Any]:
    return {"organisation": organisations.get_organisation(get_session(), organisation_id)}


@bp.get("/organisations/<int:organisation_id>")
def show_organisation(organisation_id: int) -> str:
    context = _organisation_context(organisation_id)
    return render_template("people/organisation.html", errors={}, form={}, **context)


@bp.post("/organisations/<int:organisation_id>")
@form_page("people/organisation.html", context=_organisation_context)
def update_organisation(organisation_id: int) -> Response:
    session = get_session()
    org = organisations.get_organisation(session, organisation_id)
    organisations.save_organisation(session, current_account(), now(), _organisation_form(), org)
    flash(_("Organisationen er gemt."), "success")
    return redirect(url_for("secretariat_people.show_organisation", organisation_id=org.id))


@bp.post("/organisations/<int:organisation_id>/people")
@form_page("people/organisation.html", context=_organisation_context)
def add_organisation_person(organisation_id: int) -> Response:
    session = get_session()
    org = organisations.get_organisation(session, organisation_id)
    user = organisations.add_person(
        session,
        current_account(),
        now(),
        link_settings(),
        org,
        request.form.get("email", ""),
        request.form.get("display_name", ""),
    )
    flash(_("%(email)s hører nu til organisationen.", email=user.email), "success")
    return redirect(url_for("secretariat_people.show_organisation", organisation_id=org.id))


@bp.post("/organisations/<int:organisation_id>/people/<int:person_id>/remove")
def remove_organisation_person(organisation_id: int, person_id: int) -> Response:
    session = get_session()
    org = organisations.get_organisation(session, organisation_id)
    organisations.remove_person(session, current_account(), now(), org, person_id)
    flash(_("Personen er fjernet fra organisationen."), "success")
    return redirect(url_for("secretariat_people.show_organisation", organisation_id=org.id))
