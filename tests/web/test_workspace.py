"""The members' workspace: forum, co-editing without lost updates, diffs, support, minority, publishing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import publishing, recommendations, workspace
from portal.demo import DEMO_PASSWORD
from portal.diffing import merge3, word_diff
from portal.errors import Conflict, Forbidden, PhaseClosed
from portal.models import Assembly, Post, Recommendation, RecommendationRevision, Thread, User

from ..conftest import NOW, make_test_app

SLUG = "groent-byliv-indre-oesterbro"
WS = f"/assemblies/{SLUG}/workspace"
REC = f"{WS}/recommendations/1"
HX = {"HX-Request": "true"}


def login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def data(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction without an app context (each request gets its own)."""
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


@pytest.fixture
def mette(app: Flask) -> FlaskClient:
    return login(app, "member@example.org")


@pytest.fixture
def mads(app: Flask) -> FlaskClient:
    return login(app, "member2@example.org")


@pytest.fixture
def facilitator(app: Flask) -> FlaskClient:
    return login(app, "secretariat@example.org")


def user(data: Session, email: str) -> User:
    found = data.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def head_id(data: Session) -> int:
    rec = data.scalar(
        select(Recommendation).where(Recommendation.title == "Lommeparker i sidegaderne")
    )
    assert rec is not None
    data.expire_all()
    return max(r.id for r in rec.revisions)


def first_thread(data: Session) -> Thread:
    thread = data.scalars(select(Thread).order_by(Thread.id)).first()
    assert thread is not None
    return thread


# --- diffing -------------------------------------------------------------------------------


def test_word_diff_marks_words_and_keeps_the_text() -> None:
    segments = word_diff("Træer og bænke i gaden.", "Træer, bænke og leg i gaden.")
    assert "".join(t for op, t in segments if op != "delete") == "Træer, bænke og leg i gaden."
    assert "".join(t for op, t in segments if op != "insert") == "Træer og bænke i gaden."
    assert ("insert", " og leg") in segments or any(op == "insert" for op, _ in segments)


def test_merge3_joins_separate_edits_and_refuses_overlapping_ones() -> None:
    base = "Gader lukkes for biler. Der plantes træer."
    ours = "Udvalgte gader lukkes for biler. Der plantes træer."
    theirs = "Gader lukkes for biler. Der plantes mange træer."
    assert merge3(base, ours, theirs) == "Udvalgte gader lukkes for biler. Der plantes mange træer."
    assert merge3(base, "Gader lukkes helt.", "Gader lukkes delvist.") is None
    assert merge3(base, ours, ours) == ours


# --- forum ---------------------------------------------------------------------------------


def test_member_starts_a_thread_and_replies_with_and_without_htmx(mette: FlaskClient) -> None:
    response = mette.post(f"{WS}/forum", data={"title": "Cykelstier", "text": "Hvad med *cykler*?"})
    assert response.status_code == 302
    thread_url = response.headers["Location"]
    page = mette.get(thread_url).get_data(as_text=True)
    assert "<h1>Cykelstier</h1>" in page and "<em>cykler</em>" in page

    plain = mette.post(f"{thread_url}/posts", data={"text": "Svar uden JavaScript"})
    assert plain.status_code == 303 and "#post-" in plain.headers["Location"]

    partial = mette.post(f"{thread_url}/posts", data={"text": "Svar med htmx"}, headers=HX)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200 and html.lstrip().startswith('<div id="thread-posts">')
    assert "Svar uden JavaScript" in html and "Svar med htmx" in html and "<html" not in html


def test_posts_are_sanitised(mette: FlaskClient) -> None:
    response = mette.post(
        f"{WS}/forum", data={"title": "x", "text": "<script>alert(1)</script> [a](javascript:x)"}
    )
    html = mette.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="javascript' not in html


def test_empty_reply_shows_the_form_again(mette: FlaskClient, data: Session) -> None:
    thread = first_thread(data)
    response = mette.post(f"{WS}/forum/{thread.id}/posts", data={"text": "  "})
    assert response.status_code == 422 and "Skriv en tekst." in response.get_data(as_text=True)


