"""The back office: the secretariat creates and edits assemblies and their timeline."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import labels, phases
from ..auth import current_account, role_required
from ..backoffice import assemblies, timeline
from ..db import get_session
from ..errors import form_page
from ..models import PhaseKind, Role
from ..views import now, today

bp = Blueprint("office", __name__, url_prefix="/secretariat")


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_secretariat() -> None:
    """Only the secretariat and admins run assemblies (checked on the server for every route)."""
    return None


def _assembly_context(slug: str, **_kwargs: Any) -> dict[str, Any]:
    assembly = assemblies.get_any_assembly(get_session(), slug)
    return {
        "assembly": assembly,
        "fields": assemblies.TEXT_FIELDS,
        "steps": phases.timeline(assembly, today()),
        "gaps": timeline.gaps(assembly.phases),
        "transitions": sorted(assemblies.TRANSITIONS[assembly.status]),
    }


def _new_context(**_kwargs: Any) -> dict[str, Any]:
    return {"assembly": None, "fields": assemblies.TEXT_FIELDS}


@bp.get("/assemblies")
def list_assemblies() -> str:
    return render_template(
        "backoffice/assemblies.html",
        assemblies=assemblies.list_all_assemblies(get_session()),
        phase_of=lambda a: phases.current_phase(a, today()),
    )


@bp.get("/assemblies/new")
def new_assembly() -> str:
    return render_template(
        "backoffice/assembly_form.html", errors={}, form={"seats": "24"}, **_new_context()
    )


@bp.post("/assemblies")
@form_page("backoffice/assembly_form.html", context=_new_context)
def create_assembly() -> Response:
    assembly = assemblies.create_assembly(get_session(), request.form, current_account(), now())
    flash(_("Borgersamlingen er oprettet som planlagt. Den er ikke offentlig endnu."), "success")
    return redirect(url_for("office.edit_timeline", slug=assembly.slug))


@bp.get("/assemblies/<slug>/overview")
def show_assembly(slug: str) -> str:
    return render_template(
        "backoffice/assembly.html", errors={}, form={}, **_assembly_context(slug)
    )


def _as_form(assembly: Any) -> dict[str, str]:
    """The saved values as the form shows them."""
    form = {}
    for spec in assemblies.TEXT_FIELDS:
        form[spec.name] = getattr(assembly, spec.name) or ""
        if spec.english:
            form[f"{spec.name}_en"] = getattr(assembly, f"{spec.name}_en") or ""
    for name in ("seats", "answer_weeks", "draw_on", "reply_by"):
        value = getattr(assembly, name)
        form[name] = "" if value is None else str(value)
    return form


@bp.get("/assemblies/<slug>/edit")
def edit_assembly(slug: str) -> str:
    context = _assembly_context(slug)
    form = _as_form(context["assembly"])
    return render_template("backoffice/assembly_form.html", errors={}, form=form, **context)


@bp.post("/assemblies/<slug>/edit")
@form_page("backoffice/assembly_form.html", context=_assembly_context)
def update_assembly(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_any_assembly(session, slug)
    changed = assemblies.update_assembly(session, assembly, request.form, current_account(), now())
    flash(_("Ændringerne er gemt.") if changed else _("Der var ingen ændringer."), "success")
    return redirect(url_for("office.show_assembly", slug=slug))


@bp.post("/assemblies/<slug>/status")
@form_page("backoffice/assembly.html", context=_assembly_context)
def change_status(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_any_assembly(session, slug)
    assemblies.change_status(
        session, assembly, request.form.get("status", ""), current_account(), now()
    )
    flash(
        _("Status er nu: %(s)s.", s=labels.ASSEMBLY_STATUS[assembly.status]),
        "success",
    )
    return redirect(url_for("office.show_assembly", slug=slug))


def _timeline_context(slug: str, **_kwargs: Any) -> dict[str, Any]:
    context = _assembly_context(slug)
    context["rows"] = timeline.form_rows(context["assembly"], request.form)
    context["phase_kinds"] = list(PhaseKind)
    return context


@bp.get("/assemblies/<slug>/timeline")
def edit_timeline(slug: str) -> str:
    return render_template(
        "backoffice/timeline.html", errors={}, form={}, **_timeline_context(slug)
    )


@bp.post("/assemblies/<slug>/timeline")
@form_page("backoffice/timeline.html", context=_timeline_context)
def save_timeline(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_any_assembly(session, slug)
    timeline.save_timeline(session, assembly, request.form, current_account(), now())
    flash(_("Forløbet er gemt."), "success")
    return redirect(url_for("office.edit_timeline", slug=slug))
