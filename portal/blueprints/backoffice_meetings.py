"""The back office's meetings and materials: publish, correct, unpublish, delete."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from .. import labels
from ..auth import current_account, role_required
from ..backoffice import assemblies, materials, meetings
from ..config import UPLOAD_FORM_ALLOWANCE
from ..db import get_session
from ..errors import form_page
from ..models import ChosenBy, Material, MaterialKind, Meeting, Role
from ..views import now

bp = Blueprint("office_meetings", __name__, url_prefix="/secretariat/assemblies/<slug>")


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_secretariat() -> None:
    """Only the secretariat and admins (checked on the server for every route)."""
    return None


def _context(
    slug: str, meeting_id: int | None = None, material_id: int | None = None, **_kwargs: Any
) -> dict[str, Any]:
    assembly = assemblies.get_any_assembly(get_session(), slug)
    return {
        "assembly": assembly,
        "meeting": meetings.get_meeting(assembly, meeting_id) if meeting_id else None,
        "material": materials.get_material(assembly, material_id) if material_id else None,
        "kind_options": [(k.value, labels.MATERIAL_KIND[k]) for k in MaterialKind],
        "chosen_options": [(c.value, labels.CHOSEN_BY[c]) for c in ChosenBy],
        "meeting_options": [
            (m.id, _("Møde %(n)d: %(t)s", n=m.number, t=m.title)) for m in assembly.meetings
        ],
        "max_mb": f"{current_app.config['UPLOAD_MAX_BYTES'] / 1_000_000:g}",
    }


def _meeting_form(meeting: Meeting) -> dict[str, str]:
    local = ZoneInfo(current_app.config["TIMEZONE"])
    form = {k: getattr(meeting, k) or "" for k in meetings.TEXTS}
    form.update({f"{k}_en": getattr(meeting, f"{k}_en") or "" for k in meetings.ENGLISH})
    form["date"] = meeting.starts_at.astimezone(local).date().isoformat()
    form["starts"] = meeting.starts_at.astimezone(local).strftime("%H:%M")
    form["ends"] = meeting.ends_at.astimezone(local).strftime("%H:%M")
    form["published"] = "yes" if meeting.published else ""
    return form


def _storage() -> materials.Storage:
    config = current_app.config
    return materials.Storage(config["UPLOAD_DIR"], int(config["UPLOAD_MAX_BYTES"]))


@bp.get("/meetings/new")
def new_meeting(slug: str) -> str:
    return render_template(
        "backoffice/meeting_form.html", errors={}, form={"published": "yes"}, **_context(slug)
    )


@bp.post("/meetings")
@form_page("backoffice/meeting_form.html", context=_context)
def create_meeting(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_any_assembly(session, slug)
    meetings.create_meeting(session, assembly, request.form, current_account(), now())
    flash(_("Mødet er gemt."), "success")
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="meetings"))


@bp.get("/meetings/<int:meeting_id>/edit")
def edit_meeting(slug: str, meeting_id: int) -> str:
    context = _context(slug, meeting_id)
    form = _meeting_form(context["meeting"])
    return render_template("backoffice/meeting_form.html", errors={}, form=form, **context)


@bp.post("/meetings/<int:meeting_id>/edit")
@form_page("backoffice/meeting_form.html", context=_context)
def update_meeting(slug: str, meeting_id: int) -> Response:
    session = get_session()
    meeting = _context(slug, meeting_id)["meeting"]
    told = meetings.update_meeting(session, meeting, request.form, current_account(), now())
    flash(_("Mødet er gemt."), "success")
    if told:
        flash(
            ngettext(
                "Tid eller sted er ændret: %(num)d medlem får en e-mail.",
                "Tid eller sted er ændret: %(num)d medlemmer får en e-mail.",
                told,
            ),
            "info",
        )
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="meetings"))


@bp.post("/meetings/<int:meeting_id>/publish")
def publish_meeting(slug: str, meeting_id: int) -> Response:
    meeting = _context(slug, meeting_id)["meeting"]
    published = request.form.get("published") == "yes"
    meetings.set_meeting_published(get_session(), meeting, published, current_account(), now())
    flash(
        _("Mødet er offentligt.") if published else _("Mødet er skjult for offentligheden."),
        "success",
    )
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="meetings"))


@bp.get("/meetings/<int:meeting_id>/delete")
def confirm_delete_meeting(slug: str, meeting_id: int) -> str:
    action = url_for(".delete_meeting", slug=slug, meeting_id=meeting_id)
    return render_template(
        "backoffice/confirm_delete.html", action=action, **_context(slug, meeting_id)
    )


@bp.post("/meetings/<int:meeting_id>/delete")
def delete_meeting(slug: str, meeting_id: int) -> Response:
    """Deleting cannot be undone: without the confirmation page's "yes" it asks first."""
    if request.form.get("confirm") != "yes":
        return redirect(url_for(".confirm_delete_meeting", slug=slug, meeting_id=meeting_id))
    meeting = _context(slug, meeting_id)["meeting"]
    meetings.delete_meeting(get_session(), meeting, current_account(), now())
    flash(_("Mødet er slettet."), "success")
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="meetings"))