def test_author_edits_within_grace_period_only(
    app: Flask, mette: FlaskClient, data: Session
) -> None:
    thread = first_thread(data)
    mette.post(f"{WS}/forum/{thread.id}/posts", data={"text": "Førstee udgave"})
    data.expire_all()
    post = data.scalars(thread.posts.select().order_by(Post.id)).all()[-1]
    form = mette.get(f"{WS}/posts/{post.id}/edit", headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith(f'<article id="post-{post.id}"') and "<textarea" in form
    page = mette.get(f"{WS}/posts/{post.id}/edit").get_data(as_text=True)
    assert "<html" in page and "Ret indlæg" in page
    response = mette.post(f"{WS}/posts/{post.id}", data={"text": "Første udgave"}, headers=HX)
    assert "Første udgave" in response.get_data(as_text=True) and "redigeret" in response.get_data(
        as_text=True
    )

    ws = workspace.get_workspace(data, SLUG, user(data, "member@example.org"))
    data.refresh(post)
    assert workspace.can_edit_post(ws, post, NOW + timedelta(minutes=10))
    assert not workspace.can_edit_post(ws, post, NOW + timedelta(minutes=30))
    with pytest.raises(PhaseClosed):
        workspace.update_post(data, ws, post, "for sent", NOW + timedelta(minutes=30))


def test_others_cannot_edit_a_post(mads: FlaskClient, mette: FlaskClient, data: Session) -> None:
    thread = first_thread(data)
    mette.post(f"{WS}/forum/{thread.id}/posts", data={"text": "Mettes indlæg"})
    data.expire_all()
    post_id = max(p.id for p in data.scalars(thread.posts.select()).all())
    assert mads.post(f"{WS}/posts/{post_id}", data={"text": "hijack"}).status_code == 403


def test_facilitator_pins_and_closes_members_cannot(
    facilitator: FlaskClient, mette: FlaskClient, data: Session
) -> None:
    thread = first_thread(data)
    state = f"{WS}/forum/{thread.id}/state"
    assert mette.post(state, data={"pinned": "1", "closed": "1"}).status_code == 403
    assert facilitator.post(state, data={"pinned": "1", "closed": "1"}).status_code == 302
    response = mette.post(f"{WS}/forum/{thread.id}/posts", data={"text": "for sent"})
    assert response.status_code == 409
    assert "lukket" in mette.get(f"{WS}/forum/{thread.id}").get_data(as_text=True)


def test_forum_list_page_and_partial(mette: FlaskClient) -> None:
    page = mette.get(f"{WS}/forum").get_data(as_text=True)
    assert "Velkommen til arbejdsrummet" in page and "<html" in page
    partial = mette.get(f"{WS}/forum", headers=HX)
    html = partial.get_data(as_text=True)
    assert (
        html.lstrip().startswith('<div id="thread-list">')
        and "HX-Request" in partial.headers["Vary"]
    )


def test_facilitator_forms_groups(
    facilitator: FlaskClient, mette: FlaskClient, data: Session
) -> None:
    members = mette.get(f"{WS}/groups")
    assert members.status_code == 200 and "Gruppe A" in members.get_data(as_text=True)
    assert mette.post(f"{WS}/groups", data={"name": "B"}).status_code == 403
    bad = facilitator.post(f"{WS}/groups", data={"name": "Gruppe B"})
    assert bad.status_code == 422 and "Vælg mindst ét medlem" in bad.get_data(as_text=True)
    ids = re.findall(
        r'name="member_ids" value="(\d+)"', facilitator.get(f"{WS}/groups").get_data(as_text=True)
    )
    ok = facilitator.post(f"{WS}/groups", data={"name": "Gruppe B", "member_ids": ids[:4]})
    assert ok.status_code == 302
    assert "Gruppe B" in facilitator.get(f"{WS}/groups").get_data(as_text=True)


# --- co-editing ----------------------------------------------------------------------------


def edit(client: FlaskClient, base: int, text: str, **extra: str) -> Any:
    data = {"base_revision_id": str(base), "title": "Lommeparker i sidegaderne", "text": text}
    return client.post(f"{REC}/revisions", data={**data, **extra})


BASE_TEXT = (
    "Udvalgte sidegader lukkes for biler i den ene ende og bliver til små lommeparker "
    "med træer, bænke og plads til leg."
)


def test_a_save_creates_an_immutable_revision(mette: FlaskClient, data: Session) -> None:
    base = head_id(data)
    response = edit(mette, base, BASE_TEXT + " Beboerne inddrages.", message="Inddragelse")
    assert response.status_code == 302
    new = head_id(data)
    revision = data.get(RecommendationRevision, new)
    assert revision is not None and revision.parent_id == base and revision.message == "Inddragelse"
    # the public still reads the published draft (Udkast 1), not the working text
    public = mette.get(f"/assemblies/{SLUG}/recommendations/1").get_data(as_text=True)
    assert "Beboerne inddrages" not in public


def test_no_lost_update_two_members_same_revision(
    mette: FlaskClient, mads: FlaskClient, data: Session
) -> None:
    base = head_id(data)
    mette_text = BASE_TEXT.replace("med træer", "med mange træer")
    mads_text = BASE_TEXT + " Beboerne i gaden spørges først."
    assert edit(mette, base, mette_text).status_code == 302
    conflict = edit(mads, base, mads_text)
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "En anden har gemt imens" in html
    assert "mange træer" in html and "Beboerne i gaden spørges først" in html  # both versions shown
    assert "<ins>" in html  # the differences are marked
    latest = head_id(data)
    assert f'name="base_revision_id" value="{latest}"' in html
    # the suggestion merges both edits; saving it on the latest revision keeps both
    merged = re.search(r'<textarea id="text" name="text"[^>]*>([^<]*)</textarea>', html)
    assert merged and "mange træer" in merged.group(1) and "spørges først" in merged.group(1)
    assert edit(mads, latest, merged.group(1).replace("&#39;", "'")).status_code == 302
    final = data.get(RecommendationRevision, head_id(data))
    assert final is not None and "mange træer" in final.text and "spørges først" in final.text
    # the stale save never became a revision of its own
    texts = [r.text for r in data.scalars(select(RecommendationRevision)).all()]
    assert mads_text not in texts


def test_a_stale_save_can_be_kept_as_a_proposal(
    mette: FlaskClient, mads: FlaskClient, data: Session
) -> None:
    base = head_id(data)
    edit(mette, base, BASE_TEXT + " A.")
    response = mads.post(
        f"{REC}/proposals",
        data={
            "base_revision_id": str(base),
            "title": "Lommeparker",
            "text": "Mads forslag",
            "message": "alt.",
        },
    )
    assert response.status_code == 302
    page = mette.get(REC).get_data(as_text=True)
    assert "Mads forslag" in page and "Mads Medlem" in page


def test_the_database_refuses_a_second_child_of_one_revision(app: Flask, data: Session) -> None:
    """The race between check and insert ends in Conflict too, never in a lost update."""
    with app.test_request_context():
        session = app.extensions["sessionmaker"]()
        ws = workspace.get_workspace(session, SLUG, user(session, "member@example.org"))
        rec = recommendations.get_recommendation(session, ws, 1)
        head = recommendations.latest(rec)
        # another request saves meanwhile (this session's rec.revisions is already loaded, stale)
        other = app.extensions["sessionmaker"]()
        other.add(
            RecommendationRevision(
                recommendation_id=rec.id, parent_id=head.id, title="t", text="other", created_at=NOW
            )
        )
        other.commit()
        draft = recommendations.Draft("Lommeparker", "mine")
        with pytest.raises(Conflict):
            recommendations.save_revision(session, ws, rec, head.id, draft, NOW)


def test_diff_between_any_two_revisions_escapes_text(mette: FlaskClient, data: Session) -> None:
    base = head_id(data)
    edit(mette, base, BASE_TEXT + " <b>fed</b>")
    new = head_id(data)
    html = mette.get(f"{REC}/diff?from={base}&to={new}").get_data(as_text=True)
    assert "&lt;b&gt;fed&lt;/b&gt;</ins>" in html and "<b>fed" not in html
    history = mette.get(f"{REC}/history").get_data(as_text=True)
    assert "Udkast 1" in history and str(new) in history
    assert mette.get(f"{REC}/diff?from={base}&to=999999").status_code == 404


def test_live_diff_preview_page_and_partial(mette: FlaskClient, data: Session) -> None:
    data = {
        "base_revision_id": str(head_id(data)),
        "title": "Lommeparker i sidegaderne",
        "text": "Helt ny tekst",
    }
    partial = mette.post(f"{REC}/preview", data=data, headers=HX).get_data(as_text=True)
    assert (
        partial.lstrip().startswith('<div id="diff-preview"')
        and "<ins>Helt ny tekst</ins>" in partial
    )
    page = mette.post(f"{REC}/preview", data=data).get_data(as_text=True)
    assert "<html" in page and "Helt ny tekst</textarea>" in page  # what was typed is kept


def test_member_creates_a_recommendation(mette: FlaskClient) -> None:
    bad = mette.post(f"{WS}/recommendations", data={"title": "", "text": ""})
    assert bad.status_code == 422 and "Giv anbefalingen en overskrift." in bad.get_data(
        as_text=True
    )
    response = mette.post(f"{WS}/recommendations", data={"title": "Bænke", "text": "Flere bænke."})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/recommendations/4"
    )


