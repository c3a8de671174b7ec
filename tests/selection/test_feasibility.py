from __future__ import annotations

from portal.selection.feasibility import check_feasibility
from portal.selection.model import Instance, Person, Quota


def pool(*specs: tuple[str, str, int]) -> tuple[Person, ...]:
    """People from (gender, age, how many) triples."""
    out = []
    for g, a, count in specs:
        out += [Person(str(len(out) + j), {"gender": g, "age": a}) for j in range(count)]
    return tuple(out)


PEOPLE = pool(("f", "young", 5), ("m", "young", 5), ("f", "old", 5), ("m", "old", 5))


def test_feasible_gives_a_panel() -> None:
    quotas = (
        Quota("gender", "f", 2, 3),
        Quota("gender", "m", 2, 3),
        Quota("age", "young", 0, 5),
        Quota("age", "old", 0, 5),
    )
    result = check_feasibility(Instance(PEOPLE, quotas, 5))
    assert result.feasible and result.panel is not None and len(result.panel) == 5


def test_max_sum_below_k_is_explained_with_smallest_relaxation() -> None:
    quotas = (
        Quota("gender", "f", 0, 2),
        Quota("gender", "m", 0, 2),
        Quota("age", "young", 0, 6),
        Quota("age", "old", 0, 6),
    )
    result = check_feasibility(Instance(PEOPLE, quotas, 6))
    assert not result.feasible
    text = result.explanation()
    assert "the maximums for gender add up to 4, fewer than the 6 seats" in text
    assert sum(r.new - r.old for r in result.relaxations) == 2
    assert "raise the maximum for gender" in text


def test_min_sum_above_k_and_pool_shortage() -> None:
    people = pool(("f", "young", 1), ("m", "young", 8), ("m", "old", 3))
    quotas = (
        Quota("gender", "f", 3, 5),
        Quota("gender", "m", 3, 5),
        Quota("age", "young", 0, 5),
        Quota("age", "old", 0, 5),
    )
    result = check_feasibility(Instance(people, quotas, 5))
    assert not result.feasible
    text = result.explanation()
    assert "the minimums for gender add up to 6, more than the 5 seats" in text
    assert "gender f needs at least 3 but only 1 people in the pool have it" in text
    assert "lower the minimum for gender f from 3 to 1" in text


def test_joint_conflict_without_simple_cause() -> None:
    # Each category alone is fine, together they are not: young must be women, but
    # only men are young.
    people = pool(("m", "young", 4), ("f", "old", 4))
    quotas = (
        Quota("gender", "f", 0, 1),
        Quota("gender", "m", 0, 4),
        Quota("age", "young", 0, 4),
        Quota("age", "old", 3, 4),
    )
    result = check_feasibility(Instance(people, quotas, 4))
    assert not result.feasible
    assert "cannot all hold together" in result.explanation()
    assert len(result.relaxations) >= 1


def test_household_shortage() -> None:
    people = tuple(Person(str(i), {"gender": "f"}, ("same street",)) for i in range(4))
    quotas = (Quota("gender", "f", 0, 4),)
    result = check_feasibility(Instance(people, quotas, 2, household_rule=True))
    assert not result.feasible
    assert "only 1 households" in result.explanation()
