"""The council's start page: assemblies handed over to the user's bodies and what is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import (
    Assembly,
    CouncilAnswer,
    Handover,
    Recommendation,
    RecommendationStatus,
    Role,
    User,
)
from .access import body_ids_of
from .handover import overdue_days


@dataclass
class Desk:
    handover: Handover
    assembly: Assembly
    total: int
    answered: int
    drafts: int
    overdue_days: int | None

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def list_desk(session: Session, user: User, today: date) -> list[Desk]:
    """Handovers to the user's bodies (all, for admins), soonest due first, with their counts."""
    query = select(Handover).options(
        selectinload(Handover.assembly)
        .selectinload(Assembly.recommendations)
        .selectinload(Recommendation.answer)
        .selectinload(CouncilAnswer.draft),
        selectinload(Handover.body),
    )
    if Role.ADMIN not in user.roles:
        query = query.where(Handover.body_id.in_(body_ids_of(session, user) or {-1}))
    desks = []
    for handover in session.scalars(query):
        assembly = handover.assembly
        final = [r for r in assembly.recommendations if r.status == RecommendationStatus.FINAL]
        answered = sum(1 for r in final if r.answer is not None and r.answer.version > 0)
        drafts = sum(1 for r in final if r.answer is not None and r.answer.draft is not None)
        late = overdue_days(assembly.answer_due, answered == len(final), today)
        desks.append(Desk(handover, assembly, len(final), answered, drafts, late))
    return sorted(desks, key=lambda d: (d.answered == d.total, d.assembly.answer_due or date.max))