# --- support, minority, publishing ---------------------------------------------------------


def test_support_buttons_with_and_without_htmx(
    mette: FlaskClient, facilitator: FlaskClient
) -> None:
    plain = mette.post(f"{REC}/support", data={"level": "cannot_support"})
    assert plain.status_code == 303
    partial = mette.post(f"{REC}/support", data={"level": "support"}, headers=HX)
    html = partial.get_data(as_text=True)
    assert (
        html.lstrip().startswith('<section id="support-panel"')
        and 'aria-pressed="true">Støtter' in html
    )
    assert facilitator.post(f"{REC}/support", data={"level": "support"}).status_code == 403


def test_final_round_freezes_counts_with_the_final_text(
    mette: FlaskClient, facilitator: FlaskClient, data: Session
) -> None:
    mette.post(f"{REC}/support", data={"level": "support"})
    assert mette.post(f"{REC}/final").status_code == 403
    assert facilitator.post(f"{REC}/final").status_code == 302
    rec = data.scalar(
        select(Recommendation).where(Recommendation.title == "Lommeparker i sidegaderne")
    )
    assert rec is not None
    data.refresh(rec)
    frozen = (rec.support_count, rec.can_live_with_count, rec.cannot_support_count)
    assert rec.status == "final" and sum(c or 0 for c in frozen) == 24
    assert rec.text.endswith("plads til leg.")  # the latest revision became the public text
    assert rec.revisions[-1].public_label == "Endelig"
    assert mette.post(f"{REC}/support", data={"level": "cannot_support"}).status_code == 409
    assert edit(mette, rec.revisions[-1].id, "nyt").status_code == 409
    data.refresh(rec)
    assert (rec.support_count, rec.can_live_with_count, rec.cannot_support_count) == frozen
    public = mette.get(f"/assemblies/{SLUG}/recommendations/1").get_data(as_text=True)
    assert "endelig optælling" in public and "plads til leg" in public


