"""The public tracker: every public recommendation of every assembly with its answer and
implementation; filters, sorting, pages, a summary and a CSV export (a fixed number of queries)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from .. import csvsafe
from ..assemblies import PUBLIC_STATUSES, Page
from ..models import (
    AnswerStatus,
    Assembly,
    Body,
    CouncilAnswer,
    Handover,
    ImplementationStatus,
    Phase,
    Recommendation,
    RecommendationStatus,
)
from ..numbers import parse_int
from .handover import overdue_days

SORTS = ("assembly", "due", "progress", "number")
PENDING = "pending"
CSV_COLUMNS = (
    "assembly",
    "number",
    "title",
    "answer_status",
    "answer_version",
    "due",
    "overdue_days",
    "body",
    "implementation_status",
    "progress",
    "note",
)


@dataclass
class TrackerFilter:
    answer: str = ""  # "pending" or an AnswerStatus value
    implementation: str = ""
    assembly: str = ""  # slug
    body: int | None = None
    year: int | None = None
    overdue: bool = False
    sort: str = "assembly"

    def as_args(self) -> dict[str, Any]:
        """The filter as query arguments (for links and the CSV download)."""
        args: dict[str, Any] = {
            "answer": self.answer,
            "implementation": self.implementation,
            "assembly": self.assembly,
            "body": self.body or "",
            "year": self.year or "",
            "overdue": "1" if self.overdue else "",
            "sort": "" if self.sort == "assembly" else self.sort,
        }
        return {k: v for k, v in args.items() if v}


@dataclass
class Row:
    recommendation: Recommendation
    assembly: Assembly
    answer: CouncilAnswer | None
    body: str | None
    year: int | None
    overdue_days: int | None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.version > 0


@dataclass
class Summary:
    total: int = 0
    answered: int = 0
    overdue: int = 0
    done: int = 0


@dataclass
class Choices:
    assemblies: list[tuple[str, str, str | None]] = field(default_factory=list)  # slug, da, en
    bodies: list[tuple[int, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def parse_filter(args: Mapping[str, str]) -> tuple[TrackerFilter, list[str]]:
    """Read the query arguments; unknown values are dropped and reported, never a crash."""
    problems: list[str] = []
    f = TrackerFilter()
    answer = args.get("answer", "")
    if answer:
        if answer == PENDING or answer in {s.value for s in AnswerStatus}:
            f.answer = answer
        else:
            problems.append(str(_l("Ukendt svarstatus: %(v)s", v=answer)))
    implementation = args.get("implementation", "")
    if implementation:
        if implementation in {s.value for s in ImplementationStatus}:
            f.implementation = implementation
        else:
            problems.append(str(_l("Ukendt status for gennemførelse: %(v)s", v=implementation)))
    f.assembly = (args.get("assembly") or "")[:80]
    for name in ("body", "year"):
        raw = args.get(name, "")
        if raw:
            value = parse_int(raw, minimum=1, maximum=2999)
            if value is None:
                problems.append(str(_l("Ugyldig værdi: %(v)s", v=raw)))
            setattr(f, name, value)
    f.overdue = args.get("overdue", "") in ("1", "on", "true")
    sort = args.get("sort", "")
    if sort in SORTS:
        f.sort = sort
    elif sort:
        problems.append(str(_l("Ukendt sortering: %(v)s", v=sort)))
    return f, problems


def _year() -> Any:
    return (
        select(func.min(Phase.starts_on))
        .where(Phase.assembly_id == Assembly.id)
        .correlate(Assembly)
        .scalar_subquery()
    )


def _answered() -> Any:
    return CouncilAnswer.version > 0


def _overdue(today: date) -> Any:
    return and_(
        Recommendation.status == RecommendationStatus.FINAL,
        Assembly.answer_due.is_not(None),
        Assembly.answer_due < today,
        or_(CouncilAnswer.id.is_(None), not_(_answered())),
    )


def _filtered(query: Select[Any], f: TrackerFilter, today: date) -> Select[Any]:
    query = (
        query.select_from(Recommendation)
        .join(Assembly, Recommendation.assembly_id == Assembly.id)
        .outerjoin(CouncilAnswer, CouncilAnswer.recommendation_id == Recommendation.id)
        .outerjoin(Handover, Handover.assembly_id == Assembly.id)
        .outerjoin(Body, Handover.body_id == Body.id)
        .where(
            Assembly.status.in_(PUBLIC_STATUSES),
            Recommendation.status != RecommendationStatus.WORKING,
        )
    )
    if f.answer == PENDING:
        query = query.where(or_(CouncilAnswer.id.is_(None), not_(_answered())))
    elif f.answer:
        query = query.where(_answered(), CouncilAnswer.status == AnswerStatus(f.answer))
    if f.implementation:
        query = query.where(
            _answered(), CouncilAnswer.implementation == ImplementationStatus(f.implementation)
        )
    if f.assembly:
        query = query.where(Assembly.slug == f.assembly)
    if f.body:
        query = query.where(Handover.body_id == f.body)
    if f.year:
        year = _year()
        query = query.where(year >= date(f.year, 1, 1), year < date(f.year + 1, 1, 1))
    if f.overdue:
        query = query.where(_overdue(today))
    return query


def _ordered(query: Select[Any], f: TrackerFilter) -> Select[Any]:
    if f.sort == "due":
        return query.order_by(
            Assembly.answer_due.is_(None), Assembly.answer_due, Assembly.id, Recommendation.number
        )
    if f.sort == "progress":
        return query.order_by(
            func.coalesce(CouncilAnswer.progress, -1).desc(), Assembly.id, Recommendation.number
        )
    if f.sort == "number":
        return query.order_by(Recommendation.number, Assembly.id)
    return query.order_by(_year().desc(), Assembly.id.desc(), Recommendation.number)


def _rows(session: Session, query: Select[Any], today: date) -> list[Row]:
    rows = []
    for rec, assembly, answer, body, start in session.execute(query).all():
        answered = answer is not None and answer.version > 0
        late = (
            overdue_days(assembly.answer_due, answered, today)
            if rec.status == RecommendationStatus.FINAL
            else None
        )
        rows.append(Row(rec, assembly, answer, body, start.year if start else None, late))
    return rows


def _columns() -> Select[Any]:
    return select(Recommendation, Assembly, CouncilAnswer, Body.name, _year())


def list_rows(
    session: Session, f: TrackerFilter, today: date, page: int = 1, size: int = 25
) -> Page[Row]:
    """One page of the tracker (two queries, whatever the page size)."""
    total = session.scalar(_filtered(select(func.count(Recommendation.id)), f, today)) or 0
    page = max(1, min(page, max(1, -(-total // size))))
    query = _ordered(_filtered(_columns(), f, today), f).limit(size).offset((page - 1) * size)
    return Page(_rows(session, query, today), page, size, total)


def summary(session: Session, f: TrackerFilter, today: date) -> Summary:
    """Counts for the line at the top: all, answered, overdue, done (one query)."""
    answered = case((_answered(), 1), else_=0)
    late = case((_overdue(today), 1), else_=0)
    done = case(
        (and_(_answered(), CouncilAnswer.implementation == ImplementationStatus.DONE), 1),
        else_=0,
    )
    query = _filtered(
        select(
            func.count(Recommendation.id),
            func.coalesce(func.sum(answered), 0),
            func.coalesce(func.sum(late), 0),
            func.coalesce(func.sum(done), 0),
        ),
        f,
        today,
    )
    total, n_answered, n_late, n_done = session.execute(query).one()
    return Summary(int(total), int(n_answered), int(n_late), int(n_done))


def choices(session: Session) -> Choices:
    """What the filter menus offer: public assemblies, receiving bodies, start years."""
    assemblies = session.execute(
        select(Assembly.slug, Assembly.title, Assembly.title_en)
        .where(Assembly.status.in_(PUBLIC_STATUSES))
        .order_by(Assembly.title)
    ).all()
    bodies = session.execute(
        select(Body.id, Body.name)
        .join(Handover, Handover.body_id == Body.id)
        .distinct()
        .order_by(Body.name)
    ).all()
    starts = session.scalars(
        select(func.min(Phase.starts_on))
        .join(Assembly)
        .where(Assembly.status.in_(PUBLIC_STATUSES))
        .group_by(Phase.assembly_id)
    ).all()
    return Choices(
        [(s, t, e) for s, t, e in assemblies],
        [(i, n) for i, n in bodies],
        sorted({s.year for s in starts if s is not None}, reverse=True),
    )


def export_csv(session: Session, f: TrackerFilter, today: date) -> str:
    """Every row the filter selects, semicolon-separated, UTF-8 with BOM (Danish Excel opens it);
    the same columns the bulk update reads back."""
    rows = _rows(session, _ordered(_filtered(_columns(), f, today), f), today)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csvsafe.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        answer = row.answer
        answered = row.answered
        writer.writerow(
            [
                row.assembly.slug,
                row.recommendation.number,
                row.recommendation.title,
                answer.status.value if answer and answered else PENDING,
                answer.version if answer else 0,
                row.assembly.answer_due.isoformat() if row.assembly.answer_due else "",
                row.overdue_days or "",
                row.body or "",
                answer.implementation.value if answer else ImplementationStatus.NOT_STARTED.value,
                answer.progress if answer else 0,
                (answer.implementation_note or "") if answer else "",
            ]
        )
    return out.getvalue()
