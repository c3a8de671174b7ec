"""Bulk implementation updates from a CSV in the tracker's own export format: every line is
checked first, and nothing is applied unless every line is valid (all or nothing)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..errors import Invalid
from ..models import (
    Assembly,
    CouncilAnswer,
    Handover,
    ImplementationStatus,
    Recommendation,
    RecommendationStatus,
    User,
)
from . import implementation, notify
from .access import may_answer

REQUIRED = ("assembly", "number", "implementation_status", "progress", "note")
MAX_BYTES = 2_000_000


class ImportRefused(Invalid):
    """The file was refused; `lines` holds one message per bad line (nothing was applied)."""

    def __init__(self, lines: list[str]):
        super().__init__({"file": str(_l("Intet er ændret. Ret linjerne og prøv igen."))})
        self.lines = lines


@dataclass
class Change:
    recommendation: Recommendation
    answer: CouncilAnswer
    assembly: Assembly
    status: ImplementationStatus
    progress: int
    note: str


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Invalid({"file": str(_l("Filen er for stor (højst 2 MB)."))})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            {"file": str(_l("Filen skal være gemt som UTF-8 (CSV UTF-8 i Excel)."))}
        ) from None


def _load(session: Session, keys: set[tuple[str, int]]) -> dict[tuple[str, int], Recommendation]:
    slugs = {slug for slug, _n in keys}
    recs = session.scalars(
        select(Recommendation)
        .join(Assembly)
        .where(Assembly.slug.in_(slugs), Recommendation.status == RecommendationStatus.FINAL)
        .options(
            selectinload(Recommendation.assembly),
            selectinload(Recommendation.answer).selectinload(CouncilAnswer.items),
        )
    ).all()
    return {(r.assembly.slug, r.number): r for r in recs}


def import_updates(session: Session, data: bytes, actor: User, now: datetime) -> int:
    """Apply every changed line, or none: Invalid lists each bad line by its number."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(
            {
                "file": str(
                    _l(
                        "Kolonner mangler: %(c)s. Brug trackerens CSV-eksport som skabelon.",
                        c=", ".join(missing),
                    )
                )
            }
        )
    lines = list(reader)
    if not lines:
        raise Invalid({"file": str(_l("Filen har ingen linjer."))})
    keys = set()
    for line in lines:
        number = (line.get("number") or "").strip()
        if number.isdigit():
            keys.add(((line.get("assembly") or "").strip(), int(number)))
    found = _load(session, keys)
    handovers = {
        h.assembly_id: h
        for h in session.scalars(
            select(Handover).where(
                Handover.assembly_id.in_({r.assembly_id for r in found.values()})
            )
        )
    }
    problems: list[str] = []
    changes: list[Change] = []
    for index, line in enumerate(lines, start=2):  # line 1 is the header
        slug = (line.get("assembly") or "").strip()
        number = (line.get("number") or "").strip()
        rec = found.get((slug, int(number))) if number.isdigit() else None
        if rec is None:
            problems.append(
                str(
                    _l(
                        "Linje %(i)d: anbefaling %(s)s/%(n)s findes ikke (eller er ikke endelig).",
                        i=index,
                        s=slug,
                        n=number,
                    )
                )
            )
            continue
        if not may_answer(session, actor, handovers.get(rec.assembly_id)):
            problems.append(
                str(_l("Linje %(i)d: du må ikke opdatere anbefalinger fra %(s)s.", i=index, s=slug))
            )
            continue
        answer = rec.answer or CouncilAnswer()  # attached only when the file is applied
        note = (line.get("note") or "").strip()
        errors, status, progress = implementation.check_update(
            answer, (line.get("implementation_status") or "").strip(), line.get("progress"), note
        )
        if errors or status is None or progress is None:
            problems.extend(str(_l("Linje %(i)d: %(m)s", i=index, m=m)) for m in errors.values())
            continue
        if (status, progress, note) != (
            answer.implementation,
            answer.progress,
            answer.implementation_note or "",
        ):
            changes.append(Change(rec, answer, rec.assembly, status, progress, note))
    if problems:  # nothing was changed in the session: the request ends without a commit
        raise ImportRefused(problems)
    for change in changes:
        change.recommendation.answer = change.answer
        if implementation.apply_update(
            change.answer, change.status, change.progress, change.note, actor, now
        ):
            notify.implementation_changed(session, change.assembly, change.answer.recommendation)
    audit.record(
        session,
        "council.csv_import",
        "implementation",
        now,
        actor=actor,
        detail=f"{len(changes)} of {len(lines)} lines changed",
    )
    session.commit()
    return len(changes)
