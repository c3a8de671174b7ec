"""The public comment phase: comments, replies and edits, organisations' responses, reports and
appeals, an organisation's public page, and the secretariat's moderation queue."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import assemblies as public_domain
from ..auth import current_account, role_required
from ..backoffice.assemblies import get_any_assembly
from ..consultation import comments, moderation, pages, responses
from ..consultation.paragraphs import split_paragraphs
from ..consultation.rules import window
from ..db import get_session
from ..errors import NotFound, form_page
from ..htmx import page_or_partial
from ..models import (
    Comment,
    CommentStatus,
    ConsultationResponse,
    ModerationReason,
    Recommendation,
    RecommendationStatus,
    ResponsePosition,
    Role,
    User,
)
from ..numbers import parse_int
from ..pagecache import cached_page
from ..phases import Feature
from ..views import now, today

bp = Blueprint("consultation", __name__)


def viewer() -> User | None:
    return current_account() if current_user.is_authenticated else None


def _recommendation(slug: str, number: int) -> tuple[Any, Recommendation]:
    session = get_session()
    assembly = public_domain.get_assembly(session, slug)
    rec = public_domain.get_recommendation(session, assembly, number).recommendation
    return assembly, rec


def list_order() -> comments.Order:
    try:
        return comments.Order(request.args.get("order", "newest"))
    except ValueError:
        return comments.Order.NEWEST


# --- writing a comment --------------------------------------------------------------------------


def _comment_form_context(slug: str, number: int, **_kwargs: Any) -> dict[str, Any]:
    """The "write a comment" page: on the whole recommendation, one paragraph, or a reply."""
    session = get_session()
    assembly, rec = _recommendation(slug, number)
    view = pages.recommendation_input(session, rec, viewer(), now(), size=50)
    source = request.form if request.method == "POST" else request.args
    paragraph = parse_int(source.get("paragraph"), minimum=1, maximum=10_000)
    parent_id = parse_int(source.get("parent_id"), minimum=1)
    parent = session.get(Comment, parent_id) if parent_id else None
    if parent is not None and parent.recommendation_id != rec.id:
        raise NotFound("comment")
    if paragraph is not None and not 1 <= paragraph <= len(view.paragraphs):
        raise NotFound("paragraph")
    threads = (
        comments.list_threads(
            session,
            rec,
            viewer(),
            paragraph=paragraph,
            revision_id=view.revision.id if view.revision else None,
            size=50,
        )
        if paragraph is not None
        else None
    )
    return {
        "assembly": assembly,
        "rec": rec,
        "view": view,
        "paragraph": paragraph,
        "parent": parent,
        "threads": threads,
    }


@bp.get("/assemblies/<slug>/recommendations/<int:number>/comment")
def new_comment(slug: str, number: int) -> str:
    return render_template(
        "consultation/comment_form.html", errors={}, form={}, **_comment_form_context(slug, number)
    )


@bp.post("/assemblies/<slug>/recommendations/<int:number>/comments")
@login_required
@form_page("consultation/comment_form.html", context=_comment_form_context)
def create_comment(slug: str, number: int) -> Response:
    _assembly, rec = _recommendation(slug, number)
    comment = comments.create_comment(
        get_session(),
        current_account(),
        rec,
        request.form.get("text", ""),
        now(),
        paragraph=parse_int(request.form.get("paragraph"), minimum=1, maximum=10_000),
        parent_id=parse_int(request.form.get("parent_id"), minimum=1),
    )
    if comment.status == CommentStatus.PENDING:
        flash(_("Tak. Din kommentar vises, når en moderator har godkendt den."), "success")
    else:
        flash(_("Tak. Din kommentar er offentliggjort."), "success")
    anchor = f"comment-{comment.id}"
    return redirect(url_for("public.show_recommendation", slug=slug, number=number, _anchor=anchor))


@bp.get("/assemblies/<slug>/recommendations/<int:number>/comments")
def list_comments(slug: str, number: int) -> Response:
    """The comment list alone (htmx swaps it when the order or page changes)."""
    assembly, rec = _recommendation(slug, number)
    view = pages.recommendation_input(
        get_session(),
        rec,
        viewer(),
        now(),
        order=list_order(),
        page=parse_int(request.args.get("page"), minimum=1, maximum=100_000) or 1,
        size=current_app.config["PAGE_SIZE"],
    )
    return page_or_partial(
        "consultation/comments_page.html",
        "consultation/_comment_list.html",
        assembly=assembly,
        rec=rec,
        input=view,
    )


@bp.get("/assemblies/<slug>/recommendations/<int:number>/versions/<int:revision_id>")
def show_version(slug: str, number: int, revision_id: int) -> str:
    """An earlier public version, with numbered paragraphs that old comments point to."""
    assembly, rec = _recommendation(slug, number)
    revision = pages.get_public_revision(rec, revision_id)
    return render_template(
        "consultation/version.html",
        assembly=assembly,
        rec=rec,
        revision=revision,
        paragraphs=split_paragraphs(revision.text),
    )


# --- editing ------------------------------------------------------------------------------------


def _own_comment(comment_id: int) -> Comment:
    comment = comments.get_comment(get_session(), comment_id)
    if comment.author_id != current_account().id:
        raise NotFound("comment")
    return comment


def _edit_context(comment_id: int, **_kwargs: Any) -> dict[str, Any]:
    comment = _own_comment(comment_id)
    return {
        "comment": comment,
        "history": comments.edit_history(get_session(), comment),
        "can_edit": comments.can_edit(
            comment, current_account(), comment.recommendation.assembly, now()
        ),
    }


@bp.get("/comments/<int:comment_id>/edit")
@login_required
def edit_comment(comment_id: int) -> str:
    context = _edit_context(comment_id)
    return render_template(
        "consultation/comment_edit.html",
        errors={},
        form={"text": context["comment"].text},
        **context,
    )


@bp.post("/comments/<int:comment_id>/edit")
@login_required
@form_page("consultation/comment_edit.html", context=_edit_context)
def update_comment(comment_id: int) -> Response:
    comment = _own_comment(comment_id)
    comments.edit_comment(
        get_session(), current_account(), comment, request.form.get("text", ""), now()
    )
    flash(_("Din kommentar er rettet."), "success")
    rec = comment.recommendation
    return redirect(
        url_for(
            "public.show_recommendation",
            slug=rec.assembly.slug,
            number=rec.number,
            _anchor=f"comment-{comment.id}",
        )
    )


# --- reports and appeals (comments and responses alike) -----------------------------------------


def _item(kind: str, item_id: int) -> Comment | ConsultationResponse:
    session = get_session()
    item: Comment | ConsultationResponse | None = (
        session.get(Comment, item_id)
        if kind == "comments"
        else session.get(ConsultationResponse, item_id)
    )
    if item is None or (item.status == CommentStatus.PENDING and not _may_see_pending(item)):
        raise NotFound(kind)
    return item


def _may_see_pending(item: Comment | ConsultationResponse) -> bool:
    user = viewer()
    return user is not None and (user.id == item.author_id or user.has_role(Role.SECRETARIAT))


def _back_to(item: Comment | ConsultationResponse) -> str:
    session = get_session()
    assembly = moderation.assembly_of(session, item)
    rec = item.recommendation
    if rec is None:
        return url_for("public.show_assembly", slug=assembly.slug, _anchor=f"response-{item.id}")
    prefix = "comment" if isinstance(item, Comment) else "response"
    return url_for(
        "public.show_recommendation",
        slug=assembly.slug,
        number=rec.number,
        _anchor=f"{prefix}-{item.id}",
    )


def _item_context(kind: str, item_id: int, **_kwargs: Any) -> dict[str, Any]:
    item = _item(kind, item_id)
    return {"item": item, "kind": kind, "back": _back_to(item)}


@bp.get("/<any(comments, responses):kind>/<int:item_id>/report")
@login_required
def new_report(kind: str, item_id: int) -> str:
    return render_template(
        "consultation/report.html", errors={}, form={}, **_item_context(kind, item_id)
    )


@bp.post("/<any(comments, responses):kind>/<int:item_id>/report")
@login_required
@form_page("consultation/report.html", context=_item_context)
def create_report(kind: str, item_id: int) -> Response:
    item = _item(kind, item_id)
    moderation.report(get_session(), current_account(), item, request.form.get("reason", ""), now())
    flash(_("Tak. Moderatorerne ser på det."), "success")
    return redirect(_back_to(item))


def _appeal_context(kind: str, item_id: int, **_kwargs: Any) -> dict[str, Any]:
    item = _item(kind, item_id)
    if item.author_id != current_account().id:
        raise NotFound(kind)
    return {"item": item, "kind": kind, "back": _back_to(item)}


@bp.get("/<any(comments, responses):kind>/<int:item_id>/appeal")
@login_required
def new_appeal(kind: str, item_id: int) -> str:
    return render_template(
        "consultation/appeal.html", errors={}, form={}, **_appeal_context(kind, item_id)
    )


@bp.post("/<any(comments, responses):kind>/<int:item_id>/appeal")
@login_required
@form_page("consultation/appeal.html", context=_appeal_context)
def create_appeal(kind: str, item_id: int) -> Response:
    item = _appeal_context(kind, item_id)["item"]
    moderation.appeal(get_session(), current_account(), item, request.form.get("appeal", ""), now())
    flash(_("Din klage er sendt til moderatorerne."), "success")
    return redirect(url_for("ledger.show_my_input"))


@bp.get("/mine/comments")
@login_required
def list_my_comments() -> Response:
    """The old address of one's own comments: they are on "Mit input" now, with their state."""
    return redirect(url_for("ledger.show_my_input"), 301)


