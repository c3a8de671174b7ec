"""The council's answers: the public tracker (`tracker`) and the council's desk (`council`,
council users of the receiving body and admins; the handover form for the secretariat)."""

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
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from ..auth import current_account, login_manager, role_required
from ..backoffice.assemblies import get_any_assembly
from ..council import (
    answers,
    csv_import,
    handover,
    implementation,
    landing,
    notify,
    story,
    tracker,
)
from ..council.access import require_answerer
from ..db import get_session
from ..errors import Forbidden, Invalid, form_page
from ..models import AnswerStatus, Assembly, Body, CouncilAnswer, ImplementationStatus, Role
from ..numbers import parse_int
from ..pagecache import cached_page
from ..people import staff
from ..views import now, today
from ._util import safe_next

bp = Blueprint("tracker", __name__)
council = Blueprint("council", __name__, url_prefix="/council")

MAX_PAGE = 100_000


# --- helpers for templates: the one due date and the story, from loaded objects --------------


@bp.app_template_global()
def answer_overdue_days(assembly: Assembly, rec: Any) -> int | None:
    """Days a final recommendation's answer is overdue (None when not)."""
    if rec.status != "final":
        return None
    answered = rec.answer is not None and rec.answer.version > 0
    return handover.overdue_days(assembly.answer_due, answered, today())


@bp.app_template_global()
def recommendation_story(rec: Any, comment_count: int) -> list[story.Event]:
    return story.story(rec, comment_count, getattr(rec.assembly, "handover", None))


@bp.app_template_global()
def answer_status_options() -> list[tuple[str, str]]:
    from .. import labels

    return [(s.value, str(labels.ANSWER[s])) for s in answers.ANSWERED]


@bp.app_template_global()
def implementation_options() -> list[tuple[str, str]]:
    from .. import labels

    return [(s.value, str(labels.IMPLEMENTATION[s])) for s in ImplementationStatus]


@bp.app_template_global()
def body_options(bodies: list[Body]) -> list[tuple[int, str]]:
    return [(b.id, b.name) for b in bodies]


@bp.app_template_global()
def my_membership(assembly: Assembly) -> Any:
    """The logged-in user's active membership of the assembly (from the loaded members), or None."""
    if not current_user.is_authenticated:
        return None
    return next(
        (m for m in assembly.members if m.user_id == current_user.id and m.status == "active"),
        None,
    )


@bp.post("/assemblies/<slug>/stay-informed")
def set_stay_informed(slug: str) -> BaseResponse:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    session = get_session()
    on = request.form.get("stay_informed") == "yes"
    notify.set_stay_informed(session, current_account(), get_any_assembly(session, slug), on)
    flash(
        _("Du får besked, når politikerne svarer og når noget ændrer sig.")
        if on
        else _("Du får ikke længere besked om svarene."),
        "success",
    )
    back = url_for("public.show_assembly", slug=slug, _anchor="hold-mig-orienteret")
    return redirect(safe_next(request.form.get("next"), back))


# --- the public tracker ----------------------------------------------------------------------


@bp.get("/recommendations")
@cached_page
def list_recommendations() -> str:
    session = get_session()
    filters, problems = tracker.parse_filter(request.args)
    number = parse_int(request.args.get("page"), minimum=1, maximum=MAX_PAGE) or 1
    return render_template(
        "council/tracker.html",
        page=tracker.list_rows(session, filters, today(), number, current_app.config["PAGE_SIZE"]),
        summary=tracker.summary(session, filters, today()),
        choices=tracker.choices(session),
        filters=filters,
        problems=problems,
        answer_statuses=list(AnswerStatus),
        implementation_statuses=list(ImplementationStatus),
    )


@bp.get("/recommendations.csv")
def download_recommendations() -> Response:
    filters, _problems = tracker.parse_filter(request.args)
    body = tracker.export_csv(get_session(), filters, today())
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=anbefalinger.csv"},
    )


# --- the council's desk ----------------------------------------------------------------------


@council.before_request
@role_required(Role.COUNCIL, Role.SECRETARIAT)
def _staff_only() -> None:
    """Council users, the secretariat (handover only, checked per route) and admins."""
    return None


def _council_user() -> None:
    if not current_user.has_role(Role.COUNCIL):
        raise Forbidden()


def _case(slug: str, number: int | None = None) -> tuple[Assembly, CouncilAnswer | None]:
    _council_user()
    session = get_session()
    assembly = get_any_assembly(session, slug)
    require_answerer(session, current_account(), assembly)
    return assembly, answers.get_case(session, assembly, number) if number else None


@council.get("")
def show_desk() -> str:
    _council_user()
    session = get_session()
    return render_template(
        "council/desk.html",
        desks=landing.list_desk(session, current_account(), today()),
        templates=answers.list_templates(session),
    )


