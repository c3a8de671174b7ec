"""Phases are data: the phase × feature matrix and the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.models import Assembly, Phase, PhaseKind
from portal.phases import PHASE_FEATURES, Feature, allows, current_phase, timeline

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


@pytest.mark.parametrize("kind", list(PhaseKind))
@pytest.mark.parametrize("feature", list(Feature))
def test_each_phase_allows_exactly_its_features(kind: PhaseKind, feature: Feature) -> None:
    assembly = _assembly()
    phase = next(p for p in assembly.phases if p.kind == kind)
    assert allows(assembly, feature, phase.starts_on + timedelta(days=3)) == (
        feature in PHASE_FEATURES[kind]
    )


def test_expected_rules() -> None:
    assert Feature.COMMENT in PHASE_FEATURES[PhaseKind.PUBLIC_COMMENT]
    assert Feature.COMMENT not in PHASE_FEATURES[PhaseKind.DRAFTING]
    assert Feature.REGISTER in PHASE_FEATURES[PhaseKind.RECRUITMENT]
    assert Feature.COUNCIL_ANSWER not in PHASE_FEATURES[PhaseKind.PUBLIC_COMMENT]
    assert all(PHASE_FEATURES[k] for k in PhaseKind)


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
