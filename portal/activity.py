"""Recent public activity across assemblies, for the front page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .models import (
    AnswerStatus,
    Assembly,
    AssemblyStatus,
    CouncilAnswer,
    Meeting,
    Recommendation,
    RecommendationStatus,
)
from .phases import local_date

PUBLIC = (AssemblyStatus.ACTIVE, AssemblyStatus.CONCLUDED)


@dataclass(frozen=True)
class Activity:
    when: date
    kind: str  # "meeting", "recommendation" or "answer"
    assembly: Assembly
    title: str
    number: int | None = None  # the recommendation's number, when about one


def list_recent_activity(session: Session, now: datetime, limit: int = 6) -> list[Activity]:
    """The latest held meetings, published recommendations and council answers, newest first."""
    meetings = session.scalars(
        select(Meeting)
        .join(Assembly)
        .where(Assembly.status.in_(PUBLIC), Meeting.starts_at <= now)
        .options(joinedload(Meeting.assembly))
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
    ).all()
    recs = session.scalars(
        select(Recommendation)
        .join(Assembly)
        .where(Assembly.status.in_(PUBLIC), Recommendation.status != RecommendationStatus.WORKING)
        .options(joinedload(Recommendation.assembly))
        .order_by(Recommendation.updated_at.desc())
        .limit(limit)
    ).all()
    answers = session.scalars(
        select(CouncilAnswer)
        .join(Recommendation)
        .join(Assembly)
        .where(
            Assembly.status.in_(PUBLIC),
            CouncilAnswer.status != AnswerStatus.PENDING,
            CouncilAnswer.decided_on.is_not(None),
        )
        .options(joinedload(CouncilAnswer.recommendation).joinedload(Recommendation.assembly))
        .order_by(CouncilAnswer.decided_on.desc())
        .limit(limit)
    ).all()
    items = [Activity(local_date(m.starts_at), "meeting", m.assembly, m.title) for m in meetings]
    items += [
        Activity(local_date(r.updated_at), "recommendation", r.assembly, r.title, r.number)
        for r in recs
    ]
    items += [
        Activity(
            a.decided_on,
            "answer",
            a.recommendation.assembly,
            a.recommendation.title,
            a.recommendation.number,
        )
        for a in answers
        if a.decided_on is not None
    ]
    items.sort(key=lambda a: datetime.combine(a.when, time.min, UTC), reverse=True)
    return items[:limit]