def _assembly_context(slug: str, **_kwargs: Any) -> dict[str, Any]:
    assembly, _answer = _case(slug)
    session = get_session()
    return {
        "assembly": assembly,
        "cases": answers.list_cases(session, assembly),
        "templates": answers.list_templates(session),
        "handover": handover.get_handover(session, assembly),
    }


@council.get("/assemblies/<slug>")
def show_assembly(slug: str) -> str:
    return render_template("council/assembly.html", errors={}, form={}, **_assembly_context(slug))


def _numbers() -> list[int]:
    return [
        n
        for n in (parse_int(v, minimum=1, maximum=10_000) for v in request.form.getlist("numbers"))
        if n
    ]


@council.post("/assemblies/<slug>/publish")
@form_page("council/assembly.html", context=_assembly_context)
def publish_answers(slug: str) -> BaseResponse:
    context = _assembly_context(slug)
    chosen = set(_numbers())
    cases = [r.answer for r in context["cases"] if r.answer and (not chosen or r.number in chosen)]
    count = answers.publish(get_session(), context["assembly"], cases, current_account(), now())
    flash(_("%(n)d svar er offentliggjort.", n=count), "success")
    return redirect(url_for("council.show_assembly", slug=slug))


@council.post("/assemblies/<slug>/bulk")
@form_page("council/assembly.html", context=_assembly_context)
def apply_template(slug: str) -> BaseResponse:
    context = _assembly_context(slug)
    template_id = parse_int(request.form.get("template_id"), minimum=1, maximum=2**31)
    count = answers.apply_template(
        get_session(), context["cases"], template_id, _numbers(), current_account(), now()
    )
    flash(
        _("Skabelonen er sat ind i %(n)d udkast. Læs dem igennem før du offentliggør.", n=count),
        "success",
    )
    return redirect(url_for("council.show_assembly", slug=slug))


def _answer_context(slug: str, number: int, **_kwargs: Any) -> dict[str, Any]:
    assembly, answer = _case(slug, number)
    return {
        "assembly": assembly,
        "answer": answer,
        "rec": answer.recommendation if answer else None,
        "statuses": answers.ANSWERED,
        "implementation_statuses": list(ImplementationStatus),
        "rollup": implementation.rollup(answer.items) if answer else None,
    }


@council.get("/assemblies/<slug>/recommendations/<int:number>")
def edit_answer(slug: str, number: int) -> str:
    context = _answer_context(slug, number)
    form = answers.draft_form(context["answer"])
    return render_template("council/answer_form.html", errors={}, form=form, **context)


@council.post("/assemblies/<slug>/recommendations/<int:number>")
@form_page("council/answer_form.html", context=_answer_context)
def save_answer(slug: str, number: int) -> BaseResponse:
    _assembly, answer = _case(slug, number)
    assert answer is not None
    answers.save_draft(get_session(), answer, request.form, current_account(), now())
    if request.form.get("then") == "preview":
        return redirect(url_for("council.preview_answer", slug=slug, number=number))
    flash(_("Udkastet er gemt. Det er ikke offentligt endnu."), "success")
    return redirect(url_for("council.edit_answer", slug=slug, number=number))


@council.get("/assemblies/<slug>/recommendations/<int:number>/preview")
def preview_answer(slug: str, number: int) -> str | BaseResponse:
    context = _answer_context(slug, number)
    if context["answer"].draft is None:
        flash(_("Der er intet udkast at forhåndsvise."), "info")
        return redirect(url_for("council.edit_answer", slug=slug, number=number))
    return render_template("council/preview.html", **context)


@council.post("/assemblies/<slug>/recommendations/<int:number>/publish")
def publish_answer(slug: str, number: int) -> BaseResponse:
    assembly, answer = _case(slug, number)
    assert answer is not None
    answers.publish(get_session(), assembly, [answer], current_account(), now())
    flash(_("Svaret er offentliggjort."), "success")
    return redirect(url_for("public.show_recommendation", slug=slug, number=number))


def _answer_of(slug: str, number: int) -> CouncilAnswer:
    _assembly, answer = _case(slug, number)
    assert answer is not None
    return answer


def _back_to_form(slug: str, number: int, section: str, message: str) -> BaseResponse:
    flash(message, "success")
    url = url_for("council.edit_answer", slug=slug, number=number, _anchor=section)
    return redirect(url)


@council.post("/assemblies/<slug>/recommendations/<int:number>/implementation")
@form_page("council/answer_form.html", context=_answer_context)
def update_implementation(slug: str, number: int) -> BaseResponse:
    assembly, answer = _case(slug, number)
    assert answer is not None
    implementation.update_implementation(
        get_session(), assembly, answer, request.form, current_account(), now()
    )
    return _back_to_form(slug, number, "implementation", _("Gennemførelsen er opdateret."))