# --- organisations' responses -------------------------------------------------------------------


def _response_context(slug: str, **_kwargs: Any) -> dict[str, Any]:
    session = get_session()
    assembly = public_domain.get_assembly(session, slug)
    recs = [
        r
        for r in public_domain.public_recommendations(assembly)
        if r.status == RecommendationStatus.DRAFT
    ]
    return {
        "assembly": assembly,
        "recommendations": recs,
        "organisations": responses.organisations_for(session, current_account()),
        "positions": list(ResponsePosition),
        "window": window(assembly, Feature.COMMITTEE_INPUT, today()),
        "max_mb": current_app.config["RESPONSE_PDF_MAX_BYTES"] / 1_000_000,
    }


@bp.get("/assemblies/<slug>/responses/new")
@login_required
def new_response(slug: str) -> str:
    context = _response_context(slug)
    if not context["organisations"]:
        raise NotFound("organisation")
    form = {"recommendation": request.args.get("recommendation", "")}
    return render_template("consultation/response_form.html", errors={}, form=form, **context)


@bp.post("/assemblies/<slug>/responses")
@login_required
@form_page("consultation/response_form.html", context=_response_context)
def create_response(slug: str) -> Response:
    session = get_session()
    assembly = public_domain.get_assembly(session, slug)
    number = parse_int(request.form.get("recommendation"), minimum=1, maximum=100_000)
    rec = (
        public_domain.get_recommendation(session, assembly, number).recommendation
        if number
        else None
    )
    upload = request.files.get("file")
    response = responses.file_response(
        session,
        current_account(),
        assembly,
        rec,
        responses.ResponseForm(
            organisation_id=parse_int(request.form.get("organisation_id"), minimum=1),
            title=request.form.get("title", ""),
            position=request.form.get("position", ""),
            text=request.form.get("text", ""),
        ),
        responses.Upload(upload.stream, upload.filename or "")
        if upload and upload.filename
        else None,
        responses.UploadSettings(
            current_app.config["UPLOAD_DIR"], current_app.config["RESPONSE_PDF_MAX_BYTES"]
        ),
        now(),
    )
    flash(_("Høringssvaret er modtaget."), "success")
    return redirect(_back_to(response))


