"""Phases are data: what each phase allows, and where an assembly is on its timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from .models import Assembly, Phase, PhaseKind


class Feature(StrEnum):
    REGISTER = "register"  # residents sign up for the lottery
    DRAW = "draw"  # the secretariat runs the sortition
    FORUM = "forum"  # members deliberate
    EDIT_RECOMMENDATIONS = "edit_recommendations"
    SUPPORT = "support"  # members state support on the consent scale
    COMMENT = "comment"  # residents comment on published drafts
    COMMITTEE_INPUT = "committee_input"  # local committees' formal input
    COUNCIL_ANSWER = "council_answer"
    FOLLOW_UP = "follow_up"  # implementation updates


PHASE_FEATURES: dict[PhaseKind, frozenset[Feature]] = {
    PhaseKind.RECRUITMENT: frozenset({Feature.REGISTER}),
    PhaseKind.SELECTION: frozenset({Feature.DRAW}),
    PhaseKind.LEARNING: frozenset({Feature.FORUM}),
    PhaseKind.DELIBERATION: frozenset({Feature.FORUM, Feature.EDIT_RECOMMENDATIONS}),
    PhaseKind.DRAFTING: frozenset({Feature.FORUM, Feature.EDIT_RECOMMENDATIONS, Feature.SUPPORT}),
    # Members keep revising in the workspace while the public comments on the published draft;
    # the public sees only published versions, so this changes nothing they read.
    PhaseKind.PUBLIC_COMMENT: frozenset(
        {
            Feature.FORUM,
            Feature.COMMENT,
            Feature.COMMITTEE_INPUT,
            Feature.SUPPORT,
            Feature.EDIT_RECOMMENDATIONS,
        }
    ),
    PhaseKind.FINAL: frozenset({Feature.FORUM, Feature.EDIT_RECOMMENDATIONS, Feature.SUPPORT}),
    PhaseKind.COUNCIL_ANSWER: frozenset({Feature.COUNCIL_ANSWER}),
    PhaseKind.FOLLOW_UP: frozenset({Feature.COUNCIL_ANSWER, Feature.FOLLOW_UP}),
}


# Phase dates are Danish calendar days: every rule that asks "which day is it" asks Copenhagen.
LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def local_date(now: datetime) -> date:
    """The calendar day in Copenhagen at the (timezone-aware) instant `now`."""
    return now.astimezone(LOCAL_ZONE).date()


def current_phase(assembly: Assembly, today: date) -> Phase | None:
    """The phase whose dates hold today; after the last phase, the last one; before all, None."""
    phases = sorted(assembly.phases, key=lambda p: p.starts_on)
    current: Phase | None = None
    for phase in phases:
        if phase.starts_on <= today:
            current = phase
    return current


def allows(assembly: Assembly, feature: Feature, today: date) -> bool:
    """True when the assembly's phase today permits the feature."""
    phase = current_phase(assembly, today)
    if phase is None or today > phase.ends_on:
        return False
    return feature in PHASE_FEATURES[phase.kind]


@dataclass(frozen=True)
class TimelineStep:
    phase: Phase
    state: str  # "done", "current" or "upcoming"


def timeline(assembly: Assembly, today: date) -> list[TimelineStep]:
    """Every phase with whether it is done, under way or still to come."""
    now = current_phase(assembly, today)
    steps = []
    for phase in sorted(assembly.phases, key=lambda p: p.starts_on):
        if now is not None and phase.id == now.id and today <= phase.ends_on:
            state = "current"
        elif phase.ends_on < today:
            state = "done"
        else:
            state = "upcoming"
        steps.append(TimelineStep(phase, state))
    return steps
