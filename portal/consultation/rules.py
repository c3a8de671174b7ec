"""Who may post and when: a verified e-mail address, and a phase that allows the input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ..errors import Forbidden, PhaseClosed
from ..models import Assembly, Phase, User
from ..people.residents import can_post
from ..phases import PHASE_FEATURES, Feature, allows, current_phase


def round_still_open(assembly: Assembly, phase_id: int | None, today: date) -> bool:
    """Whether the round an input was written in (its phase) is still open on `today`."""
    phase = next((p for p in assembly.phases if p.id == phase_id), None)
    return phase is not None and phase.starts_on <= today <= phase.ends_on


def require_can_post(user: User) -> None:
    if not can_post(user):
        raise Forbidden(str(_l("Bekræft din e-mailadresse, før du skriver.")))


@dataclass(frozen=True)
class Window:
    """Whether input of one kind is accepted today, and the dates a form tells the reader."""

    open: bool
    phase: Phase | None  # the open round (a public-comment phase)
    closes_on: date | None  # the open round's last day
    closed_on: date | None  # when closed: the last day of the latest round that has ended
    opens_on: date | None  # when closed: the first day of the next round, if one is planned


def window(assembly: Assembly, feature: Feature, today: date) -> Window:
    """The comment (or committee-input) window of the assembly on `today`."""
    rounds = sorted(
        (p for p in assembly.phases if feature in PHASE_FEATURES[p.kind]),
        key=lambda p: p.starts_on,
    )
    if allows(assembly, feature, today):
        phase = current_phase(assembly, today)
        return Window(True, phase, phase.ends_on if phase else None, None, None)
    ended = [p.ends_on for p in rounds if p.ends_on < today]
    upcoming = [p.starts_on for p in rounds if p.starts_on > today]
    return Window(False, None, None, max(ended) if ended else None, min(upcoming, default=None))


def require_open(assembly: Assembly, feature: Feature, today: date) -> Phase:
    """The open round's phase, or PhaseClosed saying when input closed (or when it opens)."""
    found = window(assembly, feature, today)
    if found.open and found.phase is not None:
        return found.phase
    if found.closed_on is not None:
        raise PhaseClosed(
            str(
                _l(
                    "Høringsperioden sluttede %(date)s. Der kan ikke længere skrives input.",
                    date=format_date(found.closed_on, "long"),
                )
            )
        )
    raise PhaseClosed(str(_l("Der er ikke åbent for input til denne borgersamling nu.")))