def _own_response(response_id: int) -> ConsultationResponse:
    response = responses.get_response(get_session(), response_id)
    if response.author_id != current_account().id:
        raise NotFound("response")
    return response


def _response_edit_context(response_id: int, **_kwargs: Any) -> dict[str, Any]:
    session = get_session()
    response = _own_response(response_id)
    assembly = moderation.assembly_of(session, response)
    return {
        "item": response,
        "assembly": assembly,
        "positions": list(ResponsePosition),
        "history": responses.response_history(session, response),
        "can_edit": responses.can_edit_response(response, current_account(), assembly, today()),
        "back": _back_to(response),
    }


@bp.get("/responses/<int:response_id>/edit")
@login_required
def edit_response(response_id: int) -> str:
    context = _response_edit_context(response_id)
    item = context["item"]
    form = {"title": item.title, "position": item.position.value, "text": item.text}
    return render_template("consultation/response_edit.html", errors={}, form=form, **context)


@bp.post("/responses/<int:response_id>/edit")
@login_required
@form_page("consultation/response_edit.html", context=_response_edit_context)
def update_response(response_id: int) -> Response:
    response = _own_response(response_id)
    responses.edit_response(
        get_session(),
        current_account(),
        response,
        responses.ResponseForm(
            organisation_id=response.organisation_id,
            title=request.form.get("title", ""),
            position=request.form.get("position", ""),
            text=request.form.get("text", ""),
        ),
        now(),
    )
    flash(_("Høringssvaret er rettet."), "success")
    return redirect(_back_to(response))