def _material_form(material: Material) -> dict[str, str]:
    names = (
        "title",
        "title_en",
        "kind",
        "chosen_by",
        "source",
        "affiliation",
        "summary",
        "summary_en",
        "url",
        "accessible_url",
        "plain_summary",
        "plain_summary_en",
    )
    form = {k: str(getattr(material, k) or "") for k in names}
    form["meeting_id"] = str(material.meeting_id or "")
    form["captions"] = "yes" if material.captions else ""
    form["published"] = "yes" if material.published else ""
    return form


@bp.get("/materials/new")
def new_material(slug: str) -> str:
    form = {"published": "yes", "meeting_id": request.args.get("meeting", "")}
    return render_template("backoffice/material_form.html", errors={}, form=form, **_context(slug))


FORM_ALLOWANCE = UPLOAD_FORM_ALLOWANCE  # room for the form's text fields next to the file


@bp.url_value_preprocessor
def _limit_upload_size(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """A request far over the upload limit is cut off while it arrives (not spooled to disk);
    uploads just over it reach the domain check and its message. A URL preprocessor, because it
    must run before CSRFProtect (an app-level before_request) reads the form."""
    request.max_content_length = int(current_app.config["UPLOAD_MAX_BYTES"]) + FORM_ALLOWANCE


@bp.errorhandler(RequestEntityTooLarge)
def _far_too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    """The material form again with a clear message (the other fields could not be read)."""
    context = _context(**(request.view_args or {}))
    message = _("Filen er for stor. Den må højst fylde %(mb)s MB.", mb=context["max_mb"])
    html = render_template(
        "backoffice/material_form.html", errors={"file": message}, form={}, **context
    )
    return html, 413


@bp.post("/materials")
@form_page("backoffice/material_form.html", context=_context)
def create_material(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_any_assembly(session, slug)
    upload = request.files.get("file")
    materials.create_material(
        session,
        assembly,
        request.form,
        materials.Upload(upload.stream, upload.filename or "") if upload else None,
        _storage(),
        current_account(),
        now(),
    )
    flash(_("Materialet er gemt."), "success")
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="materials"))


@bp.get("/materials/<int:material_id>/edit")
def edit_material(slug: str, material_id: int) -> str:
    context = _context(slug, material_id=material_id)
    form = _material_form(context["material"])
    return render_template("backoffice/material_form.html", errors={}, form=form, **context)


@bp.post("/materials/<int:material_id>/edit")
@form_page("backoffice/material_form.html", context=_context)
def update_material(slug: str, material_id: int) -> Response:
    material = _context(slug, material_id=material_id)["material"]
    materials.update_material(get_session(), material, request.form, current_account(), now())
    flash(_("Materialet er gemt."), "success")
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="materials"))


@bp.post("/materials/<int:material_id>/publish")
def publish_material(slug: str, material_id: int) -> Response:
    material = _context(slug, material_id=material_id)["material"]
    published = request.form.get("published") == "yes"
    materials.set_material_published(get_session(), material, published, current_account(), now())
    flash(
        _("Materialet er offentligt.")
        if published
        else _("Materialet er skjult for offentligheden."),
        "success",
    )
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="materials"))


@bp.get("/materials/<int:material_id>/delete")
def confirm_delete_material(slug: str, material_id: int) -> str:
    action = url_for(".delete_material", slug=slug, material_id=material_id)
    context = _context(slug, material_id=material_id)
    return render_template("backoffice/confirm_delete.html", action=action, **context)


@bp.post("/materials/<int:material_id>/delete")
def delete_material(slug: str, material_id: int) -> Response:
    """Deleting (the file too) cannot be undone: without the confirmation page's "yes" it asks first."""
    if request.form.get("confirm") != "yes":
        return redirect(url_for(".confirm_delete_material", slug=slug, material_id=material_id))
    material = _context(slug, material_id=material_id)["material"]
    materials.delete_material(
        get_session(), material, current_app.config["UPLOAD_DIR"], current_account(), now()
    )
    flash(_("Materialet og dets fil er slettet."), "success")
    return redirect(url_for("office.show_assembly", slug=slug, _anchor="materials"))
