from __future__ import annotations

import pytest

from portal.selection.errors import SelectionInputError
from portal.selection.model import Instance, Person, Quota
from portal.selection.replace import replace_dropouts


def instance(household: bool = False) -> Instance:
    specs = [
        ("f", "1"),
        ("f", "2"),
        ("m", "3"),
        ("m", "4"),
        ("f", "5"),
        ("m", "6"),
        ("f", "1"),
        ("m", "8"),
    ]
    people = tuple(Person(str(i), {"g": g}, (a,)) for i, (g, a) in enumerate(specs))
    quotas = (Quota("g", "f", 2, 2), Quota("g", "m", 2, 2))
    return Instance(people, quotas, 4, household_rule=household)


def test_replacement_keeps_quotas_and_is_reproducible() -> None:
    inst = instance()
    first = replace_dropouts(inst, ["0", "1", "2", "3"], ["1"], seed="abc")
    again = replace_dropouts(inst, ["0", "1", "2", "3"], ["1"], seed="abc")
    assert first.replacements == again.replacements
    assert first.replacements[0] in {"4", "6"}  # a woman, not on the panel
    assert not first.deviations
    # Fair among the eligible: both eligible women get equal chance.
    assert first.probabilities["4"] == pytest.approx(0.5) == first.probabilities["6"]
    picks = {
        replace_dropouts(inst, ["0", "1", "2", "3"], ["1"], seed=str(s)).replacements[0]
        for s in range(20)
    }
    assert picks == {"4", "6"}


def test_declined_and_household_are_excluded() -> None:
    inst = instance(household=True)
    # Person 6 shares address "1" with staying member 0; person 4 declined.
    with pytest.raises(SelectionInputError, match="eligible|relaxed"):
        replace_dropouts(inst, ["0", "1", "2", "3"], ["1"], declined=["4", "5", "7"], seed="x")
    result = replace_dropouts(inst, ["0", "1", "2", "3"], ["1"], declined=["5", "7"], seed="x")
    assert result.replacements == ["4"]


def test_closest_when_quotas_cannot_be_kept() -> None:
    inst = instance()
    result = replace_dropouts(inst, ["0", "1", "2", "3"], ["0", "1"], declined=["4", "6"], seed="x")
    # No woman is left: the panel gets two men and says how far off the quotas it is.
    assert sorted(result.replacements) == ["5", "7"]
    text = [str(d) for d in result.deviations]
    assert "lower the minimum for g f from 2 to 0" in text
    assert "raise the maximum for g m from 2 to 4" in text
    assert result.to_json()["meets_quotas"] is False


def test_unknown_ids_and_non_members() -> None:
    inst = instance()
    with pytest.raises(SelectionInputError, match="unknown id"):
        replace_dropouts(inst, ["0", "1", "2", "99"], ["1"])
    with pytest.raises(SelectionInputError, match="member of the drawn panel"):
        replace_dropouts(inst, ["0", "1", "2", "3"], ["5"])