def test_minority_statement_cosigned_and_published_with_the_draft(
    mette: FlaskClient, mads: FlaskClient, facilitator: FlaskClient, data: Session
) -> None:
    created = mette.post(
        f"{WS}/recommendations/2/minority",
        data={"minority_text": "Vi ønsker færre træer."},
        headers=HX,
    )
    html = created.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="minority-panel"') and "1 medlem står bag" in html
    statement_id = re.search(r"/minority/(\d+)", html)
    assert statement_id
    mads.post(f"{WS}/recommendations/2/minority/{statement_id.group(1)}", data={"sign": "1"})
    public = f"/assemblies/{SLUG}/recommendations/2"
    assert "Vi ønsker færre træer." not in mette.get(public).get_data(as_text=True)
    edit_response = mette.post(
        f"{WS}/recommendations/2/revisions",
        data={
            "base_revision_id": str(_head_of(data, 2)),
            "title": "Flere træer langs de store gader",
            "text": "Der plantes mange træer.",
        },
    )
    assert edit_response.status_code == 302
    assert mette.post(f"{WS}/recommendations/2/publish").status_code == 403
    assert facilitator.post(f"{WS}/recommendations/2/publish").status_code == 302
    page = mette.get(public).get_data(as_text=True)
    assert "Vi ønsker færre træer." in page and "2 medlemmer står bag" in page
    assert "Udkast 2" in page and "Der plantes mange træer." in page
    again = facilitator.post(f"{WS}/recommendations/2/publish")
    assert again.status_code == 422  # a published version is never published twice


