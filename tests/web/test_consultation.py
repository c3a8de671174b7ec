"""The comment phase on the web: paragraph controls and counts, posting and its refusals, edits,
reports, organisations' responses with a PDF, moderation with public reasons, the organisation's
page and the house rules."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.consultation import comments, responses
from portal.demo import DEMO_PASSWORD
from portal.demo.files import tiny_pdf
from portal.models import Comment, CommentStatus, ConsultationResponse, ModerationEvent
from tests.conftest import NOW
from tests.consultation_helpers import (
    AFTER_ROUND,
    REC_URL,
    SLUG,
    groent,
    new_user,
    recommendation,
    user,
)


def login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.data
    return client


@pytest.fixture
def data(app: Flask) -> Iterator[Session]:
    """A session on the test's transaction without an app context (each request gets its own)."""
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_paragraph_has_a_comment_control_with_its_number_and_count(
    client: FlaskClient,
) -> None:
    html = client.get(f"{REC_URL}/1").data.decode()
    controls = re.findall(
        r'<a class="button button-secondary paragraph-comment" href="([^"]+)">Kommentér dette afsnit'
        r'<span class="sr-only"> \(afsnit (\d+)\)</span></a>',
        html,
    )
    assert [n for _href, n in controls] == ["1", "2", "3", "4"]
    assert controls[2][0] == f"{REC_URL}/1/comment?paragraph=3#comment-form"
    for n in range(1, 5):
        assert f'id="afsnit-{n}"' in html
    # The demo has comments on paragraph 1 (with replies) and a count beside it.
    assert re.search(r"\d+ kommentarer<span class=\"sr-only\"> til afsnit 1</span>", html)
    assert "Skjult af moderator:" in html and "Personangreb eller chikane" in html
    assert "ved hvor formanden bor" not in html  # the hidden text is not shown
    second = client.get(f"{REC_URL}/2").data.decode()
    assert "Østerbro Cyklister" in second and "Verificeret organisation" in second


def test_the_paragraph_form_quotes_the_paragraph_and_lists_its_comments(
    client: FlaskClient,
) -> None:
    html = client.get(f"{REC_URL}/1/comment?paragraph=2").data.decode()
    assert "Beboerne i gaden vælger sammen med forvaltningen" in html
    assert 'id="paragraph-comments"' in html and "Lejere skal have samme stemme" not in html
    assert "Log ind for at kommentere" in html and "/house-rules" in html
    assert client.get(f"{REC_URL}/1/comment?paragraph=9").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client: FlaskClient, data: Session) -> None:
    post = client.post(f"{REC_URL}/1/comments", data={"text": "Hej"})
    assert post.status_code == 302 and "/login" in post.headers["Location"]
    some = data.scalar(select(Comment.id).where(Comment.status == CommentStatus.VISIBLE))
    report = client.get(f"/comments/{some}/report")
    assert report.status_code == 302 and "/login" in report.headers["Location"]


def test_resident_comments_on_a_paragraph_and_edits_it(app: Flask, data: Session) -> None:
    client = login(app, "resident@example.org")
    form = client.get(f"{REC_URL}/1/comment?paragraph=3").data.decode()
    assert 'for="text">Din kommentar til afsnit 3<' in form
    posted = client.post(
        f"{REC_URL}/1/comments", data={"text": "Se https://kk.dk <b>nu</b>", "paragraph": "3"}
    )
    assert posted.status_code == 302
    comment = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert comment is not None and comment.paragraph == 3 and comment.phase_id is not None
    page = client.get(posted.headers["Location"]).data.decode()
    assert f'id="comment-{comment.id}"' in page and "&lt;b&gt;nu&lt;/b&gt;" in page
    assert '<a href="https://kk.dk" rel="nofollow noopener noreferrer ugc">' in page
    assert "om afsnit 3" in page
    empty = client.post(f"{REC_URL}/1/comments", data={"text": " ", "paragraph": "3"})
    assert empty.status_code == 422 and "Skriv din kommentar." in empty.data.decode()
    edit = client.post(f"/comments/{comment.id}/edit", data={"text": "Rettet tekst"})
    assert edit.status_code == 302
    page = client.get(f"/comments/{comment.id}/edit").data.decode()
    assert "Se https://kk.dk &lt;b&gt;nu&lt;/b&gt;" in page  # the earlier text is kept
    assert "redigeret" in client.get(f"{REC_URL}/1").data.decode()
    other = login(app, "member@example.org")
    assert other.post(f"/comments/{comment.id}/edit", data={"text": "x"}).status_code == 404


