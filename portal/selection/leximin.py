"""LEXIMIN selection probabilities by column generation (Flanigan et al., Nature 2021), on types."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import InfeasibleError
from .feasibility import best_panel, check_feasibility
from .highs import CoverLP, MasterLP, Pricer, RelaxedStage
from .model import Compiled, FloatArray, Instance, IntArray, compile_instance
from .peel import peel
from .pricing import SwapSearch

# Stated tolerances. Column generation stops once no panel improves the master by more
# than PRICE_TOL; a type is fixed at a stage's level only if its dual weight exceeds
# DUAL_TOL *and* its probability is within TIGHT_TOL of that level (complementary slackness).
PRICE_TOL = 1e-9
DUAL_TOL = 1e-7
TIGHT_TOL = 1e-7
FIX_SLACK = 1e-8  # fixed levels are kept as ">= level - FIX_SLACK": the LP's own tolerance
# ... and in the relaxation, whose levels come from mixes it holds exactly: a looser slack
# there would let each stage's bound creep up by what the earlier levels give away.
RELAXED_SLACK = 1e-10
STAGE_TOL = 1e-7  # a stage is optimal once its level is this close to the relaxation's bound
ATTAIN_TOL = 1e-9  # the first pass stops once every type has this share of its target or more
# Peeling that leaves at most this much goes straight to the stages (which add panels where
# the mix falls short); more goes to column generation towards the relaxed profile first.
PEEL_LEFT = 1e-3
INITIAL_PANELS = 20  # swap-search optima for random weights: columns for the fallback LPs
DROP_UNUSED = True  # delete nonbasic panels between stages when the master grows large
DROP_ABOVE = 4  # ... above this many panels per type
# Weights of the stability centre in the pricing duals (Wentges): one dive per weight.
SMOOTHING = (0.8, 0.5, 0.2)

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
    limit: int = 8,
) -> list[IntArray]:
    """Local optima (by swaps) of the most probable panels that price out above mu."""
    out: list[IntArray] = []
    for i in np.argsort(-p)[:limit]:
        if p[i] <= 0:
            break
        counts = search.improve(panels[i], weights)
        if weights @ counts > mu + PRICE_TOL:
            out.append(counts)
    return out


class _ColumnGeneration:
    """The panels found so far, the master LP they are columns of, and the pricing oracles."""

    def __init__(self, compiled: Compiled, panels: list[IntArray]) -> None:
        self.compiled = compiled
        self.search = SwapSearch(compiled)
        self.pricer = Pricer(compiled)
        self.sizes = compiled.sizes.astype(np.float64)
        self.panels: list[IntArray] = []
        self.seen: set[bytes] = set()
        self.master: MasterLP | CoverLP | None = None
        self.lps = 0
        self.add(panels)

    def add(self, panels: list[IntArray]) -> int:
        """New panels (known ones are skipped) become columns of the current master.

        Returns how many were new.
        """
        new: list[IntArray] = []
        for c in panels:
            if c.tobytes() not in self.seen:
                self.seen.add(c.tobytes())
                new.append(c)
        self.panels += new
        if new and self.master is not None:
            self.master.add_columns(np.column_stack([c / self.sizes for c in new]))
        return len(new)

    def attach(self, master: MasterLP | CoverLP) -> None:
        """Make `master` the LP, with every panel found so far as a column."""
        master.add_columns(np.column_stack([c / self.sizes for c in self.panels]))
        self.master = master

    def run(
        self, fixed: FloatArray, stop_at: float = np.inf
    ) -> tuple[float, FloatArray, FloatArray]:
        """Add improving panels until none is left (or the master reaches `stop_at`).

        Returns the master's z, panel probabilities and type duals at the end.
        """
        assert self.master is not None
        sizes, pricer = self.sizes, self.pricer
        center: FloatArray | None = None
        bound = np.inf
        while True:
            z, p, y, mu = self.master.solve()
            self.lps += 1
            if z >= stop_at:
                return z, p, y
            weights = y / sizes
            # Swap-improved support panels and dives are cheap columns; the exact MILP
            # certifies that none is left (and gives the most violated panel) when they run out.
            new = _swap_columns(self.search, self.panels, p, weights, mu)
            found, center, bound = _stabilised_pricing(pricer, y, sizes, mu, fixed, center, bound)
            new += [c for c in [*found, *pricer.extras] if weights @ c > mu + PRICE_TOL]
            # A known panel can price out by the LP's tolerance: it is no new column, and
            # without one the master is optimal.
            if not self.add(new):
                return z, p, y

    def drop_unused(self, p: FloatArray) -> FloatArray:
        """Delete nonbasic panels once the master holds many per type; returns the kept p."""
        if len(self.panels) <= DROP_ABOVE * self.compiled.n_types:
            return p
        assert isinstance(self.master, MasterLP)
        keep = (p > 0) | ~self.master.nonbasic()
        self.master.drop(keep)
        for i in np.flatnonzero(~keep):
            self.seen.discard(self.panels[i].tobytes())
        self.panels = [self.panels[i] for i in np.flatnonzero(keep)]
        kept: FloatArray = p[keep]
        return kept


def _stage_fixes(
    fixed: FloatArray, z: float, probs: FloatArray, y: FloatArray, exact: bool = True
) -> tuple[IntArray, FloatArray]:
    """The unfixed types a stage with level z and duals y fixes, and their levels.

    By complementary slackness a type with a positive dual is at z in every optimal
    solution; the lowest types are fixed when the duals are numerically flat. With
    `exact` the duals belong to the very solution `probs` (a vertex of the same LP), and
    a type must be at z in it too; otherwise the solution is only optimal to STAGE_TOL and
    may leave such a type a little above z, where it is fixed at z all the same.
    """
    unfixed = np.isnan(fixed)
    tight = unfixed & (y > DUAL_TOL) & ((probs <= z + TIGHT_TOL) | (not exact))
    if z >= 1.0 - TIGHT_TOL:
        # Nobody's probability exceeds 1: every type left is at its final level.
        tight = unfixed
    if not tight.any():
        tight = unfixed & (probs <= z + TIGHT_TOL)
    if not tight.any():
        # z came from another LP than probs (within tolerances): the lowest type is at z.
        tight = np.zeros_like(unfixed)
        tight[np.flatnonzero(unfixed)[np.argmin(probs[unfixed])]] = True
    # Fix at what the solution actually gives (never above z).
    return np.flatnonzero(tight), np.maximum(np.minimum(z, probs[tight]), 0.0)


def relaxed_profile(compiled: Compiled) -> tuple[FloatArray, FloatArray]:
    """LEXIMIN over the LP relaxation of the panel polytope: an upper bound, stage by stage.

    Each stage's level is at least the real stage's level (the relaxation holds every
    panel mix). Returns the levels and the last LP's shares (a point of the relaxation
    with those levels, up to the LP's tolerance).
    """
    stage = RelaxedStage(compiled)
    fixed = np.full(compiled.n_types, np.nan)
    shares = np.zeros(compiled.n_types)
    while np.isnan(fixed).any():
        z, shares, y = stage.solve()
        types, levels = _stage_fixes(fixed, z, shares, y)
        fixed[types] = levels
        stage.fix(types, np.maximum(levels - RELAXED_SLACK, 0.0))
    return fixed, shares


def _relaxed_mix(cg: _ColumnGeneration, progress: Progress | None) -> FloatArray:
    """Probabilities over `cg.panels` of a mix reaching the relaxed profile (a guide only).

    The relaxed solution is peeled into panels; if peeling leaves more than PEEL_LEFT,
    column generation in the covering LP builds panels towards it.
    """
    compiled, sizes = cg.compiled, cg.sizes
    _, target = relaxed_profile(compiled)
    peeled, weights, left = peel(compiled, target * sizes, cg.pricer)
    cg.add(peeled)
    if left <= PEEL_LEFT:
        index = {c.tobytes(): i for i, c in enumerate(cg.panels)}
        p = np.zeros(len(cg.panels))
        for c, w in zip(peeled, weights, strict=True):
            p[index[c.tobytes()]] += w
        p /= p.sum()
    else:
        cg.attach(CoverLP(target, sizes, compiled.instance.k))
        _, p, _ = cg.run(np.full(compiled.n_types, np.nan), stop_at=1.0 - ATTAIN_TOL)
    if progress:
        progress(
            f"relaxed profile: {len(peeled)} panels peeled ({left:.1e} left), "
            f"mixed from {int((p > 1e-12).sum())} panels"
        )
    return p


def leximin_types(compiled: Compiled, *, progress: Progress | None = None) -> TypeDistribution:
    """Maximise the lowest type probability, then the next, until every type is fixed.

    The same stages on the LP relaxation of the panel polytope (a few small LPs) bound
    every stage's level from above. A mix of real panels is built to reach the relaxed
    profile; each stage whose level the mix reaches is optimal as it stands. Only where it
    falls short does the max-min master add panels, up to the bound or, where there is an
    integrality gap, until the exact pricing MILP finds none (Flanigan et al.; ADR 0006).
    """
    cg = _ColumnGeneration(compiled, [])
    cg.add(_initial_panels(compiled, cg.search, min(compiled.n_types, INITIAL_PANELS)))
    if not cg.panels:
        raise InfeasibleError(check_feasibility(compiled.instance, compiled).explanation())
    sizes = cg.sizes
    p = _relaxed_mix(cg, progress)
    relaxed = RelaxedStage(compiled)
    master: MasterLP | None = None
    fixed = np.full(compiled.n_types, np.nan)
    stages = 0
    while np.isnan(fixed).any():
        stages += 1
        unfixed = np.isnan(fixed)
        bound, shares, y = relaxed.solve()
        probs = _type_probs(cg.panels, p, sizes)
        z = float(probs[unfixed].min())
        if z >= bound - STAGE_TOL:
            # The mix reaches the relaxation's level, so this stage is optimal and the
            # relaxation's duals are optimal duals of the real stage (its bound holds for
            # every mix). Fix what the relaxation fixes at its own vertex: its later stages
            # stay those of the relaxed profile, which the mix was built to reach.
            types, levels = _stage_fixes(fixed, bound, shares, y)
        else:
            # The mix falls short: column generation in the max-min master, up to the bound
            # or, where there is an integrality gap, until the pricing MILP finds no panel.
            if master is None:
                master = MasterLP(compiled.n_types)
                done = np.flatnonzero(~unfixed)
                master.fix(done, np.maximum(np.minimum(fixed, probs)[done] - FIX_SLACK, 0.0))
                cg.attach(master)
            z, p, y_master = cg.run(fixed, stop_at=bound - STAGE_TOL)
            probs = _type_probs(cg.panels, p, sizes)
            if z >= bound - STAGE_TOL:
                types, levels = _stage_fixes(fixed, bound, probs, y, exact=False)
            else:
                types, levels = _stage_fixes(fixed, z, probs, y_master)
        fixed[types] = levels
        # Fixed levels less the LP's tolerance keep the LPs feasible at every later stage.
        relaxed.fix(types, np.maximum(levels - RELAXED_SLACK, 0.0))
        if master is not None:
            master.fix(types, np.maximum(np.minimum(levels, probs[types]) - FIX_SLACK, 0.0))
            if DROP_UNUSED and np.isnan(fixed).any():
                # Panels out of the basis at a stage's end rarely come back; a smaller
                # master is cheaper per simplex iteration. Pricing can regenerate them.
                p = cg.drop_unused(p)
        if progress:
            progress(
                f"stage {stages}: level {z:.6f}, fixed {int((~np.isnan(fixed)).sum())}/"
                f"{compiled.n_types} types, {int((p > 1e-12).sum())} panels"
            )
    keep = p > 1e-12
    probs_kept = p[keep] / p[keep].sum()
    counts_kept = [cg.panels[i] for i in np.flatnonzero(keep)]
    type_probs = np.column_stack([c / sizes for c in counts_kept]) @ probs_kept
    return TypeDistribution(counts_kept, probs_kept, type_probs, stages, cg.lps)


def _stabilised_pricing(
    pricer: Pricer,
    y: FloatArray,
    sizes: FloatArray,
    mu: float,
    fixed: FloatArray,
    center: FloatArray | None,
    bound: float,
) -> tuple[list[IntArray], FloatArray | None, float]:
    """Wentges smoothing: price at a mix of the LP duals and the best duals seen so far.

    The LP duals of a max-min master oscillate; pricing at a point between them and the
    duals with the lowest Lagrangian bound finds more useful panels. If that panel does not
    price out at the LP duals, the exact pricing at the LP duals decides (never inexact).
    """
    levels = np.nan_to_num(fixed)
    if center is not None:
        out = []
        for alpha in SMOOTHING:
            dual = alpha * center + (1 - alpha) * y
            counts, ub = pricer.dive(dual / sizes)
            lagrange = ub - float(dual @ levels)
            if lagrange < bound:
                center, bound = dual, lagrange
            if counts is not None and (y / sizes) @ counts > mu + PRICE_TOL:
                out.append(counts)
        if out:
            return out, center, bound
    # Exact pricing at the LP duals: None means no panel prices out (stage optimal).
    exact = pricer.best(y / sizes, cutoff=mu + PRICE_TOL)
    if exact is not None:
        lagrange = float((y / sizes) @ exact - y @ levels)
        if lagrange < bound:
            center, bound = y, lagrange
    return ([] if exact is None else [exact]), center, bound


def _type_probs(panels: list[IntArray], p: FloatArray, sizes: FloatArray) -> FloatArray:
    """Each type's selection probability under panel probabilities p."""
    support = np.flatnonzero(p > 0)
    shares = np.column_stack([panels[i] / sizes for i in support])
    out: FloatArray = shares @ p[support]
    return out


