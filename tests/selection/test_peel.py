"""The relaxation-led path of LEXIMIN (ADR 0006): relaxed profile, peeling, stage bounds."""

from __future__ import annotations

import numpy as np
import pytest

from portal.selection.feasibility import check_feasibility
from portal.selection.highs import Pricer
from portal.selection.leximin import find_leximin, relaxed_profile
from portal.selection.model import Compiled, Instance, IntArray, Person, Quota, compile_instance
from portal.selection.peel import peel

from .test_leximin import assert_valid, gap_instance


def skewed_pool(n: int = 300, k: int = 30, sizes: tuple[int, ...] = (2, 5, 4, 3)) -> Instance:
    """A pool whose features correlate (two latent groups), quotas near equal shares."""
    rng = np.random.default_rng(7)
    group = rng.integers(0, 2, size=n)
    values = np.empty((n, len(sizes)), dtype=np.int64)
    for c, s in enumerate(sizes):
        for g in (0, 1):
            w = rng.dirichlet(np.full(s, 2.0))
            idx = np.flatnonzero(group == g)
            values[idx, c] = rng.choice(s, size=len(idx), p=w)
    people = tuple(
        Person(str(i), {f"c{c}": f"v{values[i, c]}" for c in range(len(sizes))}) for i in range(n)
    )
    quotas = tuple(
        Quota(f"c{c}", f"v{v}", max(0, k // s - 1), k // s + 2)
        for c, s in enumerate(sizes)
        for v in range(s)
    )
    inst = Instance(people, quotas, k)
    assert check_feasibility(inst).feasible
    return inst


def assert_panel(compiled: Compiled, counts: IntArray) -> None:
    assert (counts >= 0).all() and (counts <= compiled.sizes).all()
    rows = compiled.A @ counts
    assert (rows >= compiled.lb - 1e-9).all() and (rows <= compiled.ub + 1e-9).all()


def test_relaxed_target_is_a_point_of_the_relaxation_with_the_relaxed_levels() -> None:
    compiled = compile_instance(skewed_pool())
    levels, target = relaxed_profile(compiled)
    counts = target * compiled.sizes
    rows = compiled.A @ counts
    assert (rows >= compiled.lb - 1e-6).all() and (rows <= compiled.ub + 1e-6).all()
    assert (target >= levels - 1e-7).all()
    assert counts.sum() == pytest.approx(compiled.instance.k, abs=1e-6)


def test_peeling_mixes_real_panels_to_the_relaxed_target() -> None:
    compiled = compile_instance(skewed_pool())
    _, target = relaxed_profile(compiled)
    panels, probs, left = peel(compiled, target * compiled.sizes, Pricer(compiled))
    assert left <= 1e-8
    assert sum(probs) == pytest.approx(1.0, abs=1e-8)
    for counts in panels:
        assert_panel(compiled, counts)
    mix = np.column_stack([c / compiled.sizes for c in panels]) @ np.array(probs)
    np.testing.assert_allclose(mix, target, atol=1e-8)


def test_peeling_stops_where_the_relaxation_exceeds_the_panels_hull() -> None:
    compiled = compile_instance(gap_instance())
    _, target = relaxed_profile(compiled)
    panels, probs, left = peel(compiled, target * compiled.sizes, Pricer(compiled))
    assert left > 1e-3  # the target promises a seat share no panel mix can give
    assert sum(probs) + left == pytest.approx(1.0, abs=1e-9)
    for counts in panels:
        assert_panel(compiled, counts)


def test_stages_are_certified_by_the_relaxation_without_a_master_lp() -> None:
    dist = find_leximin(skewed_pool())
    assert_valid(dist)
    assert dist.type_distribution.lps == 0  # every stage reached the relaxation's bound
    levels, _ = relaxed_profile(dist.compiled)
    # The relaxation's levels are upper bounds, and the distribution attains them.
    np.testing.assert_allclose(dist.type_distribution.type_probs, levels, atol=1e-7)


def test_a_mix_short_of_a_stage_bound_gets_panels_from_the_master() -> None:
    # Here peeling leaves 1e-4 of the probability: the stages add panels until the mix
    # reaches each relaxed level, which are then attained all the same.
    dist = find_leximin(skewed_pool(150, 20, (2, 3, 4, 2)))
    assert_valid(dist)
    assert dist.type_distribution.lps > 0
    levels, _ = relaxed_profile(dist.compiled)
    np.testing.assert_allclose(dist.type_distribution.type_probs, levels, atol=1e-6)


def test_an_integrality_gap_falls_back_to_the_master_and_exact_pricing() -> None:
    dist = find_leximin(gap_instance())
    assert_valid(dist)
    assert dist.type_distribution.lps > 0


def test_column_generation_stops_when_only_known_panels_price_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A panel already in the master can price out by the LP's tolerance; it adds no
    # column, so the master is optimal and the loop must end (it once spun forever).
    from portal.selection import leximin
    from portal.selection.highs import MasterLP

    compiled = compile_instance(skewed_pool())
    _, target = relaxed_profile(compiled)
    panels, _, _ = peel(compiled, target * compiled.sizes, Pricer(compiled))
    cg = leximin._ColumnGeneration(compiled, panels[:5])
    cg.attach(MasterLP(compiled.n_types))
    monkeypatch.setattr(leximin, "_swap_columns", lambda *args: list(cg.panels))
    monkeypatch.setattr(
        leximin, "_stabilised_pricing", lambda *args: (list(cg.panels), None, np.inf)
    )
    solves = 0
    solve = MasterLP.solve

    def counted(self: MasterLP) -> tuple[float, np.ndarray, np.ndarray, float]:
        nonlocal solves
        solves += 1
        assert solves < 10, "column generation keeps re-solving the same master"
        return solve(self)

    monkeypatch.setattr(MasterLP, "solve", counted)
    cg.run(np.full(compiled.n_types, np.nan))
    assert solves == 1
    assert cg.add(panels[:5]) == 0 and cg.add(panels[5:6]) == 1
