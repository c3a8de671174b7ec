"""Implementation: status (a reason when stopped), progress, dated milestones, sub-items whose
progress rolls up (computed, never typed), and an immutable history of updates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import audit
from ..backoffice import forms
from ..errors import Invalid, NotFound
from ..models import (
    Assembly,
    CouncilAnswer,
    ImplementationItem,
    ImplementationStatus,
    ImplementationUpdate,
    Milestone,
    User,
)
from . import notify


def rollup(items: Sequence[ImplementationItem]) -> int | None:
    """The progress of sub-items rolled up: weighted when any weight is set (missing weights
    count 1), a plain average otherwise; None without sub-items. Rounded half up."""
    if not items:
        return None
    weighted = any(i.weight is not None for i in items)
    weights = [(i.weight if i.weight is not None else 1) if weighted else 1 for i in items]
    total = sum(weights)
    if total == 0:
        return 0
    share = sum(w * i.progress for w, i in zip(weights, items, strict=True))
    return (2 * share + total) // (2 * total)


def check_update(
    answer: CouncilAnswer, status: str, progress: str | int | None, note: str
) -> tuple[dict[str, str], ImplementationStatus | None, int | None]:
    """Validate one update (shared by the form and the CSV import); messages per field."""
    errors: dict[str, str] = {}
    parsed: ImplementationStatus | None = None
    try:
        parsed = ImplementationStatus(status)
    except ValueError:
        errors["implementation"] = str(
            _l(
                "Ukendt status «%(v)s» (brug not_started, in_progress, done eller stopped).",
                v=status,
            )
        )
    computed = rollup(answer.items)
    value: int | None = None
    raw = str(progress).strip() if progress is not None else ""
    if computed is not None:
        if raw and raw != str(computed):
            errors["progress"] = str(
                _l(
                    "Fremdriften beregnes af delopgaverne (%(p)d %%) og kan ikke skrives.",
                    p=computed,
                )
            )
        value = computed
    elif raw.isdigit() and int(raw) <= 100:
        value = int(raw)
    else:
        errors["progress"] = str(_l("Fremdrift skal være et helt tal fra 0 til 100."))
    if parsed == ImplementationStatus.STOPPED and not note.strip():
        errors["note"] = str(_l("Skriv hvorfor arbejdet er stoppet."))
    if (
        parsed == ImplementationStatus.DONE
        and value is not None
        and value != 100
        and computed is None
    ):
        errors["progress"] = str(_l("En gennemført anbefaling har fremdrift 100 %."))
    if len(note) > 5000:
        errors["note"] = str(_l("Højst %(n)d tegn.", n=5000))
    return errors, parsed, value


def apply_update(
    answer: CouncilAnswer,
    status: ImplementationStatus,
    progress: int,
    note: str,
    actor: User,
    now: datetime,
) -> bool:
    """Set the current state and add a history row; True when the status changed."""
    changed = answer.implementation != status
    answer.implementation = status
    answer.progress = progress
    answer.implementation_note = note or None
    answer.updates.append(
        ImplementationUpdate(
            status=status, progress=progress, note=note, author_id=actor.id, created_at=now
        )
    )
    return changed


def update_implementation(
    session: Session,
    assembly: Assembly,
    answer: CouncilAnswer,
    form: Mapping[str, str],
    actor: User,
    now: datetime,
) -> None:
    """Record an implementation update; followers hear when the status changed."""
    note = forms.text(form, "note")
    errors, status, progress = check_update(
        answer, forms.text(form, "implementation"), form.get("progress"), note
    )
    if errors or status is None or progress is None:
        raise Invalid(errors)
    if apply_update(answer, status, progress, note, actor, now):
        notify.implementation_changed(session, assembly, answer.recommendation)
    audit.record(
        session,
        "council.implementation",
        f"recommendation {answer.recommendation_id}",
        now,
        actor=actor,
        detail=f"{status} {progress}%",
    )
    session.commit()


def add_milestone(
    session: Session, answer: CouncilAnswer, form: Mapping[str, str], actor: User, now: datetime
) -> Milestone:
    """A dated step of the work (a title and a date; done on a date when reached)."""
    errors: dict[str, str] = {}
    title = forms.text(form, "title")
    if not title or len(title) > 200:
        errors["title"] = str(_l("Skriv en kort titel (højst 200 tegn)."))
    due = forms.day(form, "due_on", errors, required=True)
    done = forms.day(form, "done_on", errors)
    if errors or due is None:
        raise Invalid(errors)
    milestone = Milestone(title=title, due_on=due, done_on=done)
    answer.milestones.append(milestone)
    session.commit()
    return milestone


def complete_milestone(
    session: Session, answer: CouncilAnswer, milestone_id: int, form: Mapping[str, str]
) -> None:
    """Mark a milestone reached on a date."""
    milestone = next((m for m in answer.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise NotFound(str(milestone_id))
    errors: dict[str, str] = {}
    done = forms.day(form, "done_on", errors, required=True)
    if errors:
        raise Invalid(errors)
    milestone.done_on = done
    session.commit()


def add_item(
    session: Session, answer: CouncilAnswer, form: Mapping[str, str], actor: User, now: datetime
) -> ImplementationItem:
    """A sub-item; from now on the recommendation's progress is computed from its sub-items."""
    errors: dict[str, str] = {}
    title = forms.text(form, "item_title")
    if not title or len(title) > 200:
        errors["item_title"] = str(_l("Skriv en kort titel (højst 200 tegn)."))
    weight = forms.whole_number(form, "weight", 1, 1000, errors, required=False)
    progress = forms.whole_number(form, "item_progress", 0, 100, errors)
    if errors or progress is None:
        raise Invalid(errors)
    item = ImplementationItem(title=title, weight=weight, progress=progress)
    answer.items.append(item)
    _recompute(answer, actor, now)
    session.commit()
    return item


def set_item_progress(
    session: Session,
    answer: CouncilAnswer,
    item_id: int,
    form: Mapping[str, str],
    actor: User,
    now: datetime,
) -> None:
    """Update one sub-item's progress; the recommendation's progress follows."""
    item = next((i for i in answer.items if i.id == item_id), None)
    if item is None:
        raise NotFound(str(item_id))
    errors: dict[str, str] = {}
    progress = forms.whole_number(form, "item_progress", 0, 100, errors)
    if errors or progress is None:
        raise Invalid(errors)
    item.progress = progress
    _recompute(answer, actor, now)
    session.commit()


def _recompute(answer: CouncilAnswer, actor: User, now: datetime) -> None:
    computed = rollup(answer.items)
    if computed is not None and computed != answer.progress:
        apply_update(
            answer, answer.implementation, computed, answer.implementation_note or "", actor, now
        )
