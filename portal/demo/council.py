"""Demo of the council's answers: handovers to Teknik- og Miljøudvalget, Middelalderbyen's nine
answers with (illustrative) decision records and milestones, and Amager Øst's overdue answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AnswerDraft,
    AnswerStatus,
    AnswerVersion,
    Assembly,
    Body,
    Handover,
    ImplementationItem,
    ImplementationStatus,
    ImplementationUpdate,
    Member,
    Milestone,
    User,
)
from . import content as c
from . import overdue
from .people import BODY

# Illustrative only: following the public fact that budget 2021 set aside money for analyses and
# trials in 2021–22; meeting, journal numbers and votes are examples, not the real records.
ILLUSTRATIVE_NOTE = "Illustrativt eksempel"
BUDGET = "Budget 2021: midler til analyser og forsøg i 2021–22 (illustrativt eksempel)"
MEETING = date(2020, 3, 2)
MILESTONES: dict[int, list[tuple[str, date, date | None]]] = {
    1: [
        ("Analyse af gennemkørende trafik", date(2021, 6, 30), date(2021, 6, 15)),
        ("Forsøg med lukning af to gader", date(2022, 5, 1), None),
    ],
    3: [("Kortlægning af vareleveringer", date(2021, 9, 1), date(2021, 10, 4))],
    5: [
        ("Midlertidige cykelstier i Skindergade", date(2021, 4, 1), date(2021, 4, 20)),
        ("Evaluering af forsøget", date(2022, 3, 1), date(2022, 3, 14)),
    ],
    7: [("Nye skilte ved indfaldsvejene", date(2020, 10, 1), date(2020, 11, 2))],
}
PROGRESS = {1: 40, 2: 20, 3: 35, 4: 100, 5: 100, 6: 10, 7: 100, 8: 0, 9: 60}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


def load_council(session: Session, users: dict[str, User], today: date) -> None:
    """Handovers and answers for the demo (idempotent: skipped where a handover exists)."""
    body = session.scalar(select(Body).where(Body.name == BODY))
    council = users["council@example.org"]
    if body is None:
        return
    middel = session.scalar(select(Assembly).where(Assembly.slug == c.MIDDELALDERBYEN["slug"]))
    if middel is not None and middel.handover is None:  # type: ignore[attr-defined]
        _middelalderbyen(session, middel, body, council)
    sky = session.scalar(select(Assembly).where(Assembly.slug == overdue.SLUG))
    if sky is not None and sky.handover is None:  # type: ignore[attr-defined]
        _skybrud(session, sky, body, council)


def _middelalderbyen(session: Session, assembly: Assembly, body: Body, council: User) -> None:
    session.add(Handover(assembly=assembly, body=body, handed_over_on=date(2019, 11, 23)))
    for rec in assembly.recommendations:
        answer = rec.answer
        if answer is None or answer.status == AnswerStatus.PENDING or answer.version:
            continue
        answer.decided_by = BODY
        answer.decided_on = MEETING
        answer.journal_number = f"2020-00{rec.number:02d}41 ({ILLUSTRATIVE_NOTE.lower()})"
        answer.vote = f"Vedtaget 11–2 ({ILLUSTRATIVE_NOTE.lower()})"
        if answer.status != AnswerStatus.REJECTED:
            answer.budget_line = BUDGET
        answer.version = 1
        answer.published_at = _at(MEETING)
        version = AnswerVersion(number=1, published_at=_at(MEETING), published_by_id=council.id)
        for name in (
            "status",
            "text",
            "decided_by",
            "decided_on",
            "agenda_url",
            "journal_number",
            "vote",
            "budget_line",
        ):
            setattr(version, name, getattr(answer, name))
        answer.versions.append(version)
        progress = PROGRESS.get(rec.number, 0)
        status = (
            ImplementationStatus.DONE
            if progress == 100
            else ImplementationStatus.STOPPED
            if answer.status == AnswerStatus.REJECTED
            else ImplementationStatus.IN_PROGRESS
            if progress
            else ImplementationStatus.NOT_STARTED
        )
        note = (
            "Forslaget blev ikke vedtaget (illustrativt eksempel)."
            if status == ImplementationStatus.STOPPED
            else ""
        )
        if rec.number == 9:
            # Sub-items: the progress is computed from them (plain average: (100 + 20) / 2).
            answer.items = [
                ImplementationItem(title="Borgerpanel mødes hvert halve år", progress=100),
                ImplementationItem(title="Digital høringsportal", progress=20),
            ]
        answer.implementation, answer.progress = status, progress
        answer.implementation_note = note or None
        answer.updates.append(
            ImplementationUpdate(
                status=status,
                progress=progress,
                note=note,
                author_id=council.id,
                created_at=_at(date(2022, 4, 1)),
            )
        )
        for title, due, done in MILESTONES.get(rec.number, []):
            answer.milestones.append(Milestone(title=title, due_on=due, done_on=done))
    # Two members asked to stay informed after the assembly ended.
    for member in session.scalars(select(Member).where(Member.assembly_id == assembly.id).limit(2)):
        member.stay_informed = True


def _skybrud(session: Session, assembly: Assembly, body: Body, council: User) -> None:
    due = assembly.answer_due or date.today()
    session.add(
        Handover(
            assembly=assembly, body=body, handed_over_on=due - timedelta(weeks=overdue.ANSWER_WEEKS)
        )
    )
    for rec in assembly.recommendations:
        answer = rec.answer
        if answer is None:
            continue
        if answer.status != AnswerStatus.PENDING and not answer.version:
            answer.version = 1
            answer.published_at = _at(answer.decided_on or due)
            version = AnswerVersion(
                number=1, published_at=answer.published_at, published_by_id=council.id
            )
            for name in ("status", "text", "decided_by", "decided_on"):
                setattr(version, name, getattr(answer, name))
            answer.versions.append(version)
        elif rec.number == 2 and answer.draft is None:
            answer.draft = AnswerDraft(
                status=AnswerStatus.INVESTIGATE,
                text="Forvaltningen undersøger, hvor regnvandsbede kan ligge (udkast, demo).",
                decided_by=BODY,
                author_id=council.id,
            )
