"""Phases are data: the phase × feature matrix and the timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.models import Assembly, Phase, PhaseKind
from portal.phases import Feature, allows, current_phase, local_date, timeline

START = date(2026, 1, 1)


def _assembly() -> Assembly:
    assembly = Assembly(
        slug="t",
        title="t",
        remit="?",
        commissioned_by="x",
        operator="y",
        seats=24,
        municipality="z",
    )
    day = START
    for i, kind in enumerate(PhaseKind):
        phase = Phase(id=i + 1, kind=kind, starts_on=day, ends_on=day + timedelta(days=9))
        assembly.phases.append(phase)
        day += timedelta(days=10)
    return assembly


# The rules, written out by hand (not read from PHASE_FEATURES): x = the phase allows the feature.
MATRIX = """
                 register draw forum edit support comment committee council follow_up
recruitment         x      .    .     .     .       .        .        .        .
selection           .      x    .     .     .       .        .        .        .
learning            .      .    x     .     .       .        .        .        .
deliberation        .      .    x     x     .       .        .        .        .
drafting            .      .    x     x     x       .        .        .        .
public_comment      .      .    x     x     x       x        x        .        .
final               .      .    x     x     x       .        .        .        .
council_answer      .      .    .     .     .       .        .        x        .
follow_up           .      .    .     .     .       .        .        x        x
"""
COLUMNS = {
    "register": Feature.REGISTER,
    "draw": Feature.DRAW,
    "forum": Feature.FORUM,
    "edit": Feature.EDIT_RECOMMENDATIONS,
    "support": Feature.SUPPORT,
    "comment": Feature.COMMENT,
    "committee": Feature.COMMITTEE_INPUT,
    "council": Feature.COUNCIL_ANSWER,
    "follow_up": Feature.FOLLOW_UP,
}


def _expected() -> dict[tuple[PhaseKind, Feature], bool]:
    header, *rows = MATRIX.strip("\n").splitlines()
    features = [COLUMNS[name] for name in header.split()]
    expected = {}
    for row in rows:
        kind, *marks = row.split()
        for feature, mark in zip(features, marks, strict=True):
            expected[(PhaseKind(kind), feature)] = mark == "x"
    return expected


EXPECTED = _expected()


def test_the_matrix_covers_every_phase_and_feature() -> None:
    assert set(EXPECTED) == {(kind, feature) for kind in PhaseKind for feature in Feature}


@pytest.mark.parametrize("kind", list(PhaseKind))
@pytest.mark.parametrize("feature", list(Feature))
def test_each_phase_allows_exactly_its_features(kind: PhaseKind, feature: Feature) -> None:
    assembly = _assembly()
    phase = next(p for p in assembly.phases if p.kind == kind)
    for day in (phase.starts_on, phase.starts_on + timedelta(days=3), phase.ends_on):
        assert allows(assembly, feature, day) == EXPECTED[(kind, feature)], (kind, feature, day)


def test_nothing_is_allowed_before_the_first_or_after_the_last_phase() -> None:
    assembly = _assembly()
    assert current_phase(assembly, START - timedelta(days=1)) is None
    for feature in Feature:
        assert not allows(assembly, feature, START - timedelta(days=1))
        assert not allows(assembly, feature, START + timedelta(days=1000))


def test_timeline_marks_done_current_upcoming() -> None:
    assembly = _assembly()
    steps = timeline(assembly, START + timedelta(days=25))
    states = [s.state for s in steps]
    assert states[:3] == ["done", "done", "current"]
    assert set(states[3:]) == {"upcoming"}


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        # Winter (CET, UTC+1): 23:30 UTC is already tomorrow in Copenhagen.
        (datetime(2026, 1, 15, 22, 59, tzinfo=UTC), date(2026, 1, 15)),
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 16)),
        # Summer (CEST, UTC+2): from 22:00 UTC.
        (datetime(2026, 7, 15, 21, 59, tzinfo=UTC), date(2026, 7, 15)),
        (datetime(2026, 7, 15, 22, 30, tzinfo=UTC), date(2026, 7, 16)),
        # The nights the clocks change.
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_local_date_is_copenhagens_calendar_day(instant: datetime, day: date) -> None:
    assert local_date(instant) == day