def test_unverified_accounts_are_refused_and_told_why(app: Flask, data: Session) -> None:
    new_user(data, "uverificeret@example.org", verified=False)
    client = login(app, "uverificeret@example.org")
    assert "Bekræft din e-mailadresse" in client.get(f"{REC_URL}/1").data.decode()
    assert client.post(f"{REC_URL}/1/comments", data={"text": "Hej"}).status_code == 403


def test_after_the_deadline_the_server_refuses_and_the_form_says_when(app: Flask) -> None:
    client = login(app, "resident@example.org")
    app.config["NOW"] = AFTER_ROUND
    refused = client.post(f"{REC_URL}/1/comments", data={"text": "For sent", "paragraph": "1"})
    assert refused.status_code == 409
    assert "Høringsperioden sluttede 10. december 2026" in refused.data.decode()
    form = client.get(f"{REC_URL}/1/comment?paragraph=1").data.decode()
    assert "Kommentarperioden sluttede 10. december 2026" in form and "Send kommentar" not in form


def test_replies_are_threaded(app: Flask, data: Session) -> None:
    client = login(app, "resident@example.org")
    root = data.scalar(
        select(Comment).where(Comment.parent_id.is_(None), Comment.status == CommentStatus.VISIBLE)
    )
    assert root is not None
    form = client.get(f"{REC_URL}/{root.recommendation.number}/comment?parent_id={root.id}")
    assert "Dit svar" in form.data.decode()
    posted = client.post(
        f"{REC_URL}/{root.recommendation.number}/comments",
        data={"text": "Et svar", "parent_id": str(root.id)},
    )
    assert posted.status_code == 302
    reply = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert reply is not None and reply.parent_id == root.id


def test_ordering_and_pagination_work_with_and_without_htmx(client: FlaskClient) -> None:
    full = client.get(f"{REC_URL}/1?order=oldest&page=2").data.decode()
    assert "Side 2 af" in full and 'value="oldest" selected' in full
    part = client.get(f"{REC_URL}/1/comments?order=most_replied", headers={"HX-Request": "true"})
    assert part.data.decode().lstrip().startswith('<div id="comment-list"')
    assert "<html" not in part.data.decode()
    bad = client.get(f"{REC_URL}/1?order=evil&page=999999")
    assert bad.status_code == 200


def test_report_and_moderation_with_a_public_reason(app: Flask, data: Session) -> None:
    author = login(app, "resident@example.org")
    author.post(f"{REC_URL}/2/comments", data={"text": "Nogle er idioter"})
    comment = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert comment is not None
    reporter = login(app, "member@example.org")
    assert reporter.get(f"/comments/{comment.id}/report").status_code == 200
    assert (
        reporter.post(f"/comments/{comment.id}/report", data={"reason": "Grimt"}).status_code == 302
    )
    assert reporter.get("/secretariat/moderation").status_code == 403
    staff = login(app, "secretariat@example.org")
    queue = staff.get("/secretariat/moderation").data.decode()
    assert f"/secretariat/moderation/comments/{comment.id}" in queue and "Grimt" in queue
    url = f"/secretariat/moderation/comments/{comment.id}/hide"
    missing = staff.post(url, data={"note": "uden begrundelse"})
    assert missing.status_code == 422 and "Vælg en begrundelse." in missing.data.decode()
    assert (
        staff.post(url, data={"reason": "personal_attack", "note": "Hold tonen"}).status_code == 302
    )
    public = app.test_client().get(f"{REC_URL}/2").data.decode()
    block = public[public.index(f'id="comment-{comment.id}"') :][:1500]
    assert "Skjult af moderator:" in block and "Personangreb eller chikane" in block
    assert "Nogle er idioter" not in block
    own = author.get("/mine/input").data.decode()
    own = own[own.index('class="own-moderation"') :]
    assert "Nogle er idioter" in own and "Hold tonen" in own and "Klag over afgørelsen" in own
    appeal = author.post(f"/comments/{comment.id}/appeal", data={"appeal": "Det var sagligt"})
    assert appeal.status_code == 302
    again = author.post(f"/comments/{comment.id}/appeal", data={"appeal": "Igen"})
    assert again.status_code == 422 and "allerede klaget" in again.data.decode()
    assert author.get("/mine/comments").headers["Location"].endswith("/mine/input")
    mine = author.get("/mine/input").data.decode()
    assert "Du har klaget" in mine
    assert (
        staff.post(
            f"/secretariat/moderation/comments/{comment.id}/reject-appeal", data={"note": "Nej"}
        ).status_code
        == 302
    )
    assert staff.post(f"/secretariat/moderation/comments/{comment.id}/restore").status_code == 302
    assert "Nogle er idioter" in app.test_client().get(f"{REC_URL}/2").data.decode()
    events = data.scalars(
        select(ModerationEvent.action).where(ModerationEvent.comment_id == comment.id)
    ).all()
    assert [e.value for e in events] == ["hide", "appeal", "reject_appeal", "restore"]


