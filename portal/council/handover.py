"""The handover: the date and receiving body, and the one answer due date computed from it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid
from ..models import (
    Assembly,
    Body,
    CouncilAnswer,
    Handover,
    Recommendation,
    RecommendationStatus,
    User,
)
from ..phases import local_date


def due_date(handed_over_on: date, weeks: int) -> date:
    """The answer is due `weeks` whole weeks of Copenhagen calendar days after the handover day.

    Calendar arithmetic on the local date, so a daylight-saving change never moves the day."""
    return handed_over_on + timedelta(days=7 * weeks)


def overdue_days(due: date | None, answered: bool, today: date) -> int | None:
    """Days the answer is overdue: None while not due (or answered); 1 on the day after the due day."""
    if due is None or answered or today <= due:
        return None
    return (today - due).days


def get_handover(session: Session, assembly: Assembly) -> Handover | None:
    return session.scalar(select(Handover).where(Handover.assembly_id == assembly.id))


def record_handover(
    session: Session,
    assembly: Assembly,
    body_id: int | None,
    handed_over_on: date | None,
    actor: User,
    now: datetime,
) -> Handover:
    """The secretariat records (or corrects) the handover; the due date is set from it once,
    in `assembly.answer_due`, and every final recommendation gets its (empty) answer case."""
    errors: dict[str, str] = {}
    body = session.get(Body, body_id) if body_id else None
    if body is None:
        errors["body_id"] = str(_l("Vælg det udvalg, der modtager anbefalingerne."))
    if handed_over_on is None:
        errors["handed_over_on"] = str(_l("Skriv datoen for overrækkelsen (åååå-mm-dd)."))
    elif handed_over_on > local_date(now):
        errors["handed_over_on"] = str(_l("Overrækkelsen kan ikke ligge i fremtiden."))
    if not assembly.answer_weeks:
        errors["form"] = str(
            _l("Sæt først svarfristen i uger for borgersamlingen (rediger borgersamlingen).")
        )
    if errors or body is None or handed_over_on is None or not assembly.answer_weeks:
        raise Invalid(errors)
    handover = get_handover(session, assembly) or Handover(assembly_id=assembly.id)
    handover.body_id = body.id
    handover.handed_over_on = handed_over_on
    handover.recorded_by_id = actor.id
    session.add(handover)
    assembly.answer_due = due_date(handed_over_on, assembly.answer_weeks)
    recs = session.scalars(
        select(Recommendation).where(
            Recommendation.assembly_id == assembly.id,
            Recommendation.status == RecommendationStatus.FINAL,
        )
    ).all()
    for rec in recs:
        if rec.answer is None:
            rec.answer = CouncilAnswer()
    audit.record(
        session,
        "council.handover",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{body.name} {handed_over_on.isoformat()} due {assembly.answer_due.isoformat()}",
    )
    session.commit()
    return handover
