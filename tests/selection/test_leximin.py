from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from portal.selection.feasibility import check_feasibility
from portal.selection.leximin import Distribution, find_leximin, relaxed_profile
from portal.selection.model import Instance, Person, Quota, compile_instance

from .conftest import shared_instance

PUBLISHED_MIN = 0.100  # reference_output/example_*_statistics.txt: "LEXIMIN minimum ... 10.0%"


def assert_valid(dist: Distribution) -> None:
    """Marginals sum to k and every support panel meets each quota and the household rule."""
    inst = dist.instance
    assert dist.marginals.sum() == pytest.approx(inst.k, abs=1e-6)
    assert sum(p for _, p in dist.panels) == pytest.approx(1.0, abs=1e-9)
    for members, _ in dist.panels:
        people = [inst.people[i] for i in members]
        assert len(set(members)) == inst.k
        for q in inst.quotas:
            have = sum(1 for p in people if p.features[q.category] == q.value)
            assert q.min <= have <= q.max
        if inst.household_rule:
            addresses = [p.address for p in people]
            assert len(set(addresses)) == len(addresses)


@pytest.mark.parametrize(("name", "k"), [("example_small_20", 20), ("example_large_200", 200)])
def test_published_instances_reach_ten_percent(name: str, k: int) -> None:
    dist = find_leximin(shared_instance(name, k))
    assert abs(dist.min_probability - PUBLISHED_MIN) < 1e-6
    assert np.allclose(dist.marginals, 0.1, atol=1e-6)  # the paper: everyone can get 10%
    assert_valid(dist)


def brute_force_leximin(inst: Instance) -> np.ndarray:
    """LEXIMIN by enumerating every feasible panel; an agent is fixed when it cannot exceed z."""
    n = len(inst.people)
    panels = []
    for combo in itertools.combinations(range(n), inst.k):
        people = [inst.people[i] for i in combo]
        ok = all(
            q.min <= sum(p.features[q.category] == q.value for p in people) <= q.max
            for q in inst.quotas
        )
        if inst.household_rule:
            addrs = [p.address for p in people]
            ok = ok and len(set(addrs)) == len(addrs)
        if ok:
            col = np.zeros(n)
            col[list(combo)] = 1
            panels.append(col)
    M = np.column_stack(panels)  # agents x panels
    m = M.shape[1]
    fixed = np.full(n, np.nan)
    while np.isnan(fixed).any():
        free = np.isnan(fixed)
        # max z  s.t. M p >= z on free agents, M p >= fixed on fixed agents, sum p = 1
        a_ub = np.hstack([-M, free[:, None].astype(float)])
        b_ub = np.where(free, 0.0, -np.nan_to_num(fixed) + 1e-9)
        eq = np.concatenate([np.ones(m), [0.0]])[None, :]
        c = np.zeros(m + 1)
        c[-1] = -1
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=eq, b_eq=[1], bounds=[(0, None)] * m + [(None, None)]
        )
        z = res.x[-1]
        for i in np.flatnonzero(free):
            # Can agent i do better than z while every free agent keeps z?
            b2 = np.where(free, -(z - 1e-9), -np.nan_to_num(fixed) + 1e-9)
            a2 = -M
            obj = -M[i]
            r2 = linprog(
                obj, A_ub=a2, b_ub=b2, A_eq=np.ones((1, m)), b_eq=[1], bounds=[(0, None)] * m
            )
            if -r2.fun <= z + 1e-7:
                fixed[i] = z
    return np.sort(fixed)


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    """A random pool and quotas that some panel meets: the first k people (the witness) always
    do, since every quota's range is drawn around the witness's own count (and, with the
    household rule, the witness lives at k different addresses). So every example is checked."""
    n = draw(st.integers(3, 12))
    k = draw(st.integers(1, n - 1))
    # A third category makes the quota matrix non-unimodular: integrality gaps occur.
    cats = {"g": ["a", "b"], "h": ["x", "y", "z"], "e": ["p", "q"]}
    people = []
    households = draw(st.booleans())
    for i in range(n):
        feats = {c: draw(st.sampled_from(v)) for c, v in cats.items()}
        if not households:
            addr = None
        elif i < k:
            addr = (f"w{i}",)  # the witness: one person per address
        else:
            addr = (draw(st.sampled_from([f"w{j}" for j in range(k)] + ["o1", "o2"])),)
        people.append(Person(str(i), feats, addr))
    witness = people[:k]
    quotas = []
    for c, values in cats.items():
        for v in values:
            have = sum(1 for p in witness if p.features[c] == v)
            lo = draw(st.integers(0, have))
            hi = draw(st.integers(have, k))
            quotas.append(Quota(c, v, lo, hi))
    return Instance(tuple(people), tuple(quotas), k, household_rule=households)


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(small_instances())
def test_leximin_profile_equals_brute_force(inst: Instance) -> None:
    assert check_feasibility(inst).feasible  # by construction: no example is skipped
    dist = find_leximin(inst)
    assert_valid(dist)
    expected = brute_force_leximin(inst)
    np.testing.assert_allclose(np.sort(dist.marginals), expected, atol=1e-6)


