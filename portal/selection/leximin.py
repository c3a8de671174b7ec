"""LEXIMIN selection probabilities by column generation (Flanigan et al., Nature 2021), on types."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from .errors import InfeasibleError
from .feasibility import best_panel, check_feasibility
from .model import Compiled, FloatArray, Instance, IntArray, compile_instance
from .pricing import SwapSearch

# Stated tolerances. Column generation stops once no panel improves the master by more
# than PRICE_TOL; a type is fixed at a stage's level only if its dual weight exceeds
# DUAL_TOL *and* its probability is within TIGHT_TOL of that level (complementary slackness).
PRICE_TOL = 1e-9
DUAL_TOL = 1e-7
TIGHT_TOL = 1e-7
FIX_SLACK = 1e-7  # fixed levels are kept as ">= level - FIX_SLACK": the LP's own tolerance
LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
LP_METHOD = "highs"  # HiGHS picks dual simplex: basic (vertex) duals for the fixing rule

Progress = Callable[[str], None]


@dataclass
class TypeDistribution:
    """Probabilities over type-count panels, and the resulting probability of each type."""

    counts: list[IntArray]
    probs: FloatArray
    type_probs: FloatArray
    stages: int
    lps: int


@dataclass
class Distribution:
    """LEXIMIN result per person: marginals, concrete panels (person indices) with probabilities."""

    instance: Instance
    marginals: FloatArray
    panels: list[tuple[tuple[int, ...], float]]
    type_distribution: TypeDistribution
    compiled: Compiled
    seconds: float

    @property
    def min_probability(self) -> float:
        return float(self.marginals.min())


def _master(cols: FloatArray, fixed: FloatArray) -> tuple[float, FloatArray, FloatArray, float]:
    """Max z: every unfixed type >= z, every fixed type >= its level; returns z, p, duals, mu."""
    n_types, n_panels = cols.shape
    unfixed = np.isnan(fixed)
    a_ub = np.hstack([-cols, unfixed.astype(np.float64)[:, None]])
    b_ub = np.where(unfixed, 0.0, -(np.nan_to_num(fixed) - FIX_SLACK))
    a_eq = np.concatenate([np.ones(n_panels), [0.0]])[None, :]
    obj = np.zeros(n_panels + 1)
    obj[-1] = -1.0
    bounds = [(0.0, None)] * n_panels + [(None, None)]
    # Default HiGHS settings were fastest on the benchmark shapes; tighter tolerances are the
    # fallback if it reports a non-optimal status on a degenerate master.
    for method, options in ((LP_METHOD, {}), ("highs-ipm", LP_OPTIONS), ("highs-ds", LP_OPTIONS)):
        res = linprog(
            obj,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=[1.0],
            bounds=bounds,
            method=method,
            options=options,
        )
        if res.status == 0:
            break
    else:
        raise RuntimeError(f"HiGHS LP failed: {res.message}")
    y = np.maximum(-res.ineqlin.marginals, 0.0)
    mu = float(-res.eqlin.marginals[0])
    return float(res.x[-1]), res.x[:-1], y, mu


def _initial_panels(compiled: Compiled, search: SwapSearch, rounds: int) -> list[IntArray]:
    """Diverse starting panels: one MILP panel, then swap-search optima for random weights."""
    found = best_panel(compiled, np.ones(compiled.n_types) / compiled.sizes)
    if found is None:
        return []
    panels = [found[1]]
    seen = {found[1].tobytes()}
    rng = np.random.default_rng(0)  # fixed: results must not depend on the run
    for _ in range(rounds):
        counts = search.improve(panels[0], rng.random(compiled.n_types))
        if counts.tobytes() not in seen:
            seen.add(counts.tobytes())
            panels.append(counts)
    return panels


def _swap_columns(
    search: SwapSearch,
    panels: list[IntArray],
    p: FloatArray,
    weights: FloatArray,
    mu: float,
    seen: set[bytes],
    limit: int = 20,
) -> list[IntArray]:
    """Local optima (by swaps) of the most probable panels that price out above mu."""
    out: list[IntArray] = []
    for i in np.argsort(-p)[:limit]:
        if p[i] <= 0:
            break
        counts = search.improve(panels[i], weights)
        if weights @ counts > mu + PRICE_TOL and counts.tobytes() not in seen:
            seen.add(counts.tobytes())
            out.append(counts)
    return out


def leximin_types(
    compiled: Compiled, *, progress: Progress | None = None, init_rounds: int | None = None
) -> TypeDistribution:
    """Maximise the lowest type probability, then the next, until every type is fixed."""
    search = SwapSearch(compiled)
    rounds = init_rounds if init_rounds is not None else min(compiled.n_types, 100)
    panels = _initial_panels(compiled, search, rounds)
    seen = {c.tobytes() for c in panels}
    if not panels:
        raise InfeasibleError(check_feasibility(compiled.instance, compiled).explanation())
    sizes = compiled.sizes.astype(np.float64)
    cols = np.column_stack([p / sizes for p in panels])
    fixed = np.full(compiled.n_types, np.nan)
    stages = lps = 0
    backup: tuple[list[IntArray], FloatArray] | None = None
    while np.isnan(fixed).any():
        stages += 1
        while True:
            try:
                z, p, y, mu = _master(cols, fixed)
            except RuntimeError:
                if backup is None:
                    raise
                # The pruned support can miss a fixed level by the LP tolerance: use all columns.
                panels, cols = backup
                seen = {c.tobytes() for c in panels}
                backup = None
                continue
            lps += 1
            weights = y / sizes
            # The exact MILP gives the most violated panel (and certifies optimality when none
            # is); swap-improved support panels add more columns per LP solve, cheaply.
            found = best_panel(compiled, weights)
            assert found is not None
            value, counts = found
            if value <= mu + PRICE_TOL:
                break
            seen.add(counts.tobytes())
            new = [counts, *_swap_columns(search, panels, p, weights, mu, seen)]
            for counts in new:
                seen.add(counts.tobytes())
                panels.append(counts)
            cols = np.column_stack([cols] + [c / sizes for c in new])
        probs = cols @ p
        unfixed = np.isnan(fixed)
        tight = unfixed & (y > DUAL_TOL) & (probs <= z + TIGHT_TOL)
        if not tight.any():
            # Numerically flat duals: fix the lowest unfixed type(s), which are at z by definition.
            tight = unfixed & (probs <= z + TIGHT_TOL)
        # Fix at what the solution actually gives (never above z), so the pruned support
        # below still satisfies every fixed level despite solver tolerances.
        fixed[tight] = np.maximum(np.minimum(z, probs[tight]), 0.0)
        # Earlier levels may have been met only within the LP tolerance; never ask the
        # pruned support for more than it delivers.
        done = ~np.isnan(fixed)
        fixed[done] = np.minimum(fixed[done], probs[done] + FIX_SLACK)
        # The next stage starts from this stage's support only: it meets every fixed level,
        # and a small master LP is much faster than one dragging every column ever priced.
        backup = (panels, cols)
        support = np.flatnonzero(p > 1e-12)
        panels = [panels[i] for i in support]
        cols = cols[:, support]
        p = p[support]
        seen = {c.tobytes() for c in panels}
        if progress:
            progress(
                f"stage {stages}: level {z:.6f}, fixed {int((~np.isnan(fixed)).sum())}/"
                f"{compiled.n_types} types, {len(panels)} panels"
            )
    keep = p > 1e-12
    probs_kept = p[keep] / p[keep].sum()
    counts_kept = [panels[i] for i in np.flatnonzero(keep)]
    type_probs = np.column_stack([c / sizes for c in counts_kept]) @ probs_kept
    return TypeDistribution(counts_kept, probs_kept, type_probs, stages, lps)


def rotation_block(members: list[int], count: int, r: int) -> list[int]:
    """The r-th block of `count` consecutive members, cyclically; blocks tile the cycle evenly."""
    s = len(members)
    return [members[(r * count + j) % s] for j in range(count)]


def expand_panel(compiled: Compiled, counts: IntArray) -> list[tuple[tuple[int, ...], Fraction]]:
    """Split one type panel into concrete panels giving each member of a type equal chance.

    A type with c of s members selected cycles through s/gcd(c, s) consecutive blocks of
    c members; each member lies in exactly c/gcd blocks, so gets c/s. The interval [0, 1)
    is cut at every type's block boundaries and each piece becomes one concrete panel.
    """
    cycles: list[tuple[int, int, int]] = []
    for ti in np.flatnonzero(counts):
        s, c = int(compiled.sizes[ti]), int(counts[ti])
        cycles.append((int(ti), c, s // int(np.gcd(c, s))))
    cuts = {Fraction(0), Fraction(1)}
    for _, _, length in cycles:
        cuts.update(Fraction(j, length) for j in range(1, length))
    points = sorted(cuts)
    out: list[tuple[tuple[int, ...], Fraction]] = []
    for a, b in zip(points, points[1:], strict=False):
        mid = (a + b) / 2
        chosen: list[int] = []
        for t, c, length in cycles:
            chosen += rotation_block(compiled.members[t], c, int(mid * length))
        out.append((tuple(sorted(chosen)), b - a))
    return out


def concrete_panels(
    compiled: Compiled, dist: TypeDistribution
) -> list[tuple[tuple[int, ...], float]]:
    """All concrete panels of the distribution, merged, most probable first."""
    merged: dict[tuple[int, ...], float] = {}
    for counts, prob in zip(dist.counts, dist.probs, strict=True):
        for members, share in expand_panel(compiled, counts):
            merged[members] = merged.get(members, 0.0) + float(prob) * float(share)
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def find_leximin(
    instance: Instance,
    *,
    progress: Progress | None = None,
    merge_types: bool = True,
) -> Distribution:
    """The LEXIMIN distribution: maximise the lowest selection probability, then the next, ..."""
    start = time.perf_counter()
    compiled = compile_instance(instance, merge_types=merge_types)
    dist = leximin_types(compiled, progress=progress)
    panels = concrete_panels(compiled, dist)
    marginals = np.zeros(len(instance.people))
    for members, prob in panels:
        marginals[list(members)] += prob
    return Distribution(instance, marginals, panels, dist, compiled, time.perf_counter() - start)
