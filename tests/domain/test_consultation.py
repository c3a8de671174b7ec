"""Comment-phase rules without the web: paragraphs, who may post and when (several rounds),
replies, the edit window and its history, no drift across versions, pages and orders,
organisations' responses and their PDFs, and moderation with one appeal."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.consultation import comments, moderation, pages, responses
from portal.consultation.paragraphs import split_paragraphs
from portal.consultation.rules import can_post, window
from portal.demo.files import tiny_pdf
from portal.errors import Forbidden, Invalid, PhaseClosed
from portal.models import (
    AuditEvent,
    CommentEdit,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    OutboxEmail,
    RecommendationStatus,
    User,
)
from portal.phases import Feature, local_date
from portal.sanitize import plain_text_to_html
from tests.conftest import DEMO_UPLOADS, NOW
from tests.consultation_helpers import (
    AFTER_ROUND,
    ROUND_ENDS,
    groent,
    new_user,
    publish_second_draft,
    recommendation,
    second_round,
    user,
)

SETTINGS = responses.UploadSettings(DEMO_UPLOADS, 200_000)


def test_paragraphs_are_blocks_between_blank_lines() -> None:
    assert split_paragraphs("En.\nTo linjer.\n\n  Tre.  \n \n\n\r\nFire.") == [
        "En.\nTo linjer.",
        "Tre.",
        "Fire.",
    ]
    assert split_paragraphs("") == []
    assert split_paragraphs("\n\n  \n") == []


def test_plain_text_keeps_what_was_typed_and_links_only_web_addresses() -> None:
    html = plain_text_to_html(
        '<b>fed</b> & "citat"\nSe https://kk.dk/a?b=1&c=2.\n\njavascript:alert(1)'
    )
    assert "&lt;b&gt;fed&lt;/b&gt; &amp;" in html
    assert '<a href="https://kk.dk/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">' in html
    assert "</a>.</p>" in html and "<br>" in html
    assert 'href="javascript' not in html
    quoted = plain_text_to_html('https://x.dk/"onmouseover=alert(1)')
    assert quoted.startswith('<p><a href="https://x.dk/" rel=') and '</a>"onmouseover' in quoted


def test_only_verified_accounts_may_post(db: Session) -> None:
    unverified = new_user(db, "ny@example.org", verified=False)
    assert not can_post(unverified) and not can_post(None)
    assert can_post(user(db, "resident@example.org"))
    with pytest.raises(Forbidden):
        comments.create_comment(db, unverified, recommendation(db), "Hej", NOW)
    unverified.email_verified_at = NOW
    assert comments.create_comment(db, unverified, recommendation(db), "Hej", NOW).id


def test_comments_only_while_a_round_is_open_and_say_when_it_closed(db: Session) -> None:
    resident = user(db, "resident@example.org")
    rec = recommendation(db)
    with pytest.raises(PhaseClosed) as closed:
        comments.create_comment(db, resident, rec, "For sent", AFTER_ROUND)
    assert "10. december 2026" in str(closed.value)
    shut = window(groent(db), Feature.COMMENT, local_date(AFTER_ROUND))
    assert not shut.open and shut.closed_on == ROUND_ENDS and shut.opens_on is None
    before = NOW - timedelta(days=30)
    with pytest.raises(PhaseClosed):
        comments.create_comment(db, resident, rec, "For tidligt", before)


def test_several_rounds_record_their_phase_and_close_between(db: Session) -> None:
    resident = user(db, "resident@example.org")
    rec = recommendation(db)
    first = comments.create_comment(db, resident, rec, "Runde 1", NOW)
    round_two = second_round(db, gap_days=3)
    between = AFTER_ROUND - timedelta(days=4)  # 11 December: after round 1, before round 2
    gap = window(groent(db), Feature.COMMENT, local_date(between))
    assert not gap.open and gap.closed_on == ROUND_ENDS and gap.opens_on == round_two.starts_on
    with pytest.raises(PhaseClosed):
        comments.create_comment(db, resident, rec, "Mellem runderne", between)
    later = comments.create_comment(db, resident, rec, "Runde 2", AFTER_ROUND)
    assert later.phase_id == round_two.id and first.phase_id != round_two.id
    # The first round's comment can no longer be edited in the second round.
    assert not comments.can_edit(first, resident, groent(db), AFTER_ROUND)
    assert comments.can_edit(later, resident, groent(db), AFTER_ROUND)


def test_only_published_drafts_take_comments_and_paragraphs_must_exist(db: Session) -> None:
    resident = user(db, "resident@example.org")
    rec = recommendation(db)
    with pytest.raises(Invalid):
        comments.create_comment(db, resident, rec, "Hej", NOW, paragraph=99)
    with pytest.raises(Invalid):
        comments.create_comment(db, resident, rec, "   ", NOW, paragraph=1)
    with pytest.raises(Invalid):
        comments.create_comment(db, resident, rec, "x" * 5001, NOW)
    rec.status = RecommendationStatus.FINAL
    with pytest.raises(PhaseClosed):
        comments.create_comment(db, resident, rec, "Hej", NOW)


def test_replies_take_their_threads_version_and_paragraph(db: Session) -> None:
    resident, other = user(db, "resident@example.org"), user(db, "member@example.org")
    rec = recommendation(db)
    root = comments.create_comment(db, resident, rec, "Rod", NOW, paragraph=2)
    reply = comments.create_comment(db, other, rec, "Svar", NOW, parent_id=root.id, paragraph=1)
    deeper = comments.create_comment(db, resident, rec, "Svar på svar", NOW, parent_id=reply.id)
    assert (reply.parent_id, reply.paragraph, reply.revision_id) == (root.id, 2, root.revision_id)
    assert deeper.parent_id == root.id  # one level of threads
    page = comments.list_threads(db, rec, None, order=comments.Order.NEWEST)
    thread = next(t for t in page.threads if t.comment.id == root.id)
    assert [c.id for c in thread.replies] == [reply.id, deeper.id]


def test_author_edits_until_the_round_closes_and_history_is_kept(db: Session) -> None:
    resident, other = user(db, "resident@example.org"), user(db, "member@example.org")
    comment = comments.create_comment(db, resident, recommendation(db), "Første tekst", NOW)
    with pytest.raises(Forbidden):
        comments.edit_comment(db, other, comment, "Kapret", NOW)
    comments.edit_comment(db, resident, comment, "Anden tekst", NOW + timedelta(hours=1))
    comments.edit_comment(db, resident, comment, "Tredje <tekst>", NOW + timedelta(hours=2))
    assert comment.text == "Tredje <tekst>" and "&lt;tekst&gt;" in comment.text_html
    assert comment.edited_at == NOW + timedelta(hours=2)
    assert [e.text for e in comments.edit_history(db, comment)] == ["Første tekst", "Anden tekst"]
    with pytest.raises(PhaseClosed):
        comments.edit_comment(db, resident, comment, "For sent", AFTER_ROUND)
    assert (
        db.scalar(select(func.count(CommentEdit.id)).where(CommentEdit.comment_id == comment.id))
        == 2
    )


def test_comments_never_drift_to_a_later_version(db: Session) -> None:
    resident = user(db, "resident@example.org")
    rec = recommendation(db)
    old_paragraphs = split_paragraphs(rec.revisions[0].text)
    comment = comments.create_comment(db, resident, rec, "Om parkering", NOW, paragraph=3)
    first_version = comment.revision_id
    new_text = "Et nyt første afsnit.\n\n" + rec.revisions[0].text
    second = publish_second_draft(db, rec, new_text)
    assert (comment.revision_id, comment.paragraph) == (first_version, 3)
    view = pages.recommendation_input(db, rec, None, NOW)
    assert view.revision is not None and view.revision.id == second.id
    assert view.paragraphs[3] == old_paragraphs[2]  # the same words are paragraph 4 now
    assert view.counts.get(3, 0) == 0  # old comments do not count for the new paragraph 3
    old = pages.get_public_revision(rec, first_version)
    assert split_paragraphs(old.text)[2] == old_paragraphs[2]
    fresh = comments.create_comment(db, resident, rec, "Om det nye", NOW, paragraph=1)
    assert fresh.revision_id == second.id


def test_pages_and_orders(db: Session) -> None:
    residents = [new_user(db, f"r{i}@example.org") for i in range(3)]
    rec = recommendation(db, 3)
    made = [
        comments.create_comment(db, residents[i % 3], rec, f"K{i}", NOW + timedelta(minutes=i))
        for i in range(7)
    ]
    for i in range(3):
        comments.create_comment(db, residents[i], rec, "svar", NOW, parent_id=made[2].id)
    comments.create_comment(db, residents[0], rec, "svar", NOW, parent_id=made[5].id)
    existing = comments.list_threads(db, rec, None).total - 7
    newest = comments.list_threads(db, rec, None, order=comments.Order.NEWEST, size=3)
    assert [t.comment.text for t in newest.threads] == ["K6", "K5", "K4"]
    assert newest.pages == -(-(7 + existing) // 3) and newest.has_next and not newest.has_previous
    page2 = comments.list_threads(db, rec, None, order=comments.Order.NEWEST, size=3, page=2)
    assert [t.comment.text for t in page2.threads] == ["K3", "K2", "K1"]
    most = comments.list_threads(db, rec, None, order=comments.Order.MOST_REPLIED, size=2)
    assert [t.comment.text for t in most.threads][0] == "K2"
    oldest = comments.list_threads(db, rec, None, order=comments.Order.OLDEST, size=100)
    mine = [t.comment.text for t in oldest.threads if t.comment.text.startswith("K")]
    assert mine == [f"K{i}" for i in range(7)]
    beyond = comments.list_threads(db, rec, None, page=999, size=3)
    assert beyond.number == beyond.pages


def test_premoderation_holds_input_until_approved(db: Session) -> None:
    secretariat, resident = user(db, "secretariat@example.org"), user(db, "resident@example.org")
    moderation.set_premoderation(db, secretariat, groent(db), True, NOW)
    rec = recommendation(db, 2)
    held = comments.create_comment(db, resident, rec, "Vent på mig", NOW)
    assert held.status == CommentStatus.PENDING

    def shown(viewer: User | None) -> list[int]:
        return [t.comment.id for t in comments.list_threads(db, rec, viewer, size=100).threads]

    assert held.id not in shown(None) and held.id in shown(resident)
    assert held in [e.item for e in moderation.moderation_queue(db).of("pending")]
    with pytest.raises(Forbidden):
        moderation.approve(db, resident, held, NOW)
    moderation.approve(db, secretariat, held, NOW)
    assert held.status == CommentStatus.VISIBLE and held.id in shown(None)
    with pytest.raises(Forbidden):
        moderation.set_premoderation(db, resident, groent(db), False, NOW)


def test_hiding_needs_a_reason_tells_the_author_and_allows_one_appeal(db: Session) -> None:
    secretariat, resident = user(db, "secretariat@example.org"), user(db, "resident@example.org")
    reporter = user(db, "member@example.org")
    comment = comments.create_comment(db, resident, recommendation(db), "Grim tekst", NOW)
    moderation.report(db, reporter, comment, "Personangreb", NOW)
    moderation.report(db, reporter, comment, "Igen", NOW)  # the same open report, not a second
    queue = moderation.moderation_queue(db).of("reported")
    assert [len(e.reports) for e in queue if e.item is comment] == [1]
    with pytest.raises(Forbidden):
        moderation.hide(db, reporter, comment, "spam", "", NOW)
    with pytest.raises(Invalid):
        moderation.hide(db, secretariat, comment, "", "", NOW)
    with pytest.raises(Invalid):
        moderation.hide(db, secretariat, comment, "ugly", "", NOW)
    moderation.hide(db, secretariat, comment, "personal_attack", "Skriv pænt.", NOW)
    assert comment.status == CommentStatus.HIDDEN and comment.moderation_note == "Skriv pænt."
    assert not moderation.moderation_queue(db).of("reported") or all(
        e.item is not comment for e in moderation.moderation_queue(db).of("reported")
    )
    mail = db.scalars(select(OutboxEmail).where(OutboxEmail.to == resident.email)).all()[-1]
    assert (
        "Personangreb eller chikane" in mail.body and f"/comments/{comment.id}/appeal" in mail.body
    )
    assert mail.language == "da"
    with pytest.raises(Forbidden):
        moderation.appeal(db, reporter, comment, "Ikke min", NOW)
    with pytest.raises(Invalid):
        moderation.appeal(db, resident, comment, "  ", NOW)
    moderation.appeal(db, resident, comment, "Det var ironi.", NOW + timedelta(minutes=1))
    assert comment in [e.item for e in moderation.moderation_queue(db).of("appeal")]
    with pytest.raises(Invalid):
        moderation.appeal(db, resident, comment, "Igen!", NOW + timedelta(minutes=2))
    moderation.reject_appeal(
        db, secretariat, comment, "Afgørelsen står.", NOW + timedelta(minutes=3)
    )
    assert comment not in [e.item for e in moderation.moderation_queue(db).of("appeal")]
    moderation.restore(db, secretariat, comment, "Vi har genovervejet.", NOW + timedelta(minutes=4))
    assert comment.status == CommentStatus.VISIBLE and comment.moderation_reason is None
    actions = db.scalars(
        select(ModerationEvent.action)
        .where(ModerationEvent.comment_id == comment.id)
        .order_by(ModerationEvent.id)
    ).all()
    assert actions == [
        ModerationAction.HIDE,
        ModerationAction.APPEAL,
        ModerationAction.REJECT_APPEAL,
        ModerationAction.RESTORE,
    ]
    audited = db.scalars(
        select(AuditEvent.action).where(AuditEvent.subject == f"comment:{comment.id}")
    ).all()
    for action in (
        "moderation.report",
        "moderation.hide",
        "moderation.appeal",
        "moderation.reject_appeal",
        "moderation.restore",
    ):
        assert action in audited


def _form(organisation_id: int | None, **changes: str) -> responses.ResponseForm:
    values = {"title": "Vores svar", "position": "supports", "text": "Vi støtter det."} | changes
    return responses.ResponseForm(
        organisation_id, values["title"], values["position"], values["text"]
    )


def test_only_an_organisations_people_file_responses(db: Session) -> None:
    person = user(db, "lokaludvalg@example.org")
    org = responses.organisations_for(db, person)[0]
    assembly = groent(db)
    with pytest.raises(Forbidden):
        responses.file_response(
            db, user(db, "resident@example.org"), assembly, None, _form(org.id), None, SETTINGS, NOW
        )
    with pytest.raises(Invalid) as invalid:
        responses.file_response(
            db,
            person,
            assembly,
            None,
            _form(org.id + 999, title="", position="maybe"),
            None,
            SETTINGS,
            NOW,
        )
    assert set(invalid.value.field_errors) == {"organisation_id", "title", "position"}
    with pytest.raises(PhaseClosed):
        responses.file_response(
            db, person, assembly, None, _form(org.id), None, SETTINGS, AFTER_ROUND
        )
    filed = responses.file_response(
        db, person, assembly, recommendation(db, 2), _form(org.id), None, SETTINGS, NOW
    )
    assert (
        filed.revision_id == recommendation(db, 2).revisions[0].id and filed.attachment_path is None
    )
    page = responses.organisation_page(db, org.id)
    assert filed.id in [r.id for r, _a, _rec in page.responses]


def test_attachments_must_be_pdfs_by_content_and_within_the_limit(db: Session) -> None:
    person = user(db, "lokaludvalg@example.org")
    org = responses.organisations_for(db, person)[0]
    assembly = groent(db)

    def file(data: bytes, name: str) -> responses.Upload:
        return responses.Upload(io.BytesIO(data), name)

    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    for data, name in (
        (png, "svar.pdf"),
        (b"hello", "svar.pdf"),
        (b"%PDF-" + b"0" * 300_000, "big.pdf"),
    ):
        with pytest.raises(Invalid) as invalid:
            responses.file_response(
                db, person, assembly, None, _form(org.id), file(data, name), SETTINGS, NOW
            )
        assert "file" in invalid.value.field_errors
    pdf = tiny_pdf("Høringssvar", ["En linje"])
    filed = responses.file_response(
        db,
        person,
        assembly,
        None,
        _form(org.id),
        file(pdf, "../../etc/Vores svar (endelig).PDF"),
        SETTINGS,
        NOW,
    )
    assert filed.attachment_name == "Vores-svar-endelig.pdf" and filed.attachment_size == len(pdf)
    path, name = responses.attachment_file(db, filed.id, DEMO_UPLOADS, None)
    assert path.read_bytes() == pdf and name == "Vores-svar-endelig.pdf"
    assert path.parent.resolve() == __import__("pathlib").Path(DEMO_UPLOADS).resolve()
