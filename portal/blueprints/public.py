"""Public pages: anyone may read every assembly, no account needed."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from .. import assemblies as domain
from .. import library, phases
from ..activity import list_recent_activity
from ..consultation import pages, responses
from ..db import database_problem, get_session
from ..htmx import page_or_partial
from ..i18n import COOKIE, LANGUAGES
from ..models import AssemblyStatus, PhaseKind
from ..numbers import parse_int
from ..pagecache import cached_page
from ..recruitment import transparency
from ..views import is_staff, now, today
from ._util import safe_next
from .consultation import list_order, viewer

MAX_PAGE = 100_000
log = logging.getLogger(__name__)

bp = Blueprint("public", __name__)


@bp.get("/")
@cached_page
def index() -> str:
    session = get_session()
    current = domain.list_assemblies(
        session, domain.AssemblyFilter(status=AssemblyStatus.ACTIVE), today(), size=6
    )
    return render_template(
        "public/index.html",
        assemblies=current.items,
        activity=list_recent_activity(session, now()),
        phase_of=lambda a: phases.current_phase(a, today()),
    )


def _parse_filters() -> tuple[domain.AssemblyFilter, list[str]]:
    """Read the list filters; unknown values are dropped and reported, never a crash."""
    problems: list[str] = []
    filters = domain.AssemblyFilter()
    raw_phase, raw_status, raw_year = (request.args.get(k, "") for k in ("phase", "status", "year"))
    if raw_phase:
        try:
            filters.phase = PhaseKind(raw_phase)
        except ValueError:
            problems.append(_("Ukendt fase: %(v)s", v=raw_phase))
    if raw_status:
        try:
            filters.status = AssemblyStatus(raw_status)
        except ValueError:
            problems.append(_("Ukendt status: %(v)s", v=raw_status))
    if raw_year:
        year = parse_int(raw_year, minimum=1901, maximum=2999)
        if year is not None:
            filters.year = year
        else:
            problems.append(_("Ugyldigt år: %(v)s", v=raw_year))
    return filters, problems


@bp.get("/assemblies")
@cached_page
def list_assemblies() -> Response:
    session = get_session()
    filters, problems = _parse_filters()
    page_number = parse_int(request.args.get("page"), minimum=1, maximum=MAX_PAGE) or 1
    page = domain.list_assemblies(
        session,
        filters,
        today(),
        page=page_number,
        size=current_app.config["PAGE_SIZE"],
    )
    return page_or_partial(
        "public/assemblies.html",
        "public/_assembly_list.html",
        page=page,
        filters=filters,
        problems=problems,
        years=domain.list_years(session),
        phase_kinds=list(PhaseKind),
        statuses=[AssemblyStatus.ACTIVE, AssemblyStatus.CONCLUDED],
        phase_of=lambda a: phases.current_phase(a, today()),
    )


@bp.get("/assemblies/<slug>")
@cached_page
def show_assembly(slug: str) -> str:
    session = get_session()
    assembly = domain.get_assembly(session, slug, include_planned=is_staff())
    recommendations = domain.public_recommendations(assembly)
    user = viewer()
    whole_draft_responses = responses.list_responses(session, assembly, None, user)
    return render_template(
        "public/assembly.html",
        assembly=assembly,
        meetings=library.visible_meetings(assembly),
        materials=library.visible_materials(assembly),
        timeline=phases.timeline(assembly, today()),
        current=phases.current_phase(assembly, today()),
        registration_open=phases.allows(assembly, phases.Feature.REGISTER, today()),
        composition=domain.panel_composition(assembly.members),
        recommendations=recommendations,
        support=domain.support_counts(session, recommendations),
        now=now(),
        whole_draft_responses=whole_draft_responses,
        editable_response_ids=responses.editable_ids(whole_draft_responses, user, assembly, today()),
        responses_open=bool(user and responses.organisations_for(session, user))
        and phases.allows(assembly, phases.Feature.COMMITTEE_INPUT, today()),
    )


@bp.get("/assemblies/<slug>/recommendations/<int:number>")
@cached_page
def show_recommendation(slug: str, number: int) -> str:
    session = get_session()
    assembly = domain.get_assembly(session, slug)
    view = domain.get_recommendation(session, assembly, number)
    consultation = pages.recommendation_input(
        session,
        view.recommendation,
        viewer(),
        now(),
        order=list_order(),
        page=parse_int(request.args.get("page"), minimum=1, maximum=MAX_PAGE) or 1,
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "public/recommendation.html", assembly=assembly, view=view, input=consultation
    )


@bp.get("/assemblies/<slug>/selection")
@cached_page
def show_selection(slug: str) -> str:
    session = get_session()
    assembly = domain.get_assembly(session, slug)
    overview = transparency.selection_overview(session, assembly)
    return render_template(
        "public/selection.html",
        assembly=assembly,
        overview=overview,
        command=transparency.rerun_command(overview.run) if overview.run else None,
    )


@bp.get("/assemblies/<slug>/selection/runs/<int:run_id>/<name>")
def download_selection_file(slug: str, run_id: int, name: str) -> Response:
    session = get_session()
    run = transparency.get_public_run(session, domain.get_assembly(session, slug), run_id)
    body, mimetype = transparency.download(run, name)
    filename = f"lottery-{run.id}.json" if name == "lottery.json" else name
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


@bp.get("/language/<code>")
def set_language(code: str) -> BaseResponse:
    response = redirect(safe_next(request.args.get("next")))
    if code in LANGUAGES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        )
    return response


@bp.get("/privacy")
@cached_page
def show_privacy() -> str:
    return render_template("public/privacy.html")


@bp.get("/favicon.ico")
def favicon() -> BaseResponse:
    return send_from_directory(
        current_app.static_folder or "static", "img/favicon.ico", max_age=7 * 24 * 3600
    )


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    try:
        problem = database_problem(get_session())
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        problem = "database unreachable"
    if problem:
        log.error("health check failed: %s", problem)
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200