def expand_panel(compiled: Compiled, counts: IntArray) -> list[tuple[tuple[int, ...], float]]:
    """Split one type panel into concrete panels giving each member of a type equal chance.

    A type with c of s members selected cycles through L = s/gcd(c, s) consecutive blocks of
    c members (block r holds members r*c .. r*c + c - 1, cyclically); each member lies in
    exactly c/gcd blocks, so gets c/s. The interval [0, 1) is cut at every j/L of every type
    and each piece becomes one concrete panel. Cut points are floats: IEEE division rounds
    equal fractions to the same float, and distinct ones with small denominators apart.
    """
    cycles: list[tuple[int, int, int]] = []
    for ti in np.flatnonzero(counts):
        s, c = int(compiled.sizes[ti]), int(counts[ti])
        cycles.append((int(ti), c, s // int(np.gcd(c, s))))
    points = np.unique(
        np.concatenate([[0.0, 1.0]] + [np.arange(1, length) / length for _, _, length in cycles])
    )
    mids = (points[:-1] + points[1:]) / 2
    blocks = []
    for t, c, length in cycles:
        members = np.asarray(compiled.members[t], dtype=np.int64)
        r = np.floor(mids * length).astype(np.int64)  # the block each piece takes
        blocks.append(members[(r[:, None] * c + np.arange(c)[None, :]) % len(members)])
    chosen = np.sort(np.hstack(blocks), axis=1)
    shares = np.diff(points)
    return [(tuple(row.tolist()), float(w)) for row, w in zip(chosen, shares, strict=True)]


def concrete_panels(
    compiled: Compiled, dist: TypeDistribution
) -> list[tuple[tuple[int, ...], float]]:
    """All concrete panels of the distribution, merged, most probable first."""
    merged: dict[tuple[int, ...], float] = {}
    for counts, prob in zip(dist.counts, dist.probs, strict=True):
        for members, share in expand_panel(compiled, counts):
            merged[members] = merged.get(members, 0.0) + float(prob) * share
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