def test_premoderation_toggle_holds_new_comments(app: Flask, data: Session) -> None:
    staff = login(app, "secretariat@example.org")
    assert (
        staff.post(
            f"/secretariat/assemblies/{SLUG}/premoderation", data={"premoderation": "on"}
        ).status_code
        == 302
    )
    assert (
        "checked"
        in staff.get(f"/secretariat/assemblies/{SLUG}/overview")
        .data.decode()
        .split('id="premoderation"')[1][:200]
    )
    author = login(app, "resident@example.org")
    author.post(f"{REC_URL}/3/comments", data={"text": "Venter på godkendelse"})
    held = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert held is not None and held.status == CommentStatus.PENDING
    assert "Venter på godkendelse" not in app.test_client().get(f"{REC_URL}/3").data.decode()
    assert "kun du kan se den" in author.get(f"{REC_URL}/3").data.decode()
    assert staff.post(f"/secretariat/moderation/comments/{held.id}/approve").status_code == 302
    assert "Venter på godkendelse" in app.test_client().get(f"{REC_URL}/3").data.decode()


def test_lokaludvalg_files_a_response_with_a_pdf(app: Flask, data: Session) -> None:
    client = login(app, "lokaludvalg@example.org")
    assert "Afgiv høringssvar" in client.get(f"{REC_URL}/2").data.decode()
    form = client.get(f"/assemblies/{SLUG}/responses/new?recommendation=2").data.decode()
    assert 'value="2" selected' in form and "/house-rules" in form
    fake = client.post(
        f"/assemblies/{SLUG}/responses",
        data={
            "organisation_id": str(
                responses.organisations_for(data, user(data, "lokaludvalg@example.org"))[0].id
            ),
            "recommendation": "2",
            "title": "Svar",
            "position": "opposes",
            "text": "Tekst",
            "file": (io.BytesIO(b"<html><script>alert(1)</script>"), "svar.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert (
        fake.status_code == 422
        and "Vedhæft en PDF-fil." in fake.data.decode()
        or "Filtypen" in fake.data.decode()
    )
    org_id = responses.organisations_for(data, user(data, "lokaludvalg@example.org"))[0].id
    pdf = tiny_pdf("Høringssvar", ["Linje"])
    posted = client.post(
        f"/assemblies/{SLUG}/responses",
        data={
            "organisation_id": str(org_id),
            "recommendation": "2",
            "title": "Vi er imod",
            "position": "opposes",
            "text": "Begrundelse",
            "file": (io.BytesIO(pdf), "../../Vores svar <endelig>.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert posted.status_code == 302 and "#response-" in posted.headers["Location"]
    filed = data.scalars(
        select(ConsultationResponse).order_by(ConsultationResponse.id.desc())
    ).first()
    assert filed is not None and filed.recommendation_id == recommendation(data, 2).id
    download = app.test_client().get(f"/responses/{filed.id}/attachment")
    assert download.status_code == 200 and download.data == pdf
    disposition = download.headers["Content-Disposition"]
    assert disposition == "attachment; filename=Vores-svar-endelig.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"
    org_page = app.test_client().get(f"/organisations/{org_id}").data.decode()
    assert "Vi er imod" in org_page and "Verificeret organisation" in org_page
    assert "Østerbro Lokaludvalgs høringssvar til udkastet" in org_page


def file_response(
    client: FlaskClient, data: Session, title: str, position: str, text: str
) -> ConsultationResponse:
    """The logged-in lokaludvalg person files a response to recommendation 2 (no PDF)."""
    org_id = responses.organisations_for(data, user(data, "lokaludvalg@example.org"))[0].id
    posted = client.post(
        f"/assemblies/{SLUG}/responses",
        data={
            "organisation_id": str(org_id),
            "recommendation": "2",
            "title": title,
            "position": position,
            "text": text,
        },
    )
    assert posted.status_code == 302
    filed = data.scalars(
        select(ConsultationResponse).order_by(ConsultationResponse.id.desc())
    ).first()
    assert filed is not None and filed.title == title
    return filed


def test_the_filer_edits_a_response_until_the_round_closes_and_history_is_kept(
    app: Flask, data: Session
) -> None:
    client = login(app, "lokaludvalg@example.org")
    filed = file_response(client, data, "Første udgave", "opposes", "Vi er imod.")
    edit = f"/responses/{filed.id}/edit"
    page = client.get(f"{REC_URL}/2").data.decode()
    assert f'href="{edit}"' in page
    bad = client.post(edit, data={"title": "", "position": "supports", "text": "Ny tekst"})
    assert bad.status_code == 422 and "Skriv en titel." in bad.data.decode()
    assert "Ny tekst" in bad.data.decode()  # what was typed is kept
    saved = client.post(
        edit,
        data={"title": "Anden udgave", "position": "supports_with_changes", "text": "Ja, men."},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#response-{filed.id}")
    public = app.test_client().get(f"{REC_URL}/2").data.decode()
    block = public[public.index(f'id="response-{filed.id}"') :][:2500]
    assert "Anden udgave" in block and "Ja, men." in block and "rettet" in block
    assert "Første udgave" not in block
    history = client.get(edit).data.decode()
    assert (
        "Tidligere udgaver" in history and "Første udgave" in history and "Vi er imod." in history
    )
    # Nobody else may edit it (not even to see the form), and not after the round.
    other = login(app, "resident@example.org")
    assert other.get(edit).status_code == 404
    assert (
        other.post(edit, data={"title": "x", "position": "other", "text": "x"}).status_code == 404
    )
    app.config["NOW"] = AFTER_ROUND
    late = client.post(edit, data={"title": "Sent", "position": "other", "text": "For sent"})
    assert late.status_code == 409
    assert "kan ikke længere rettes" in client.get(edit).data.decode()
    data.expire_all()
    assert filed.title == "Anden udgave"


def test_a_response_from_an_earlier_round_offers_no_edit_while_a_later_round_is_open(
    app: Flask, data: Session
) -> None:
    """The edit link follows the response's own round, not whichever round is open today."""
    client = login(app, "lokaludvalg@example.org")
    filed = file_response(
        client, data, "Fra første runde", "other", "Skrevet i en tidligere runde."
    )
    assert filed.phase_id is not None
    edit = f"/responses/{filed.id}/edit"
    assert f'href="{edit}"' in client.get(f"{REC_URL}/2").data.decode()
    earlier = next(p for p in groent(data).phases if p.ends_on < NOW.date())
    filed.phase_id = earlier.id
    data.commit()
    page = client.get(f"{REC_URL}/2").data.decode()
    assert "Fra første runde" in page and "Afgiv høringssvar" in page  # today's round is open
    assert f'href="{edit}"' not in page
    assert (
        client.post(edit, data={"title": "Sent", "position": "other", "text": "x"}).status_code
        == 409
    )


def test_people_outside_organisations_cannot_file_responses(app: Flask) -> None:
    client = login(app, "resident@example.org")
    assert client.get(f"/assemblies/{SLUG}/responses/new").status_code == 404
    posted = client.post(
        f"/assemblies/{SLUG}/responses",
        data={"organisation_id": "1", "title": "x", "position": "supports", "text": "x"},
    )
    assert posted.status_code == 403


def test_whole_draft_responses_show_on_the_assembly_page(client: FlaskClient) -> None:
    html = client.get(f"/assemblies/{SLUG}").data.decode()
    assert "Høringssvar til hele udkastet" in html
    assert "Østerbro Lokaludvalgs høringssvar til udkastet" in html
    assert "Hent høringssvaret som PDF" in html


def test_hidden_responses_keep_their_pdf_from_the_public(app: Flask, data: Session) -> None:
    from portal.consultation import moderation

    filed = data.scalars(
        select(ConsultationResponse).where(ConsultationResponse.attachment_path.is_not(None))
    ).first()
    assert filed is not None
    assert app.test_client().get(f"/responses/{filed.id}/attachment").status_code == 200
    with app.app_context():
        moderation.hide(data, user(data, "secretariat@example.org"), filed, "spam", "", NOW)
    assert app.test_client().get(f"/responses/{filed.id}/attachment").status_code == 404


def test_house_rules_and_an_unknown_organisation(client: FlaskClient) -> None:
    assert "Husregler" in client.get("/house-rules").data.decode()
    assert client.get("/organisations/99999").status_code == 404


def test_the_recommendation_page_query_count_does_not_grow_with_comments(
    app: Flask, data: Session
) -> None:
    from sqlalchemy import event

    def count() -> int:
        statements: list[str] = []
        engine = app.extensions["engine"]

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(f"{REC_URL}/3").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    client = login(app, "resident@example.org")
    before = count()
    rec = recommendation(data, 3)
    authors = [new_user(data, f"q{i}@example.org") for i in range(4)]
    for i in range(12):
        root = comments.create_comment(
            data, authors[i % 4], rec, f"Kommentar {i}", NOW, paragraph=1 + i % 3
        )
        comments.create_comment(data, authors[(i + 1) % 4], rec, "Svar", NOW, parent_id=root.id)
    assert count() == before
    assert groent(data).premoderation is False
