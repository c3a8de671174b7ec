"""The timeline as one form: phases of the fixed kinds, no overlaps, gaps allowed and shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import audit, labels
from ..errors import Invalid
from ..models import Assembly, Phase, PhaseKind, User
from . import forms
from .forms import Form

EMPTY_ROWS = 3  # blank rows offered for new phases (the page works without JavaScript)
MAX_ROWS = 40


@dataclass
class PhaseRow:
    index: int
    kind: PhaseKind
    starts_on: date
    ends_on: date
    label: str | None
    label_en: str | None


@dataclass(frozen=True)
class Gap:
    after: Phase
    before: Phase
    days: int


def _describe(kind: PhaseKind, starts_on: date, ends_on: date) -> str:
    return (
        f"{labels.PHASE[kind]} ({format_date(starts_on, 'medium')} – "
        f"{format_date(ends_on, 'medium')})"
    )


def _read_row(form: Form, i: int, errors: dict[str, str]) -> PhaseRow | None:
    prefix = f"phases-{i}-"
    raw_kind = forms.text(form, prefix + "kind")
    blank = not any(forms.text(form, prefix + k) for k in ("starts_on", "ends_on", "label"))
    if form.get(prefix + "delete") or (not raw_kind and blank):
        return None
    if raw_kind not in set(PhaseKind):
        errors[prefix + "kind"] = str(_l("Vælg en fase."))
        return None
    starts_on = forms.day(form, prefix + "starts_on", errors, required=True)
    ends_on = forms.day(form, prefix + "ends_on", errors, required=True)
    if starts_on is None or ends_on is None:
        return None
    if ends_on < starts_on:
        errors[prefix + "ends_on"] = str(_l("Slutdatoen ligger før startdatoen."))
        return None
    return PhaseRow(
        i,
        PhaseKind(raw_kind),
        starts_on,
        ends_on,
        forms.optional(form, prefix + "label"),
        forms.optional(form, prefix + "label_en"),
    )


def parse_timeline(form: Form) -> list[PhaseRow]:
    """Every filled row of the timeline form, checked; overlapping phases are refused by name."""
    errors: dict[str, str] = {}
    count = min(forms.whole_number(form, "rows", 0, MAX_ROWS, {}) or 0, MAX_ROWS)
    rows = [row for i in range(count) if (row := _read_row(form, i, errors)) is not None]
    rows.sort(key=lambda r: (r.starts_on, r.ends_on))
    for i, first in enumerate(rows):
        for second in rows[i + 1 :]:
            if second.starts_on <= first.ends_on:
                errors[f"phases-{second.index}-starts_on"] = str(
                    _l(
                        "%(a)s overlapper %(b)s. Faserne må ikke ligge oven i hinanden.",
                        a=_describe(second.kind, second.starts_on, second.ends_on),
                        b=_describe(first.kind, first.starts_on, first.ends_on),
                    )
                )
    if errors:
        raise Invalid(errors)
    return rows


def save_timeline(
    session: Session, assembly: Assembly, form: Form, actor: User, now: datetime
) -> None:
    """Replace the assembly's phases with the form's rows (all or nothing), as an audit event."""
    rows = parse_timeline(form)
    assembly.phases.clear()
    session.flush()
    for row in rows:
        assembly.phases.append(
            Phase(
                kind=row.kind,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                label=row.label,
                label_en=row.label_en,
            )
        )
    audit.record(
        session,
        "assembly.timeline",
        f"assembly:{assembly.slug}",
        now,
        actor=actor,
        detail="; ".join(f"{r.kind.value} {r.starts_on}–{r.ends_on}" for r in rows),
    )
    session.commit()


def gaps(phases: list[Phase]) -> list[Gap]:
    """Days with no phase between two consecutive phases (allowed, but shown to the secretariat)."""
    ordered = sorted(phases, key=lambda p: p.starts_on)
    return [
        Gap(a, b, (b.starts_on - a.ends_on).days - 1)
        for a, b in zip(ordered, ordered[1:], strict=False)
        if (b.starts_on - a.ends_on).days > 1
    ]


def form_rows(assembly: Assembly, form: Form) -> list[dict[str, str]]:
    """The rows the timeline form shows: what was typed (after an error) or the saved phases."""
    if form:
        count = min(forms.whole_number(form, "rows", 0, MAX_ROWS, {}) or 0, MAX_ROWS)
        keys = ("kind", "starts_on", "ends_on", "label", "label_en")
        return [{k: forms.text(form, f"phases-{i}-{k}") for k in keys} for i in range(count)]
    saved = [
        {
            "kind": p.kind.value,
            "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat(),
            "label": p.label or "",
            "label_en": p.label_en or "",
        }
        for p in sorted(assembly.phases, key=lambda p: p.starts_on)
    ]
    return saved + [dict.fromkeys(("kind", "starts_on", "ends_on", "label", "label_en"), "")] * (
        EMPTY_ROWS
    )
