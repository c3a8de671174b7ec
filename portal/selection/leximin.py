"""LEXIMIN selection probabilities by column generation (Flanigan et al., Nature 2021), on types."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .errors import InfeasibleError
from .feasibility import best_panel, check_feasibility
from .highs import MasterLP, Pricer
from .model import Compiled, FloatArray, Instance, IntArray, compile_instance
from .pricing import SwapSearch

# Stated tolerances. Column generation stops once no panel improves the master by more
# than PRICE_TOL; a type is fixed at a stage's level only if its dual weight exceeds
# DUAL_TOL *and* its probability is within TIGHT_TOL of that level (complementary slackness).
PRICE_TOL = 1e-9
DUAL_TOL = 1e-7
TIGHT_TOL = 1e-7
FIX_SLACK = 1e-8  # fixed levels are kept as ">= level - FIX_SLACK": the LP's own tolerance
# Call the exact pricing MILP after every LP (fewer, better rounds: measured faster on the
# bench shapes) rather than only once swap-improved panels stop pricing out.
MILP_EVERY_ROUND = True
DROP_UNUSED = True  # delete nonbasic panels between stages when the master grows large
DROP_ABOVE = 4  # ... above this many panels per type
SMOOTHING = 0.5  # weight of the stability centre in the pricing duals (Wentges)

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
    compiled: Compiled,
    *,
    progress: Progress | None = None,
    init_rounds: int | None = None,
    milp_every_round: bool = MILP_EVERY_ROUND,
) -> TypeDistribution:
    """Maximise the lowest type probability, then the next, until every type is fixed."""
    search = SwapSearch(compiled)
    rounds = init_rounds if init_rounds is not None else min(compiled.n_types, 100)
    panels = _initial_panels(compiled, search, rounds)
    if not panels:
        raise InfeasibleError(check_feasibility(compiled.instance, compiled).explanation())
    seen = {c.tobytes() for c in panels}
    sizes = compiled.sizes.astype(np.float64)
    master = MasterLP(compiled.n_types)
    master.add_columns(np.column_stack([c / sizes for c in panels]))
    pricer = Pricer(compiled)
    fixed = np.full(compiled.n_types, np.nan)
    stages = lps = 0
    while np.isnan(fixed).any():
        stages += 1
        center: FloatArray | None = None
        bound = np.inf
        while True:
            z, p, y, mu = master.solve()
            lps += 1
            weights = y / sizes
            # Swap-improved support panels are cheap columns; the exact MILP certifies that
            # none is left (and gives the most violated panel) when they run out.
            new = _swap_columns(search, panels, p, weights, mu, seen)
            if milp_every_round or not new:
                counts, center, bound = _stabilised_pricing(
                    pricer, y, sizes, mu, fixed, center, bound
                )
                if (
                    counts is not None
                    and weights @ counts > mu + PRICE_TOL
                    and counts.tobytes() not in seen
                ):
                    seen.add(counts.tobytes())
                    new.insert(0, counts)
                for extra in pricer.extras:
                    if weights @ extra > mu + PRICE_TOL and extra.tobytes() not in seen:
                        seen.add(extra.tobytes())
                        new.append(extra)
            if not new:
                break
            panels += new
            master.add_columns(np.column_stack([c / sizes for c in new]))
        probs = _type_probs(panels, p, sizes)
        unfixed = np.isnan(fixed)
        tight = unfixed & (y > DUAL_TOL) & (probs <= z + TIGHT_TOL)
        if z >= 1.0 - TIGHT_TOL:
            # Nobody's probability exceeds 1: every type left is at its final level.
            tight = unfixed
        if not tight.any():
            # Numerically flat duals: fix the lowest unfixed type(s), which are at z by definition.
            tight = unfixed & (probs <= z + TIGHT_TOL)
        # Fix at what the solution actually gives (never above z) less the LP's tolerance,
        # so the master stays feasible at every later stage.
        levels = np.maximum(np.minimum(z, probs[tight]), 0.0)
        fixed[tight] = levels
        master.fix(np.flatnonzero(tight), np.maximum(levels - FIX_SLACK, 0.0))
        if DROP_UNUSED and np.isnan(fixed).any():
            # Column management: panels out of the basis at a stage's end rarely come back;
            # a smaller master is cheaper per simplex iteration. Pricing can regenerate them.
            keep = (p > 0) | ~master.nonbasic()
            if len(panels) > DROP_ABOVE * compiled.n_types:
                master.drop(keep)
                for i in np.flatnonzero(~keep):
                    seen.discard(panels[i].tobytes())
                panels = [panels[i] for i in np.flatnonzero(keep)]
                p = p[keep]
        if progress:
            progress(
                f"stage {stages}: level {z:.6f}, fixed {int((~np.isnan(fixed)).sum())}/"
                f"{compiled.n_types} types, {int((p > 1e-12).sum())} panels"
            )
    keep = p > 1e-12
    probs_kept = p[keep] / p[keep].sum()
    counts_kept = [panels[i] for i in np.flatnonzero(keep)]
    type_probs = np.column_stack([c / sizes for c in counts_kept]) @ probs_kept
    return TypeDistribution(counts_kept, probs_kept, type_probs, stages, lps)


def _stabilised_pricing(
    pricer: Pricer,
    y: FloatArray,
    sizes: FloatArray,
    mu: float,
    fixed: FloatArray,
    center: FloatArray | None,
    bound: float,
) -> tuple[IntArray | None, FloatArray | None, float]:
    """Wentges smoothing: price at a mix of the LP duals and the best duals seen so far.

    The LP duals of a max-min master oscillate; pricing at a point between them and the
    duals with the lowest Lagrangian bound finds more useful panels. If that panel does not
    price out at the LP duals, the exact pricing at the LP duals decides (never inexact).
    """
    levels = np.nan_to_num(fixed)
    if center is not None:
        dual = SMOOTHING * center + (1 - SMOOTHING) * y
        counts = pricer.best(dual / sizes)
        assert counts is not None
        lagrange = float((dual / sizes) @ counts - dual @ levels)
        if lagrange < bound:
            center, bound = dual, lagrange
        if (y / sizes) @ counts > mu + PRICE_TOL:
            return counts, center, bound
    # Exact pricing at the LP duals: None means no panel prices out (stage optimal).
    exact = pricer.best(y / sizes, cutoff=mu + PRICE_TOL)
    if exact is not None:
        lagrange = float((y / sizes) @ exact - y @ levels)
        if lagrange < bound:
            center, bound = y, lagrange
    return exact, center, bound


def _type_probs(panels: list[IntArray], p: FloatArray, sizes: FloatArray) -> FloatArray:
    """Each type's selection probability under panel probabilities p."""
    support = np.flatnonzero(p > 0)
    shares = np.column_stack([panels[i] / sizes for i in support])
    out: FloatArray = shares @ p[support]
    return out


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