@bp.get("/responses/<int:response_id>/attachment")
def download_attachment(response_id: int) -> Response:
    path, name = responses.attachment_file(
        get_session(), response_id, current_app.config["UPLOAD_DIR"], viewer()
    )
    sent = send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=name, conditional=True
    )
    sent.headers["X-Content-Type-Options"] = "nosniff"
    return sent


@bp.get("/organisations/<int:organisation_id>")
@cached_page
def show_organisation(organisation_id: int) -> str:
    return render_template(
        "consultation/organisation.html",
        page=responses.organisation_page(get_session(), organisation_id),
    )


# --- moderation (the secretariat) ---------------------------------------------------------------


@bp.get("/secretariat/moderation")
@role_required(Role.SECRETARIAT)
def show_queue() -> str:
    return render_template(
        "consultation/queue.html", queue=moderation.moderation_queue(get_session())
    )


def _moderate_context(kind: str, item_id: int, **_kwargs: Any) -> dict[str, Any]:
    item = _item(kind, item_id)
    return {"item": item, "kind": kind, "reasons": list(ModerationReason), "back": _back_to(item)}


@bp.get("/secretariat/moderation/<any(comments, responses):kind>/<int:item_id>")
@role_required(Role.SECRETARIAT)
def show_item(kind: str, item_id: int) -> str:
    return render_template(
        "consultation/moderate.html", errors={}, form={}, **_moderate_context(kind, item_id)
    )


ACTIONS = ("hide", "restore", "approve", "keep", "reject-appeal")


@bp.post("/secretariat/moderation/<any(comments, responses):kind>/<int:item_id>/<action>")
@role_required(Role.SECRETARIAT)
@form_page("consultation/moderate.html", context=_moderate_context)
def moderate(kind: str, item_id: int, action: str) -> Response:
    session, actor, at = get_session(), current_account(), now()
    item = _item(kind, item_id)
    note = request.form.get("note", "")
    if action == "hide":
        moderation.hide(session, actor, item, request.form.get("reason", ""), note, at)
    elif action == "restore":
        moderation.restore(session, actor, item, note, at)
    elif action == "approve":
        moderation.approve(session, actor, item, at)
    elif action == "keep":
        moderation.keep(session, actor, item, at)
    elif action == "reject-appeal":
        moderation.reject_appeal(session, actor, item, note, at)
    else:
        raise NotFound(action)
    flash(_("Det er registreret."), "success")
    return redirect(url_for("consultation.show_queue"))


@bp.post("/secretariat/assemblies/<slug>/premoderation")
@role_required(Role.SECRETARIAT)
def set_premoderation(slug: str) -> Response:
    session = get_session()
    assembly = get_any_assembly(session, slug)
    enabled = request.form.get("premoderation") == "on"
    moderation.set_premoderation(session, current_account(), assembly, enabled, now())
    flash(
        _("Nye indlæg skal nu godkendes af en moderator.")
        if enabled
        else _("Nye indlæg vises nu med det samme."),
        "success",
    )
    return redirect(url_for("office.show_assembly", slug=slug))