@council.post("/assemblies/<slug>/recommendations/<int:number>/milestones")
@form_page("council/answer_form.html", context=_answer_context)
def add_milestone(slug: str, number: int) -> BaseResponse:
    answer = _answer_of(slug, number)
    implementation.add_milestone(get_session(), answer, request.form, current_account(), now())
    return _back_to_form(slug, number, "milestones", _("Milepælen er tilføjet."))


@council.post("/assemblies/<slug>/recommendations/<int:number>/milestones/<int:milestone_id>")
@form_page("council/answer_form.html", context=_answer_context)
def complete_milestone(slug: str, number: int, milestone_id: int) -> BaseResponse:
    answer = _answer_of(slug, number)
    implementation.complete_milestone(get_session(), answer, milestone_id, request.form)
    return _back_to_form(slug, number, "milestones", _("Milepælen er nået."))


@council.post("/assemblies/<slug>/recommendations/<int:number>/items")
@form_page("council/answer_form.html", context=_answer_context)
def add_item(slug: str, number: int) -> BaseResponse:
    answer = _answer_of(slug, number)
    implementation.add_item(get_session(), answer, request.form, current_account(), now())
    message = _("Delopgaven er tilføjet. Fremdriften beregnes nu af delopgaverne.")
    return _back_to_form(slug, number, "items", message)


@council.post("/assemblies/<slug>/recommendations/<int:number>/items/<int:item_id>")
@form_page("council/answer_form.html", context=_answer_context)
def update_item(slug: str, number: int, item_id: int) -> BaseResponse:
    answer = _answer_of(slug, number)
    implementation.set_item_progress(
        get_session(), answer, item_id, request.form, current_account(), now()
    )
    return _back_to_form(slug, number, "items", _("Delopgaven er opdateret."))


def _desk_context(**_kwargs: Any) -> dict[str, Any]:
    _council_user()
    session = get_session()
    return {
        "desks": landing.list_desk(session, current_account(), today()),
        "templates": answers.list_templates(session),
    }


@council.post("/templates")
@form_page("council/desk.html", context=_desk_context)
def create_template() -> BaseResponse:
    _council_user()
    answers.create_template(get_session(), request.form, current_account(), now())
    flash(_("Skabelonen er gemt."), "success")
    return redirect(url_for("council.show_desk") + "#templates")


@council.post("/import")
def import_csv() -> str | BaseResponse:
    _council_user()
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    try:
        count = csv_import.import_updates(get_session(), data, current_account(), now())
    except csv_import.ImportRefused as refused:
        context = _desk_context()
        html = render_template(
            "council/desk.html",
            errors=refused.field_errors,
            lines=refused.lines,
            form={},
            **context,
        )
        return Response(html, status=422)
    except Invalid as invalid:
        context = _desk_context()
        html = render_template(
            "council/desk.html", errors=invalid.field_errors, lines=[], form={}, **context
        )
        return Response(html, status=422)
    flash(_("%(n)d anbefalinger er opdateret.", n=count), "success")
    return redirect(url_for("council.show_desk"))


# --- the secretariat records the handover -----------------------------------------------------


def _handover_context(slug: str, **_kwargs: Any) -> dict[str, Any]:
    if not current_user.has_role(Role.SECRETARIAT):
        raise Forbidden()
    session = get_session()
    assembly = get_any_assembly(session, slug)
    return {
        "assembly": assembly,
        "handover": handover.get_handover(session, assembly),
        "bodies": staff.list_bodies(session),
    }


@council.get("/assemblies/<slug>/handover")
def edit_handover(slug: str) -> str:
    context = _handover_context(slug)
    current = context["handover"]
    form = (
        {"body_id": str(current.body_id), "handed_over_on": current.handed_over_on.isoformat()}
        if current
        else {}
    )
    return render_template("council/handover.html", errors={}, form=form, **context)


@council.post("/assemblies/<slug>/handover")
@form_page("council/handover.html", context=_handover_context)
def record_handover(slug: str) -> BaseResponse:
    context = _handover_context(slug)
    errors: dict[str, str] = {}
    from ..backoffice import forms

    on = forms.day(request.form, "handed_over_on", errors, required=True)
    body_id = parse_int(request.form.get("body_id"), minimum=1, maximum=2**31)
    if errors:
        raise Invalid(errors)
    handover.record_handover(
        get_session(), context["assembly"], body_id, on, current_account(), now()
    )
    flash(
        _(
            "Overrækkelsen er registreret. Svarfristen er %(d)s.",
            d=format_date(context["assembly"].answer_due, "long"),
        ),
        "success",
    )
    return redirect(url_for("council.edit_handover", slug=slug))


__all__ = ["bp", "council"]
