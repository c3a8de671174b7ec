"""Public pages of an assembly's meetings and materials, and the files (served safely)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import assemblies as domain
from .. import library
from ..backoffice import uploads
from ..db import get_session
from ..errors import NotFound
from ..models import MaterialKind
from ..pagecache import cached_page
from ..views import is_staff, now

bp = Blueprint("library", __name__, url_prefix="/assemblies/<slug>")


@bp.get("/meetings/<int:meeting_id>")
@cached_page
def show_meeting(slug: str, meeting_id: int) -> str:
    assembly = domain.get_assembly(get_session(), slug, include_planned=is_staff())
    meeting = library.get_public_meeting(assembly, meeting_id)
    return render_template(
        "public/meeting.html",
        assembly=assembly,
        meeting=meeting,
        materials=[m for m in library.visible_materials(assembly) if m.meeting_id == meeting.id],
        now=now(),
    )


def _parse_filters(meeting_ids: set[int]) -> tuple[library.MaterialFilter, list[str]]:
    """Read the list filters; unknown values are dropped and reported, never a crash."""
    filters, problems = library.MaterialFilter(), []
    raw_kind, raw_meeting = request.args.get("kind", ""), request.args.get("meeting", "")
    if raw_kind:
        if raw_kind in set(MaterialKind):
            filters.kind = MaterialKind(raw_kind)
        else:
            problems.append(_("Ukendt slags materiale: %(v)s", v=raw_kind))
    if raw_meeting:
        if raw_meeting.isdigit() and int(raw_meeting) in meeting_ids:
            filters.meeting_id = int(raw_meeting)
        else:
            problems.append(_("Ukendt møde: %(v)s", v=raw_meeting))
    return filters, problems


@bp.get("/materials")
@cached_page
def list_materials(slug: str) -> str:
    assembly = domain.get_assembly(get_session(), slug, include_planned=is_staff())
    meetings = library.visible_meetings(assembly)
    filters, problems = _parse_filters({m.id for m in meetings})
    return render_template(
        "public/materials.html",
        assembly=assembly,
        meetings=meetings,
        materials=library.filter_materials(assembly, filters),
        filters=filters,
        problems=problems,
        kinds=list(MaterialKind),
    )


@bp.get("/materials/<int:material_id>/file")
def download_material(slug: str, material_id: int) -> Response:
    staff = is_staff()
    assembly = domain.get_assembly(get_session(), slug, include_planned=staff)
    material = library.get_public_file(assembly, material_id, preview=staff)
    path = uploads.stored_path(current_app.config["UPLOAD_DIR"], material.stored_name or "")
    if path is None:
        raise NotFound(f"{slug}/materials/{material_id}/file")
    content_type = material.content_type or "application/octet-stream"
    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=content_type not in uploads.INLINE_TYPES,
        download_name=material.file_name or path.name,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
