"""The secretariat's (independent operator's) pages: quotas, invitations, the pool and the draw."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from .. import assemblies, jobs, mail
from ..auth import current_account, role_required
from ..db import get_session, reads_only
from ..errors import form_page
from ..htmx import page_or_partial
from ..models import Role
from ..numbers import parse_int
from ..recruitment import draws, invitations, privacy, quotas, transparency
from ..recruitment import registration as recruitment
from ..views import now, today
from ._util import require_confirmation

bp = Blueprint("secretariat", __name__, url_prefix="/secretariat")


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_secretariat() -> None:
    """Every page here shows personal data or changes the draw: secretariat (and admin) only."""
    return None


def _context(slug: str, **_: Any) -> dict[str, Any]:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    run = draws.latest_run(session, assembly)
    return {
        "assembly": assembly,
        "settings": recruitment.get_recruitment(session, assembly),
        "quotas": quotas.list_quotas(session, assembly),
        "summary": recruitment.pool_summary(session, assembly),
        "batches": invitations.list_batches(session, assembly),
        "run": run,
        "blanking_due": privacy.blanking_due(session, assembly, now()),
        "seat_counts": recruitment.seat_counts(session, assembly),
    }


def _seat_link(token: str) -> str:
    """The personal link a drawn person gets by e-mail (from BASE_URL, not the request's Host)."""
    return mail.external_url(url_for("participate.show_seat", token=token))


@bp.get("/assemblies/<slug>")
def show_recruitment(slug: str) -> str:
    return render_template("secretariat/recruitment.html", errors={}, form={}, **_context(slug))


def _quota_context(slug: str) -> dict[str, Any]:
    context = _context(slug)
    context["quota_text"] = request.form.get("quotas") or quotas.quota_text(context["quotas"])
    context["feasibility"] = None
    return context


@bp.get("/assemblies/<slug>/quotas")
def edit_quotas(slug: str) -> str:
    context = _quota_context(slug)
    people = recruitment.pool(get_session(), context["assembly"])
    problem = quotas.pool_problem(context["quotas"], people) if context["quotas"] else None
    if context["quotas"] and not problem:
        context["feasibility"] = draws.check_pool(get_session(), context["assembly"])
    errors = {"quotas": problem} if problem else {}
    return render_template("secretariat/quotas.html", errors=errors, form={}, **context)


@bp.post("/assemblies/<slug>/quotas")
@form_page("secretariat/quotas.html", context=_quota_context)
def save_quotas(slug: str) -> Response:
    assembly = assemblies.get_assembly(get_session(), slug)
    quotas.save_quotas(get_session(), assembly, request.form.get("quotas", ""), today())
    flash(_("Kvoterne er gemt."), "success")
    return redirect(url_for("secretariat.edit_quotas", slug=slug))


@bp.post("/assemblies/<slug>/quotas/check")
@reads_only
@form_page(
    "secretariat/quotas.html", context=_quota_context, partial="secretariat/_feasibility.html"
)
def check_quotas(slug: str) -> Response:
    context = _quota_context(slug)
    assembly = context["assembly"]
    rows = quotas.parse_quota_text(context["quota_text"], assembly.seats)
    targets = quotas.quota_targets(assembly, rows)
    context["feasibility"] = draws.check_pool(get_session(), assembly, targets)
    return page_or_partial(
        "secretariat/quotas.html", "secretariat/_feasibility.html", errors={}, form={}, **context
    )


@bp.post("/assemblies/<slug>/settings")
@form_page("secretariat/recruitment.html", context=_context)
def save_settings(slug: str) -> Response:
    session = get_session()
    recruitment.update_settings(
        session,
        assemblies.get_assembly(session, slug),
        request.form.get("mode", ""),
        request.form.get("household_rule") == "yes",
        request.form.get("retention_days", ""),
    )
    flash(_("Indstillingerne er gemt."), "success")
    return redirect(url_for("secretariat.show_recruitment", slug=slug))


@bp.post("/assemblies/<slug>/invitations")
@form_page("secretariat/recruitment.html", context=_context)
def create_invitations(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    upload = request.files.get("register")
    text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
    count = request.form.get("count", "")
    batch = invitations.draw_invitations(
        session,
        assembly,
        text,
        parse_int(count) or 0,
        request.form.get("seed", ""),
        request.form.get("spread", "").strip() or None,
        current_account(),
        now(),
    )
    flash(_("%(n)d husstande er trukket ud til invitation.", n=batch.invited), "success")
    return redirect(url_for("secretariat.show_recruitment", slug=slug))


@bp.get("/assemblies/<slug>/invitations/<int:batch_id>.csv")
def download_invitations(slug: str, batch_id: int) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    batch = next((b for b in invitations.list_batches(session, assembly) if b.id == batch_id), None)
    if batch is None:
        return Response(status=404)
    return Response(
        invitations.mail_merge_csv(batch),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=invitationer-{batch_id}.csv"},
    )


@bp.get("/assemblies/<slug>/draw")
def show_draw(slug: str) -> Response:
    return page_or_partial(
        "secretariat/draw.html",
        "secretariat/_draw_status.html",
        errors={},
        form={},
        **_context(slug),
    )


@bp.post("/assemblies/<slug>/draw")
@form_page("secretariat/draw.html", context=_context)
def start_draw(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    run = draws.start_draw(session, assembly, current_account(), now())
    jobs.enqueue("compute_lottery", run.id)
    return redirect(url_for("secretariat.show_draw", slug=slug))


@bp.post("/assemblies/<slug>/draw/<int:run_id>/seed")
@form_page("secretariat/draw.html", context=_context)
def enter_seed(slug: str, run_id: int) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    run = transparency.get_public_run(session, assembly, run_id)
    require_confirmation(
        request.form, _("Sæt kryds for at bekræfte, at panelet skal trækkes med dette frø.")
    )
    panel = draws.enter_seed(
        session,
        run,
        request.form.get("seed", ""),
        current_account(),
        now(),
        link_for=_seat_link,
    )
    flash(
        _(
            "Panelet er trukket: %(n)d personer. De får en e-mail med et link til at bekræfte.",
            n=len(panel),
        ),
        "success",
    )
    return redirect(url_for("secretariat.show_draw", slug=slug))


@bp.post("/assemblies/<slug>/privacy/blank")
@form_page("secretariat/recruitment.html", context=_context)
def blank_personal_data(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    count = privacy.blank_non_selected(session, assembly, now(), current_account())
    flash(_("Personoplysninger for %(n)d ikke-udtrukne er slettet.", n=count), "success")
    return redirect(url_for("secretariat.show_recruitment", slug=slug))


@bp.post("/assemblies/<slug>/draw/replacements")
@form_page("secretariat/draw.html", context=_context)
def replace_declined(slug: str) -> Response:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    run = draws.replace_declined(
        session,
        assembly,
        request.form.get("replacement_seed", ""),
        current_account(),
        now(),
        link_for=_seat_link,
    )
    flash(
        ngettext(
            "%(num)d erstatning er trukket og har fået en e-mail.",
            "%(num)d erstatninger er trukket og har fået en e-mail.",
            len(run.result or []),
        ),
        "success",
    )
    return redirect(url_for("secretariat.show_draw", slug=slug))


@bp.get("/assemblies/<slug>/outbox")
def show_outbox(slug: str) -> str:
    session = get_session()
    assembly = assemblies.get_assembly(session, slug)
    return render_template(
        "secretariat/outbox.html",
        assembly=assembly,
        mails=mail.list_outbox(session, assembly.id),
    )
