"""The response ledger: what happened to the public's input.

Public: the input page, the report ("hvidbog") as HTML and CSV. Workspace: facilitators and the
secretariat record dispositions, members propose them. Logged in: "Mit input".
"""

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
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from .. import assemblies
from ..auth import current_account
from ..consultation import charts, input_report, ledger
from ..consultation.input_report import InputFilter
from ..consultation.ledger import InputRef
from ..db import get_session
from ..errors import form_page
from ..models import DispositionKind
from ..numbers import parse_int
from ..pagecache import cached_page
from ..views import is_staff, now

bp = Blueprint("ledger", __name__)
MAX_PAGE = 100_000


# --- public ----------------------------------------------------------------------------------


def _filters() -> tuple[InputFilter, list[str]]:
    """Read the filters; unknown values are dropped and reported, never a crash."""
    args, problems = request.args, []
    filt = InputFilter()
    raw = args.get("recommendation", "")
    if raw:
        filt.recommendation = parse_int(raw, maximum=10_000)
        if filt.recommendation is None:
            problems.append(_("Ukendt anbefaling: %(v)s", v=raw))
    kind = args.get("kind", "")
    if kind in (input_report.RESIDENT, input_report.ORGANISATION):
        filt.kind = kind
    elif kind:
        problems.append(_("Ukendt type: %(v)s", v=kind))
    disposition = args.get("disposition", "")
    if disposition in {k.value for k in DispositionKind} | {input_report.NONE}:
        filt.disposition = disposition
    elif disposition:
        problems.append(_("Ukendt svar: %(v)s", v=disposition))
    filt.district = args.get("district", "")[:120]
    return filt, problems


@bp.get("/assemblies/<slug>/input")
@cached_page
def show_input(slug: str) -> str:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug, include_planned=is_staff())
    filt, problems = _filters()
    page = parse_int(request.args.get("page"), minimum=1, maximum=MAX_PAGE) or 1
    overview = input_report.get_overview(
        session, assembly, filt, page, current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "ledger/input.html",
        assembly=assembly,
        overview=overview,
        filters=filt,
        problems=problems,
        diffs={
            d.recommendation.id: d
            for d in input_report.diffs_for(session, assembly, overview.recommendations)
        },
        charts=charts.input_charts(overview.rows, overview.recommendations),
        answered=sum(1 for r in overview.all_rows if r.disposition is not None),
    )


@bp.get("/assemblies/<slug>/input/report")
@cached_page
def show_report(slug: str) -> str:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug, include_planned=is_staff())
    recs, items = input_report.get_all_items(session, assembly)
    written = [(i.input.recommendation_id, i.input.revision_id) for i in items]
    diffs = input_report.recommendation_diffs(
        recs, [(r, v) for r, v in written if r is not None and v is not None]
    )
    return render_template(
        "ledger/report.html",
        assembly=assembly,
        recommendations=recs,
        items=items,
        diffs={d.recommendation.id: d for d in diffs},
        charts=charts.input_charts(input_report.rows_of(items), recs),
    )


@bp.get("/assemblies/<slug>/input/report.csv")
def download_report(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug, include_planned=is_staff())
    recs, items = input_report.get_all_items(session, assembly)
    return Response(
        input_report.csv_report(recs, items),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=hvidbog-{assembly.slug}.csv",
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


# --- workspace: record and propose -------------------------------------------------------------


def _access(slug: str) -> ledger.LedgerAccess:
    return ledger.get_access(get_session(), slug, current_account())


def _workspace_context(slug: str) -> dict[str, Any]:
    session = get_session()
    access = _access(slug)
    return {
        "access": access,
        "assembly": access.assembly,
        "work": ledger.list_untreated(session, access.assembly),
        "treated": ledger.list_treated(session, access.assembly),
        "revisions": ledger.revisions_for(session, access.assembly),
        "recommendations": assemblies.public_recommendations(access.assembly),
        "selected": request.form.getlist("inputs"),
    }


@bp.get("/assemblies/<slug>/workspace/ledger")
@login_required
def show_ledger(slug: str) -> str:
    return render_template("ledger/workspace.html", errors={}, form={}, **_workspace_context(slug))


def _refs() -> list[InputRef]:
    return [r for r in (InputRef.parse(v) for v in request.form.getlist("inputs")) if r]


@bp.post("/assemblies/<slug>/workspace/ledger")
@login_required
@form_page("ledger/workspace.html", context=_workspace_context)
def record_disposition(slug: str) -> BaseResponse:
    f = request.form
    count = ledger.record_dispositions(
        get_session(),
        _access(slug),
        now(),
        _refs(),
        f.get("kind", ""),
        f.get("rationale", ""),
        parse_int(f.get("revision_id", "")),
    )
    flash(ngettext("Svaret er registreret.", "%(num)d svar er registreret.", count), "success")
    return redirect(url_for(".show_ledger", slug=slug))


@bp.post("/assemblies/<slug>/workspace/ledger/proposals")
@login_required
@form_page("ledger/workspace.html", context=_workspace_context)
def propose_disposition(slug: str) -> BaseResponse:
    f = request.form
    ledger.propose_disposition(
        get_session(),
        _access(slug),
        now(),
        _refs(),
        f.get("kind", ""),
        f.get("rationale", ""),
        parse_int(f.get("revision_id", "")),
    )
    flash(_("Dit forslag er gemt. En facilitator beslutter svaret."), "success")
    return redirect(url_for(".show_ledger", slug=slug))


@bp.post("/assemblies/<slug>/workspace/ledger/proposals/<int:proposal_id>/accept")
@login_required
@form_page("ledger/workspace.html", context=_workspace_context)
def accept_proposal(slug: str, proposal_id: int) -> BaseResponse:
    ledger.accept_proposal(get_session(), _access(slug), now(), proposal_id)
    flash(_("Forslaget er registreret som svar."), "success")
    return redirect(url_for(".show_ledger", slug=slug))


# --- Mit input ---------------------------------------------------------------------------------


@bp.get("/mine/input")
@login_required
def show_my_input() -> str:
    items = input_report.list_my_input(get_session(), current_account())
    return render_template("ledger/mine.html", items=items)


@bp.record_once
def _template_globals(state: Any) -> None:
    """The ledger's labels, for its templates and macros."""
    state.app.jinja_env.globals.update(
        disposition_kinds=ledger.DISPOSITION_KIND,
        moderation_reasons=input_report.MODERATION_REASON,
        response_positions=input_report.RESPONSE_POSITION,
        input_kinds=input_report.INPUT_KIND,
        ref_for=InputRef,
    )