def _head_of(data: Session, number: int) -> int:
    data.expire_all()
    rec = data.scalars(
        select(Recommendation)
        .join(Assembly)
        .where(Recommendation.number == number, Assembly.slug == SLUG)
        .order_by(Recommendation.id.desc())
    ).first()
    assert rec is not None
    return max(r.id for r in rec.revisions)


def test_last_signer_cannot_withdraw(app: Flask) -> None:
    with app.test_request_context():
        session = app.extensions["sessionmaker"]()
        ws = workspace.get_workspace(session, SLUG, user(session, "member@example.org"))
        rec = recommendations.get_recommendation(session, ws, 3)
        statement = publishing.create_minority_statement(session, ws, rec, "Nej tak.", NOW)
        with pytest.raises(Exception, match="mindst én"):
            publishing.sign_statement(session, ws, statement, False, NOW)


def test_commands_check_phase_and_role(app: Flask) -> None:
    later = NOW + timedelta(days=400)  # the assembly is in its follow-up phase by then
    with app.test_request_context():
        session = app.extensions["sessionmaker"]()
        ws = workspace.get_workspace(session, SLUG, user(session, "member@example.org"))
        with pytest.raises(PhaseClosed):
            workspace.create_thread(session, ws, "t", "x", None, later)
        rec = recommendations.get_recommendation(session, ws, 1)
        with pytest.raises(PhaseClosed):
            recommendations.set_support(session, ws, rec, "support", later)
        with pytest.raises(Forbidden):
            publishing.publish_draft(session, ws, rec, NOW)


def test_csrf_is_required(engine: Any) -> None:
    app, close = make_test_app(engine, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        client.post(
            "/login",
            data={
                "email": "member@example.org",
                "password": DEMO_PASSWORD,
                "csrf_token": token.group(1),
            },
        )
        assert client.post(f"{REC}/support", data={"level": "support"}).status_code == 400
        html = client.get(REC).get_data(as_text=True)
        assert html.count('name="csrf_token"') >= 3
    finally:
        close()


def mettes_post(mette: FlaskClient, data: Session) -> int:
    """Mette writes in the first thread; the new post's id."""
    thread = first_thread(data)
    mette.post(f"{WS}/forum/{thread.id}/posts", data={"text": "Mettes indlæg"})
    data.expire_all()
    return max(p.id for p in data.scalars(thread.posts.select()).all())


def test_others_cannot_open_the_edit_form_of_a_post(
    mads: FlaskClient, mette: FlaskClient, data: Session
) -> None:
    post_id = mettes_post(mette, data)
    assert mads.get(f"{WS}/posts/{post_id}/edit").status_code == 403
    form = mette.get(f"{WS}/posts/{post_id}/edit")
    assert form.status_code == 200 and "Mettes indlæg" in form.get_data(as_text=True)


def test_the_edit_form_of_an_old_post_says_it_can_no_longer_be_changed(
    mette: FlaskClient, data: Session
) -> None:
    post_id = mettes_post(mette, data)
    mette.application.config["NOW"] = NOW + timedelta(hours=1)
    response = mette.get(f"{WS}/posts/{post_id}/edit", follow_redirects=True)
    assert "kan ikke længere rettes" in response.get_data(as_text=True)
