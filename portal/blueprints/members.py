"""The members' workspace of one assembly: forum, groups, co-editing, support, publishing.

Every route needs a login; portal.workspace.get_workspace lets in only the assembly's members
and its facilitators. Pages work as plain forms; htmx gets the same partials.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response as BaseResponse

from .. import publishing, recommendations, workspace
from ..auth import current_account
from ..db import get_session, reads_only
from ..errors import conflict_page, form_page
from ..htmx import page_or_partial, partial_or_redirect
from ..numbers import parse_int, parse_ints
from ..phases import Feature
from ..recommendations import Draft
from ..views import now

bp = Blueprint("members", __name__, url_prefix="/assemblies/<slug>/workspace")


@bp.before_request
@login_required
def _require_login() -> None:
    """Anonymous visitors get the login page for every workspace URL."""


def _ws(slug: str) -> workspace.Workspace:
    return workspace.get_workspace(get_session(), slug, current_account())


def _int(name: str, source: Any = None) -> int | None:
    return parse_int((source or request.values).get(name, ""))


def _draft() -> Draft:
    f = request.form
    return Draft(
        f.get("title", ""), f.get("text", ""), f.get("rationale", ""), f.get("message", "")
    )


# --- overview and forum --------------------------------------------------------------------


@bp.get("")
def show_workspace(slug: str) -> str:
    session, ws = get_session(), _ws(slug)
    groups = workspace.list_groups(session, ws)
    return render_template(
        "workspace/index.html",
        ws=ws,
        recs=recommendations.list_recommendations(session, ws),
        threads=workspace.list_threads(session, ws, 1, 5),
        my_groups=workspace.my_groups(groups, ws),
        can_edit=ws.allows(Feature.EDIT_RECOMMENDATIONS, now()),
    )


def _forum_context(slug: str) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    return {
        "ws": ws,
        "page": workspace.list_threads(session, ws, _int("page") or 1),
        "groups": workspace.list_groups(session, ws),
        "forum_open": ws.allows(Feature.FORUM, now()),
    }


@bp.get("/forum")
def list_threads(slug: str) -> Response:
    return page_or_partial(
        "workspace/forum.html",
        "workspace/_thread_list.html",
        errors={},
        form={},
        **_forum_context(slug),
    )


@bp.post("/forum")
@form_page("workspace/forum.html", context=_forum_context)
def create_thread(slug: str) -> BaseResponse:
    ws = _ws(slug)
    f = request.form
    thread = workspace.create_thread(
        get_session(), ws, f.get("title", ""), f.get("text", ""), _int("group_id", f), now()
    )
    return redirect(url_for(".show_thread", slug=slug, thread_id=thread.id))


def _thread_context(slug: str, thread_id: int) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    thread = workspace.get_thread(session, ws, thread_id)
    return {
        "ws": ws,
        "thread": thread,
        "posts": workspace.list_posts(session, thread, _int("page", request.args)),
        "can_edit_post": lambda post: workspace.can_edit_post(ws, post, now()),
        "forum_open": ws.allows(Feature.FORUM, now()),
    }


@bp.get("/forum/<int:thread_id>")
def show_thread(slug: str, thread_id: int) -> Response:
    return page_or_partial(
        "workspace/thread.html",
        "workspace/_thread_posts.html",
        errors={},
        form={},
        **_thread_context(slug, thread_id),
    )


@bp.post("/forum/<int:thread_id>/posts")
@form_page("workspace/thread.html", context=_thread_context)
def create_post(slug: str, thread_id: int) -> Response:
    session, ws = get_session(), _ws(slug)
    thread = workspace.get_thread(session, ws, thread_id)
    post = workspace.create_post(session, ws, thread, request.form.get("text", ""), now())
    location = url_for(".show_thread", slug=slug, thread_id=thread_id) + f"#post-{post.id}"
    return partial_or_redirect(
        "workspace/_thread_posts.html",
        location,
        errors={},
        form={},
        **_thread_context(slug, thread_id),
    )


@bp.post("/forum/<int:thread_id>/state")
def update_thread(slug: str, thread_id: int) -> BaseResponse:
    session, ws = get_session(), _ws(slug)
    thread = workspace.get_thread(session, ws, thread_id)
    f = request.form
    workspace.set_thread_state(
        session, ws, thread, pinned=f.get("pinned") == "1", closed=f.get("closed") == "1"
    )
    return redirect(url_for(".show_thread", slug=slug, thread_id=thread_id))


def _post_context(slug: str, post_id: int) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    post = workspace.get_post(session, ws, post_id)
    return {
        "ws": ws,
        "post": post,
        "thread": post.thread,
        "can_edit_post": lambda p: workspace.can_edit_post(ws, p, now()),
    }


@bp.get("/posts/<int:post_id>")
def show_post(slug: str, post_id: int) -> Response:
    context = _post_context(slug, post_id)
    location = url_for(".show_thread", slug=slug, thread_id=context["thread"].id)
    return partial_or_redirect("workspace/_post.html", location, editing=False, **context)


@bp.get("/posts/<int:post_id>/edit")
def edit_post(slug: str, post_id: int) -> BaseResponse:
    context = _post_context(slug, post_id)
    post = context["post"]
    if post.author_id != context["ws"].actor.id:
        raise Forbidden()
    if not workspace.can_edit_post(context["ws"], post, now()):
        flash(_("Indlægget kan ikke længere rettes."), "error")
        return redirect(
            url_for(".show_thread", slug=slug, thread_id=post.thread_id) + f"#post-{post.id}"
        )
    return page_or_partial(
        "workspace/post_edit.html",
        "workspace/_post.html",
        editing=True,
        errors={},
        form={"text": post.text},
        **context,
    )


@bp.post("/posts/<int:post_id>")
@form_page(
    "workspace/post_edit.html",
    context=lambda slug, post_id: {**_post_context(slug, post_id), "editing": True},
)
def update_post(slug: str, post_id: int) -> Response:
    session, ws = get_session(), _ws(slug)
    post = workspace.get_post(session, ws, post_id)
    workspace.update_post(session, ws, post, request.form.get("text", ""), now())
    location = url_for(".show_thread", slug=slug, thread_id=post.thread_id) + f"#post-{post.id}"
    return partial_or_redirect(
        "workspace/_post.html", location, editing=False, **_post_context(slug, post_id)
    )


# --- working groups ------------------------------------------------------------------------


def _groups_context(slug: str) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    return {
        "ws": ws,
        "groups": workspace.list_groups(session, ws),
        "members": workspace.list_active_members(session, ws) if ws.is_facilitator else [],
    }


@bp.get("/groups")
def list_groups(slug: str) -> str:
    return render_template("workspace/groups.html", errors={}, form={}, **_groups_context(slug))


@bp.post("/groups")
@form_page("workspace/groups.html", context=_groups_context)
def create_group(slug: str) -> BaseResponse:
    f = request.form
    ids = parse_ints(f.getlist("member_ids"))
    workspace.create_group(
        get_session(), _ws(slug), f.get("name", ""), _int("meeting_id", f), ids, now()
    )
    flash(_("Gruppen er oprettet."), "success")
    return redirect(url_for(".list_groups", slug=slug))


# --- recommendations -----------------------------------------------------------------------


def _rec_url(slug: str, number: int) -> str:
    return url_for(".show_recommendation", slug=slug, number=number)


@bp.get("/recommendations/new")
def new_recommendation(slug: str) -> str:
    return render_template(
        "workspace/recommendation_form.html", ws=_ws(slug), rec=None, errors={}, form={}
    )


@bp.post("/recommendations")
@form_page(
    "workspace/recommendation_form.html", context=lambda slug: {"ws": _ws(slug), "rec": None}
)
def create_recommendation(slug: str) -> BaseResponse:
    rec = recommendations.create_recommendation(get_session(), _ws(slug), _draft(), now())
    flash(_("Anbefalingen er oprettet."), "success")
    return redirect(_rec_url(slug, rec.number))


def _rec_context(slug: str, number: int) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    return {
        "ws": ws,
        "rec": rec,
        "head": recommendations.latest(rec),
        "support": recommendations.get_support(session, ws, rec, now()),
        "signed_by": lambda statement: publishing.signed_by(statement, ws),
        "can_edit": ws.allows(Feature.EDIT_RECOMMENDATIONS, now()) and rec.status != "final",
    }


@bp.get("/recommendations/<int:number>")
def show_recommendation(slug: str, number: int) -> str:
    context = _rec_context(slug, number)
    proposals = recommendations.list_proposals(get_session(), context["rec"])
    return render_template(
        "workspace/recommendation.html", proposals=proposals, errors={}, form={}, **context
    )


def _edit_context(slug: str, number: int) -> dict[str, Any]:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    return {"ws": ws, "rec": rec, "head": recommendations.latest(rec), "preview": None}


@bp.get("/recommendations/<int:number>/edit")
def edit_recommendation(slug: str, number: int) -> str:
    context = _edit_context(slug, number)
    source: Any = context["head"]
    if proposal_id := _int("proposal", request.args):
        source = recommendations.get_proposal(get_session(), context["rec"], proposal_id)
    form = {
        "title": source.title,
        "text": source.text,
        "rationale": source.rationale,
        "base_revision_id": context["head"].id,
    }
    return render_template("workspace/recommendation_form.html", errors={}, form=form, **context)


@bp.post("/recommendations/<int:number>/preview")
@reads_only
def preview_diff(slug: str, number: int) -> Response:
    context = _edit_context(slug, number)
    base_id = _int("base_revision_id", request.form)
    base = next((r for r in context["rec"].revisions if r.id == base_id), context["head"])
    context["preview"] = recommendations.diff_fields(base, _draft())
    return page_or_partial(
        "workspace/recommendation_form.html",
        "workspace/_diff_preview.html",
        errors={},
        form=request.form.to_dict(),
        **context,
    )


@bp.post("/recommendations/<int:number>/revisions")
@conflict_page("workspace/merge.html")
@form_page("workspace/recommendation_form.html", context=_edit_context)
def create_revision(slug: str, number: int) -> BaseResponse:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    base_id = _int("base_revision_id", request.form)
    recommendations.save_revision(session, ws, rec, base_id, _draft(), now())
    flash(_("Din ændring er gemt som en ny version."), "success")
    return redirect(_rec_url(slug, number))


@bp.post("/recommendations/<int:number>/proposals")
@form_page("workspace/recommendation_form.html", context=_edit_context)
def create_proposal(slug: str, number: int) -> BaseResponse:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    base_id = _int("base_revision_id", request.form)
    recommendations.create_proposal(session, ws, rec, base_id, _draft(), now())
    flash(_("Din tekst er gemt som et forslag, som de andre kan se."), "success")
    return redirect(_rec_url(slug, number) + "#proposals")


@bp.get("/recommendations/<int:number>/history")
def list_revisions(slug: str, number: int) -> str:
    return render_template("workspace/history.html", **_edit_context(slug, number))


@bp.get("/recommendations/<int:number>/diff")
def show_diff(slug: str, number: int) -> str:
    context = _edit_context(slug, number)
    rec = context["rec"]
    old = recommendations.get_revision(rec, _int("from", request.args))
    new = recommendations.get_revision(rec, _int("to", request.args))
    return render_template(
        "workspace/diff.html",
        old=old,
        new=new,
        diffs=recommendations.diff_fields(old, new),
        **context,
    )


@bp.post("/recommendations/<int:number>/support")
def set_support(slug: str, number: int) -> Response:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    recommendations.set_support(session, ws, rec, request.form.get("level", ""), now())
    return partial_or_redirect(
        "workspace/_support_panel.html",
        _rec_url(slug, number) + "#support-panel",
        **_rec_context(slug, number),
    )


@bp.post("/recommendations/<int:number>/minority")
@form_page(
    "workspace/recommendation.html",
    context=lambda slug, number: {**_rec_context(slug, number), "proposals": []},
)
def create_minority_statement(slug: str, number: int) -> Response:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    publishing.create_minority_statement(
        session, ws, rec, request.form.get("minority_text", ""), now()
    )
    return partial_or_redirect(
        "workspace/_minority_panel.html",
        _rec_url(slug, number) + "#minority-panel",
        errors={},
        form={},
        **_rec_context(slug, number),
    )


@bp.post("/recommendations/<int:number>/minority/<int:statement_id>")
def sign_minority_statement(slug: str, number: int, statement_id: int) -> Response:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    statement = publishing.get_statement(rec, statement_id)
    publishing.sign_statement(session, ws, statement, request.form.get("sign") == "1", now())
    return partial_or_redirect(
        "workspace/_minority_panel.html",
        _rec_url(slug, number) + "#minority-panel",
        errors={},
        form={},
        **_rec_context(slug, number),
    )


@bp.post("/recommendations/<int:number>/publish")
def publish_draft(slug: str, number: int) -> BaseResponse:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    label = publishing.publish_draft(session, ws, rec, now())
    flash(_("Offentliggjort som %(label)s.", label=label), "success")
    return redirect(_rec_url(slug, number))


@bp.post("/recommendations/<int:number>/final")
def publish_final(slug: str, number: int) -> BaseResponse:
    session, ws = get_session(), _ws(slug)
    rec = recommendations.get_recommendation(session, ws, number)
    publishing.publish_final(session, ws, rec, now())
    flash(_("Anbefalingen er endelig, og opbakningen er talt op."), "success")
    return redirect(_rec_url(slug, number))
