"""Queries for the public view of assemblies: lists, one assembly, one recommendation."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import ScalarSelect, Select, and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from .errors import NotFound
from .models import (
    Assembly,
    AssemblyStatus,
    Comment,
    CommentStatus,
    Member,
    MemberStatus,
    MinorityStatement,
    Phase,
    PhaseKind,
    Recommendation,
    RecommendationStatus,
    SupportLevel,
    SupportVote,
)

T = TypeVar("T")
PUBLIC_STATUSES = (AssemblyStatus.ACTIVE, AssemblyStatus.CONCLUDED)


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last and those near this one (None: a gap),
        so that a list of a thousand items does not get a hundred page links."""
        near = range(max(1, self.number - around), min(self.pages, self.number + around) + 1)
        numbers: list[int | None] = []
        previous = 0
        for n in sorted({1, self.pages, *near}):
            if n - previous > 1:
                numbers.append(None)
            numbers.append(n)
            previous = n
        return numbers


@dataclass
class AssemblyFilter:
    phase: PhaseKind | None = None
    status: AssemblyStatus | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.phase or self.status or self.year)


def _public_assemblies() -> Select[Assembly]:
    return select(Assembly).where(Assembly.status.in_(PUBLIC_STATUSES))


def _first_start() -> ScalarSelect[date]:
    return (
        select(func.min(Phase.starts_on))
        .where(Phase.assembly_id == Assembly.id)
        .correlate(Assembly)
        .scalar_subquery()
    )


def list_assemblies(
    session: Session, filters: AssemblyFilter, today: date, page: int = 1, size: int = 10
) -> Page[Assembly]:
    """Public assemblies, newest first, filtered by current phase, status and start year."""
    query = _public_assemblies()
    if filters.status in PUBLIC_STATUSES:
        query = query.where(Assembly.status == filters.status)
    if filters.phase is not None:
        query = query.where(
            exists().where(
                and_(
                    Phase.assembly_id == Assembly.id,
                    Phase.kind == filters.phase,
                    Phase.starts_on <= today,
                    Phase.ends_on >= today,
                )
            )
        )
    if filters.year is not None:
        start = _first_start()
        query = query.where(start >= date(filters.year, 1, 1), start < date(filters.year + 1, 1, 1))
    total = session.scalar(query.with_only_columns(func.count(Assembly.id))) or 0
    page = max(1, page)
    # Sort narrow rows (id and first start), then load only the page's assemblies.
    ids = session.scalars(
        query.with_only_columns(Assembly.id)
        .order_by(_first_start().desc(), Assembly.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    loaded = session.scalars(
        select(Assembly).where(Assembly.id.in_(ids)).options(selectinload(Assembly.phases))
    ).all()
    by_id = {a.id: a for a in loaded}
    return Page([by_id[i] for i in ids], page, size, total)


def list_years(session: Session) -> list[int]:
    """The start years that public assemblies have, newest first (for the filter)."""
    starts = session.scalars(
        select(func.min(Phase.starts_on))
        .join(Assembly)
        .where(Assembly.status.in_(PUBLIC_STATUSES))
        .group_by(Phase.assembly_id)
    ).all()
    return sorted({s.year for s in starts if s is not None}, reverse=True)


def get_assembly(session: Session, slug: str, include_planned: bool = False) -> Assembly:
    """One public assembly with everything its page shows, in a fixed number of queries;
    `include_planned` lets staff preview an assembly that is not public yet."""
    query = select(Assembly) if include_planned else _public_assemblies()
    assembly = session.scalar(
        query.where(Assembly.slug == slug).options(
            selectinload(Assembly.phases),
            selectinload(Assembly.meetings),
            selectinload(Assembly.materials),
            selectinload(Assembly.members),
            selectinload(Assembly.recommendations).selectinload(Recommendation.answer),
            selectinload(Assembly.recommendations)
            .selectinload(Recommendation.minority_statements)
            .selectinload(MinorityStatement.signers),
        )
    )
    if assembly is None:
        raise NotFound(slug)
    return assembly


def public_recommendations(assembly: Assembly) -> list[Recommendation]:
    """Recommendations the public may see (drafts published for comment, and final ones)."""
    return [r for r in assembly.recommendations if r.status != RecommendationStatus.WORKING]


@dataclass
class SupportCounts:
    support: int = 0
    can_live_with: int = 0
    cannot_support: int = 0

    @property
    def total(self) -> int:
        return self.support + self.can_live_with + self.cannot_support


def support_counts(
    session: Session, recommendations: list[Recommendation]
) -> dict[int, SupportCounts]:
    """Support per recommendation: frozen counts when final, live votes otherwise (one query)."""
    counts: dict[int, SupportCounts] = {}
    live_ids = []
    for rec in recommendations:
        if rec.support_count is not None:
            counts[rec.id] = SupportCounts(
                rec.support_count or 0, rec.can_live_with_count or 0, rec.cannot_support_count or 0
            )
        else:
            counts[rec.id] = SupportCounts()
            live_ids.append(rec.id)
    if live_ids:
        rows = session.execute(
            select(SupportVote.recommendation_id, SupportVote.level, func.count())
            .where(SupportVote.recommendation_id.in_(live_ids))
            .group_by(SupportVote.recommendation_id, SupportVote.level)
        ).all()
        for rec_id, level, n in rows:
            setattr(counts[rec_id], SupportLevel(level).value, n)
    return counts


@dataclass
class Composition:
    """How many active members have each value of each category (no individual is shown)."""

    categories: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    active: int = 0


def panel_composition(members: list[Member]) -> Composition:
    active = [m for m in members if m.status == MemberStatus.ACTIVE]
    counters: dict[str, Counter[str]] = {}
    for member in active:
        for category, value in (member.profile or {}).items():
            counters.setdefault(category, Counter())[value] += 1
    return Composition(
        {c: sorted(counter.items()) for c, counter in sorted(counters.items())}, len(active)
    )


@dataclass
class RecommendationView:
    recommendation: Recommendation
    support: SupportCounts
    comment_count: int  # visible comments that start a thread


def get_recommendation(session: Session, assembly: Assembly, number: int) -> RecommendationView:
    """One public recommendation with its support and the number of comment threads on it."""
    rec = next((r for r in public_recommendations(assembly) if r.number == number), None)
    if rec is None:
        raise NotFound(f"{assembly.slug}/{number}")
    threads = session.scalar(
        select(func.count(Comment.id)).where(
            Comment.recommendation_id == rec.id,
            Comment.status == CommentStatus.VISIBLE,
            Comment.parent_id.is_(None),
        )
    )
    return RecommendationView(rec, support_counts(session, [rec])[rec.id], threads or 0)
