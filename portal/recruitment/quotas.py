"""Quotas: the selection categories, their population shares and the panel's min/max per value."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import Invalid, PhaseClosed
from ..models import Assembly, QuotaTarget, Registrant
from ..phases import Feature, allows


def list_quotas(session: Session, assembly: Assembly) -> list[QuotaTarget]:
    return list(
        session.scalars(
            select(QuotaTarget)
            .where(QuotaTarget.assembly_id == assembly.id)
            .order_by(QuotaTarget.position, QuotaTarget.id)
        )
    )


def categories(quotas: list[QuotaTarget]) -> dict[str, list[str]]:
    """Category → its values, in the order the secretariat set them."""
    out: dict[str, list[str]] = {}
    for q in quotas:
        out.setdefault(q.category, []).append(q.value)
    return out


@dataclass
class QuotaRow:
    category: str
    value: str
    population_share: float | None
    min_count: int
    max_count: int


def bounds_from_share(share: float, seats: int) -> tuple[int, int]:
    """Min/max seats for a population share: the proportional number ± a tenth (at least one)."""
    target = share * seats
    slack = max(1, round(0.1 * target))
    return max(0, math.floor(target) - slack), min(seats, math.ceil(target) + slack)


def parse_quota_text(text: str, seats: int) -> list[QuotaRow]:
    """Read `category,value,share,min,max` lines; min/max may be left out to derive them from share."""
    rows: list[QuotaRow] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split(",")]
        if number == 1 and cells[0].lower() in {"category", "kategori"}:
            continue
        if len(cells) < 3 or len(cells) > 5 or not cells[0] or not cells[1]:
            errors.append(
                str(
                    _l(
                        "Linje %(n)d: skriv kategori, værdi, andel og evt. min og max adskilt af komma.",
                        n=number,
                    )
                )
            )
            continue
        try:
            share = (
                float(cells[2].replace("%", "")) / (100 if "%" in cells[2] else 1)
                if cells[2]
                else None
            )
            low, high = (
                (int(cells[3]), int(cells[4]))
                if len(cells) == 5
                else bounds_from_share(share or 0.0, seats)
            )
        except ValueError:
            errors.append(str(_l("Linje %(n)d: andel, min og max skal være tal.", n=number)))
            continue
        if share is not None and not 0 <= share <= 1:
            errors.append(
                str(
                    _l(
                        "Linje %(n)d: andelen skal være mellem 0 og 1 (eller 0 %% og 100 %%).",
                        n=number,
                    )
                )
            )
        if low < 0 or high < low or high > seats:
            errors.append(
                str(
                    _l(
                        "Linje %(n)d: min skal være mindst 0 og højst max, og max højst %(k)d.",
                        n=number,
                        k=seats,
                    )
                )
            )
        if len(cells[0]) > 80 or len(cells[1]) > 120:
            errors.append(
                str(_l("Linje %(n)d: kategori højst 80 tegn, værdi højst 120 tegn.", n=number))
            )
            continue
        if (cells[0], cells[1]) in seen:
            errors.append(
                str(
                    _l(
                        "Linje %(n)d: %(c)s = %(v)s står to gange.",
                        n=number,
                        c=cells[0],
                        v=cells[1],
                    )
                )
            )
        seen.add((cells[0], cells[1]))
        rows.append(QuotaRow(cells[0], cells[1], share, low, high))
    if not rows and not errors:
        errors.append(str(_l("Skriv mindst én kategori med værdier.")))
    if errors:
        raise Invalid({"quotas": " ".join(errors)})
    return rows


def quota_targets(assembly: Assembly, rows: list[QuotaRow]) -> list[QuotaTarget]:
    """Unsaved quota rows, e.g. for checking a draft against the pool."""
    return [
        QuotaTarget(
            assembly_id=assembly.id,
            category=r.category,
            value=r.value,
            position=i,
            population_share=r.population_share,
            min_count=r.min_count,
            max_count=r.max_count,
        )
        for i, r in enumerate(rows)
    ]


def save_quotas(session: Session, assembly: Assembly, text: str, today: date) -> list[QuotaTarget]:
    """Replace the assembly's quotas (only during recruitment and selection)."""
    if not (allows(assembly, Feature.REGISTER, today) or allows(assembly, Feature.DRAW, today)):
        raise PhaseClosed(str(_l("Kvoterne kan kun ændres under rekruttering og lodtrækning.")))
    rows = parse_quota_text(text, assembly.seats)
    session.execute(delete(QuotaTarget).where(QuotaTarget.assembly_id == assembly.id))
    quotas = quota_targets(assembly, rows)
    session.add_all(quotas)
    session.commit()
    return quotas


def quota_text(quotas: list[QuotaTarget]) -> str:
    lines = ["category,value,share,min,max"]
    for q in quotas:
        share = "" if q.population_share is None else f"{q.population_share:.4g}"
        lines.append(f"{q.category},{q.value},{share},{q.min_count},{q.max_count}")
    return "\n".join(lines)


def pool_problem(quotas: list[QuotaTarget], people: list[Registrant]) -> str | None:
    """Why these quotas cannot be checked against this pool (empty pool, answers they lack), or None."""
    if not people:
        return str(_l("Puljen er tom: ingen har meldt sig endnu."))
    known = categories(quotas)
    unknown: dict[tuple[str, str], int] = {}
    for person in people:
        for category, values in known.items():
            answer = person.answers.get(category, "")
            if answer not in values:
                unknown[(category, answer)] = unknown.get((category, answer), 0) + 1
    if not unknown:
        return None
    unanswered = str(_l("(ikke besvaret)"))
    listed = "; ".join(
        f"{category} = {answer or unanswered} ({count})"
        for (category, answer), count in sorted(unknown.items())
    )
    return str(
        _l(
            "Kvoterne passer ikke til puljen: nogle tilmeldte har svar, som kvoterne ikke nævner "
            "(antal i parentes): %(list)s. Tilføj en linje for hver værdi, evt. med min 0.",
            list=listed,
        )
    )