def test_household_rule_is_respected() -> None:
    # Two couples and singles: at most one per address, and the couples' members split it.
    people = tuple(
        Person(str(i), {"g": g}, (addr,))
        for i, (g, addr) in enumerate(
            [("a", "1"), ("b", "1"), ("a", "2"), ("b", "2"), ("a", "3"), ("a", "4")]
        )
    )
    quotas = (Quota("g", "a", 1, 2), Quota("g", "b", 1, 2))
    inst = Instance(people, quotas, 3, household_rule=True)
    dist = find_leximin(inst)
    assert_valid(dist)
    np.testing.assert_allclose(np.sort(dist.marginals), brute_force_leximin(inst), atol=1e-6)
    assert dist.compiled.n_types == 5  # address sharers stay apart; the two singles merge


def gap_instance() -> Instance:
    """Eight people, two seats, three categories: the LP relaxation promises everyone 20%,
    but one person cannot be on any panel meeting the quotas."""
    rows = ["byp", "ayp", "ayq", "bxp", "byp", "axq", "bxq", "axp"]
    people = tuple(Person(str(i), {"g": r[0], "h": r[1], "e": r[2]}) for i, r in enumerate(rows))
    quotas = (
        Quota("g", "a", 1, 2),
        Quota("g", "b", 1, 1),
        Quota("h", "x", 0, 1),
        Quota("h", "y", 0, 1),
        Quota("e", "p", 1, 2),
        Quota("e", "q", 1, 2),
    )
    return Instance(people, quotas, 2)


def test_relaxed_profile_bounds_leximin_and_gaps_fall_back_to_exact_pricing() -> None:
    inst = gap_instance()
    compiled = compile_instance(inst)
    relaxed = np.sort(compiled.person_vector(relaxed_profile(compiled)[0]))
    expected = brute_force_leximin(inst)
    assert relaxed[0] == pytest.approx(0.2, abs=1e-7)  # the relaxation's (unattainable) promise
    assert expected[0] == pytest.approx(0.0, abs=1e-7)
    dist = find_leximin(inst)
    assert_valid(dist)
    np.testing.assert_allclose(np.sort(dist.marginals), expected, atol=1e-6)


@pytest.mark.parametrize(("name", "k"), [("example_small_20", 20), ("example_large_200", 200)])
def test_relaxed_profile_is_attained_on_the_published_instances(name: str, k: int) -> None:
    dist = find_leximin(shared_instance(name, k))
    relaxed = dist.compiled.person_vector(relaxed_profile(dist.compiled)[0])
    np.testing.assert_allclose(relaxed, dist.marginals, atol=1e-6)
