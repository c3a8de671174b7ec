"""The council's rules: due date arithmetic, overdue after the due day, versions never lost,
roll-up maths, the CSV import (all or nothing), followers told once, the tracker's counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.council import answers, csv_import, handover, implementation, notify, tracker
from portal.errors import Invalid
from portal.models import (
    AnswerStatus,
    AnswerVersion,
    Assembly,
    Body,
    CouncilAnswer,
    FollowerNotice,
    ImplementationItem,
    ImplementationStatus,
    ImplementationUpdate,
    Member,
    OutboxEmail,
    Recommendation,
    RecommendationStatus,
    User,
)
from portal.phases import local_date
from tests.conftest import NOW


def _user(db: Session, email: str = "council@example.org") -> User:
    user = db.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _assembly(db: Session, slug: str) -> Assembly:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == slug))
    assert assembly is not None
    return assembly


# --- due date and overdue ------------------------------------------------------------------


def test_due_date_counts_copenhagen_calendar_days_across_daylight_saving() -> None:
    # 29 March 2026 the clocks go forward; the due day is still 14 calendar days later.
    assert handover.due_date(date(2026, 3, 20), 2) == date(2026, 4, 3)
    assert handover.due_date(date(2026, 10, 20), 1) == date(2026, 10, 27)  # clocks go back 25 Oct


def test_overdue_starts_the_day_after_the_due_day_in_copenhagen() -> None:
    due = date(2026, 11, 6)
    assert handover.overdue_days(due, False, date(2026, 11, 6)) is None  # the due day itself
    assert handover.overdue_days(due, False, date(2026, 11, 7)) == 1
    assert handover.overdue_days(due, True, date(2026, 12, 7)) is None  # answered
    assert handover.overdue_days(None, False, date(2026, 12, 7)) is None
    # 23:30 UTC on the due day is already the next day in Copenhagen.
    late_evening = datetime(2026, 11, 6, 23, 30, tzinfo=UTC)
    assert handover.overdue_days(due, False, local_date(late_evening)) == 1
    assert handover.overdue_days(due, False, local_date(late_evening - timedelta(hours=1))) is None


def test_handover_sets_the_one_due_date_and_opens_answer_cases(db: Session) -> None:
    assembly = _assembly(db, "groent-byliv-indre-oesterbro")
    for rec in assembly.recommendations:
        rec.status = RecommendationStatus.FINAL
    assembly.answer_weeks = 13
    body = db.scalar(select(Body))
    assert body is not None
    record = handover.record_handover(
        db, assembly, body.id, date(2026, 11, 19), _user(db, "secretariat@example.org"), NOW
    )
    assert record.body_id == body.id
    assert assembly.answer_due == date(2026, 11, 19) + timedelta(days=91)
    assert all(r.answer is not None and r.answer.version == 0 for r in assembly.recommendations)


def test_handover_is_refused_without_weeks_body_or_with_a_future_date(db: Session) -> None:
    assembly = _assembly(db, "groent-byliv-indre-oesterbro")
    assembly.answer_weeks = None
    secretariat = _user(db, "secretariat@example.org")
    with pytest.raises(Invalid) as refused:
        handover.record_handover(db, assembly, None, date(2026, 12, 24), secretariat, NOW)
    assert set(refused.value.field_errors) == {"body_id", "handed_over_on", "form"}


# --- answers: drafts, versions, templates -----------------------------------------------------


def _form(**changes: str) -> dict[str, str]:
    form = {
        "status": "adopted",
        "text": "Vi gør det.",
        "decided_by": "Teknik- og Miljøudvalget",
        "decided_on": "2026-11-18",
        "agenda_url": "https://example.org/punkt/4",
        "journal_number": "2026-1234",
        "vote": "Vedtaget 9–2",
        "budget_line": "Budget 2027",
    }
    form.update(changes)
    return form


def test_amending_a_published_answer_adds_a_version_and_keeps_every_earlier_one(
    db: Session,
) -> None:
    assembly = _assembly(db, "skybrud-amager-oest")
    council = _user(db)
    answer = answers.get_case(db, assembly, 1)
    answers.save_draft(db, answer, _form(), council, NOW)
    assert answer.version == 0 and answer.status == AnswerStatus.PENDING  # drafts are private
    answers.publish(db, assembly, [answer], council, NOW)
    assert answer.version == 1 and answer.text == "Vi gør det." and answer.draft is None
    answers.save_draft(db, answer, _form(status="partly", text="Kun i to gader."), council, NOW)
    answers.publish(db, assembly, [answer], council, NOW + timedelta(days=1))
    versions = db.scalars(
        select(AnswerVersion)
        .where(AnswerVersion.answer_id == answer.id)
        .order_by(AnswerVersion.number)
    ).all()
    assert [(v.number, v.status, v.text) for v in versions] == [
        (1, AnswerStatus.ADOPTED, "Vi gør det."),
        (2, AnswerStatus.PARTLY, "Kun i to gader."),
    ]
    assert answer.version == 2 and answer.status == AnswerStatus.PARTLY
    assert versions[0].journal_number == "2026-1234"


def test_a_draft_needs_status_and_text_and_a_safe_agenda_link(db: Session) -> None:
    answer = answers.get_case(db, _assembly(db, "skybrud-amager-oest"), 1)
    with pytest.raises(Invalid) as refused:
        answers.save_draft(
            db,
            answer,
            _form(status="pending", text=" ", agenda_url="javascript:alert(1)"),
            _user(db),
            NOW,
        )
    assert set(refused.value.field_errors) == {"status", "text", "agenda_url"}


def test_publishing_all_publishes_every_draft_and_tells_followers(db: Session) -> None:
    assembly = _assembly(db, "skybrud-amager-oest")
    council = _user(db)
    member = db.scalar(
        select(Member).where(Member.assembly_id == assembly.id, Member.user_id.is_not(None))
    )
    if member is None:
        member = db.scalar(select(Member).where(Member.assembly_id == assembly.id))
        assert member is not None
        member.user_id = _user(db, "resident@example.org").id
    member.stay_informed = True
    cases = answers.list_cases(db, assembly)
    for rec in cases[:3]:
        assert rec.answer is not None
        answers.save_draft(db, rec.answer, _form(), council, NOW)
    before = db.scalar(select(func.count(OutboxEmail.id)))
    count = answers.publish(db, assembly, [r.answer for r in cases if r.answer], council, NOW)
    assert count == 3  # number 2's demo draft was replaced by ours; number 4 had none
    after = db.scalar(select(func.count(OutboxEmail.id)))
    assert (
        after == (before or 0) + len(notify.follower_addresses(db, assembly)) >= (before or 0) + 1
    )


def test_a_template_fills_the_drafts_of_the_chosen_recommendations(db: Session) -> None:
    assembly = _assembly(db, "skybrud-amager-oest")
    council = _user(db)
    template = answers.create_template(
        db,
        {"name": "Undersøges", "status": "investigate", "text": "Forvaltningen undersøger det."},
        council,
        NOW,
    )
    cases = answers.list_cases(db, assembly)
    assert answers.apply_template(db, cases, template.id, [1, 3], council, NOW) == 2
    drafted = {r.number: r.answer.draft for r in cases if r.answer and r.answer.draft}
    assert drafted[1].text == drafted[3].text == "Forvaltningen undersøger det."  # type: ignore[union-attr]
    assert drafted[1].status == AnswerStatus.INVESTIGATE  # type: ignore[union-attr]
    with pytest.raises(Invalid):
        answers.create_template(
            db, {"name": "Undersøges", "status": "adopted", "text": "x"}, council, NOW
        )


# --- implementation: roll-up and updates -----------------------------------------------------


def _items(*pairs: tuple[int, int | None]) -> list[ImplementationItem]:
    return [
        ImplementationItem(title=f"del {i}", progress=p, weight=w) for i, (p, w) in enumerate(pairs)
    ]


def test_rollup_is_a_plain_average_without_weights_and_weighted_with_them() -> None:
    assert implementation.rollup([]) is None
    assert implementation.rollup(_items((100, None), (20, None))) == 60
    assert implementation.rollup(_items((100, 3), (0, 1))) == 75
    assert implementation.rollup(_items((100, 2), (50, None))) == 83  # a missing weight counts 1
    assert implementation.rollup(_items((0, None), (0, None), (1, None))) == 0  # 0.33 rounds down
    assert implementation.rollup(_items((1, None), (0, None))) == 1  # 0.5 rounds up


def test_with_sub_items_progress_is_computed_never_typed(db: Session) -> None:
    assembly = _assembly(db, "middelalderbyen-2019")
    answer = answers.get_case(db, assembly, 9)
    assert implementation.rollup(answer.items) == answer.progress == 60
    errors, _status, _progress = implementation.check_update(answer, "in_progress", "90", "")
    assert "progress" in errors
    implementation.update_implementation(
        db,
        assembly,
        answer,
        {"implementation": "in_progress", "progress": "", "note": ""},
        _user(db),
        NOW,
    )
    assert answer.progress == 60


def test_stopping_needs_a_reason_and_updates_keep_their_history(db: Session) -> None:
    assembly = _assembly(db, "middelalderbyen-2019")
    answer = answers.get_case(db, assembly, 2)
    council = _user(db)
    with pytest.raises(Invalid) as refused:
        implementation.update_implementation(
            db,
            assembly,
            answer,
            {"implementation": "stopped", "progress": "20", "note": ""},
            council,
            NOW,
        )
    assert "note" in refused.value.field_errors
    before = len(answer.updates)
    implementation.update_implementation(
        db,
        assembly,
        answer,
        {"implementation": "in_progress", "progress": "45", "note": "Godt i gang"},
        council,
        NOW,
    )
    assert len(answer.updates) == before + 1 and answer.progress == 45


# --- CSV import: all or nothing ---------------------------------------------------------------


def _export(db: Session, slug: str) -> list[str]:
    text = tracker.export_csv(db, tracker.TrackerFilter(assembly=slug), local_date(NOW))
    assert text.startswith("\ufeff")
    return text.lstrip("\ufeff").splitlines()


def _set(line: str, status: str, progress: str, note: str) -> str:
    cells = line.split(";")
    cells[8:11] = [status, progress, note]
    return ";".join(cells)


def test_csv_import_refuses_the_whole_file_and_names_each_bad_line(db: Session) -> None:
    lines = _export(db, "middelalderbyen-2019")
    header, rows = lines[0], lines[1:]
    rows[1] = _set(rows[1], "in_progress", "55", "")  # valid
    rows[2] = _set(rows[2], "halvvejs", "55", "")  # line 4: unknown status
    rows[3] = _set(rows[3], "in_progress", "120", "")  # line 5: out of range
    rows[8] = _set(rows[8], "in_progress", "10", "")  # line 10: number 9 has sub-items (60 %)
    data = ("\ufeff" + "\r\n".join([header, *rows])).encode("utf-8")
    answer2 = answers.get_case(db, _assembly(db, "middelalderbyen-2019"), 2)
    before = (answer2.progress, db.scalar(select(func.count(ImplementationUpdate.id))))
    with pytest.raises(csv_import.ImportRefused) as refused:
        csv_import.import_updates(db, data, _user(db), NOW)
    assert [m.split(":")[0] for m in refused.value.lines] == ["Linje 4", "Linje 5", "Linje 10"]
    answer2 = answers.get_case(db, _assembly(db, "middelalderbyen-2019"), 2)
    assert (answer2.progress, db.scalar(select(func.count(ImplementationUpdate.id)))) == before


def test_csv_import_applies_every_changed_line_when_all_are_valid(db: Session) -> None:
    lines = _export(db, "middelalderbyen-2019")
    rows = lines[1:]
    rows[1] = _set(rows[1], "in_progress", "55", "Forsøg i gang")
    rows[5] = _set(rows[5], "done", "100", "")
    data = "\r\n".join([lines[0], *rows]).encode("utf-8")
    assert csv_import.import_updates(db, data, _user(db), NOW) == 2
    assembly = _assembly(db, "middelalderbyen-2019")
    assert answers.get_case(db, assembly, 2).progress == 55
    assert answers.get_case(db, assembly, 6).implementation == ImplementationStatus.DONE


def test_csv_import_refuses_lines_of_assemblies_not_handed_to_the_users_body(db: Session) -> None:
    resident = _user(db, "resident@example.org")
    lines = _export(db, "middelalderbyen-2019")
    with pytest.raises(csv_import.ImportRefused) as refused:
        csv_import.import_updates(db, "\n".join(lines[:2]).encode(), resident, NOW)
    assert "Linje 2" in refused.value.lines[0]


# --- followers told once; the tracker's counts ------------------------------------------------


def test_followers_are_told_once_that_answers_are_overdue(db: Session) -> None:
    assembly = _assembly(db, "skybrud-amager-oest")
    member = db.scalar(select(Member).where(Member.assembly_id == assembly.id))
    assert member is not None
    member.user_id = _user(db, "resident@example.org").id
    member.stay_informed = True
    db.flush()
    today = local_date(NOW)
    assert notify.tell_overdue(db, NOW, today) == 1
    assert notify.tell_overdue(db, NOW, today) == 0
    told = db.scalars(select(FollowerNotice.recommendation_id)).all()
    assert len(told) == 3  # the three unanswered, never twice
    mail = db.scalar(select(OutboxEmail).where(OutboxEmail.to == "resident@example.org"))
    assert mail is not None and "Svar udestår" in mail.subject


def test_the_tracker_summary_counts_match_its_rows(db: Session) -> None:
    today = local_date(NOW)
    everything = tracker.summary(db, tracker.TrackerFilter(), today)
    late = tracker.list_rows(db, tracker.TrackerFilter(overdue=True), today, size=100)
    assert everything.overdue == late.total == 3
    assert all(r.overdue_days == (today - r.assembly.answer_due).days for r in late.items)  # type: ignore[operator]
    middel = tracker.summary(db, tracker.TrackerFilter(assembly="middelalderbyen-2019"), today)
    assert (middel.total, middel.answered, middel.overdue) == (9, 9, 0)
    assert middel.done == 3
    publics = db.scalar(
        select(func.count(Recommendation.id))
        .join(Assembly)
        .where(
            Recommendation.status != RecommendationStatus.WORKING,
            Assembly.status != "planned",
        )
    )
    assert everything.total == publics
    answered = db.scalar(select(func.count(CouncilAnswer.id)).where(CouncilAnswer.version > 0))
    assert everything.answered == answered
