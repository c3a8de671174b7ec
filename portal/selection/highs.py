"""Persistent HiGHS models (through highspy) for column generation: a warm-started master LP
and a pricing MILP whose objective changes between calls (ADR 0005)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import highspy
import numpy as np

from .model import Compiled, FloatArray, IntArray

INF = highspy.kHighsInf
Status = highspy.HighsModelStatus
INTEGRAL_TOL = 1e-9  # an LP relaxation optimum this close to integers is the pricing optimum
DIVE_CLOSE = 0.2  # a dive step fixes every count at most this far from an integer
FACE_DIVES = 4  # dives from perturbed weights before a face's MILP


def _quiet_banner() -> None:
    """HiGHS prints a banner on stdout when the first instance is made: keep stdout for JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quiet_banner()


def _silent() -> Any:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


def _run_lp(h: Any) -> None:
    """Solve a warm-started LP; a degenerate one can trip the warm start: then from scratch."""
    h.run()
    if h.getModelStatus() != Status.kOptimal:
        h.clearSolver()
        h.run()
        if h.getModelStatus() != Status.kOptimal:
            raise RuntimeError(f"HiGHS LP failed: {h.modelStatusToString(h.getModelStatus())}")


class MasterLP:
    """max z s.t. cols @ p >= z (unfixed types), cols @ p >= level (fixed), sum p = 1, p >= 0.

    Column 0 is z; rows 0..T-1 are types, row T is sum p = 1. Fixing a type drops z from
    its row and sets the row's lower bound; new panels are appended as columns. HiGHS keeps
    its basis across both changes, so each re-solve is a few simplex iterations.
    """

    def __init__(self, n_types: int) -> None:
        self.n_types = n_types
        h = _silent()
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        # New columns keep the basis primal feasible: primal simplex continues from it.
        h.setOptionValue("simplex_strategy", 4)
        # Entries are shares in [0, 1]: no scaling. HiGHS rescales a changed LP before each
        # warm start otherwise (sf_d shape: 14.5 s -> 10.5 s, a third fewer iterations).
        h.setOptionValue("simplex_scale_strategy", 0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.addRows(
            n_types + 1,
            np.zeros(n_types + 1),
            np.concatenate([np.full(n_types, INF), [1.0]]),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        h.changeRowBounds(n_types, 1.0, 1.0)
        idx = np.arange(n_types, dtype=np.int32)
        h.addCol(1.0, -INF, INF, n_types, idx, -np.ones(n_types))
        self.h = h
        self.n_panels = 0

    def add_columns(self, cols: FloatArray) -> None:
        """Append panels (types x new, each entry the type's selection share)."""
        n_new = cols.shape[1]
        if n_new:
            zeros = np.zeros(n_new)
            self.h.addCols(n_new, zeros, zeros, zeros + INF, *_share_columns(cols, self.n_types))
            self.n_panels += n_new

    def drop(self, keep: np.ndarray) -> None:
        """Delete the panels (columns 1..) not in `keep`; callers drop only nonbasic ones."""
        gone = np.flatnonzero(~keep).astype(np.int32) + 1
        if len(gone):
            self.h.deleteCols(len(gone), gone)
            self.n_panels -= len(gone)

    def nonbasic(self) -> np.ndarray:
        """Which panels are nonbasic in the current basis (safe to delete)."""
        status = self.h.getBasis().col_status
        basic = highspy.HighsBasisStatus.kBasic
        return np.array([status[j] != basic for j in range(1, self.n_panels + 1)], dtype=bool)

    def fix(self, types: IntArray, levels: FloatArray) -> None:
        """Types leave the objective: their rows become `share >= level`."""
        for t, level in zip(types.tolist(), levels.tolist(), strict=True):
            self.h.changeCoeff(t, 0, 0.0)
            self.h.changeRowBounds(t, level, INF)

    def solve(self) -> tuple[float, FloatArray, FloatArray, float]:
        """z, panel probabilities, type duals (>= 0, summing to 1 over unfixed), and mu."""
        h = self.h
        _run_lp(h)
        sol = h.getSolution()
        x = np.asarray(sol.col_value)
        dual = np.asarray(sol.row_dual)
        # Maximisation: a binding ">=" row has a non-positive dual in HiGHS's sign convention.
        y = np.maximum(-dual[: self.n_types], 0.0)
        mu = float(dual[self.n_types])
        return float(x[0]), np.maximum(x[1:], 0.0), y, mu


def _share_columns(cols: FloatArray, extra_row: int | None) -> tuple[int, Any, Any, Any]:
    """Panels as sparse columns for addCols, with a 1 in `extra_row` (the convexity row)."""
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for j in range(cols.shape[1]):
        nz = np.flatnonzero(cols[:, j])
        starts.append(len(index))
        index.extend(nz.tolist())
        value.extend(cols[nz, j].tolist())
        if extra_row is not None:
            index.append(extra_row)
            value.append(1.0)
    return (
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value),
    )


class CoverLP:
    """min sum q s.t. cols @ q >= target, q >= 0: how far panel mixes reach a target profile.

    It asks max w with shares >= w * target over panel mixes, written with q = p / w as a
    covering LP (no z column, no convexity row). One artificial column per type, dearer
    than any panel, keeps the LP feasible before panels cover every type.
    """

    def __init__(self, target: FloatArray, sizes: FloatArray, k: int) -> None:
        nt = len(target)
        h = _silent()
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        h.setOptionValue("simplex_strategy", 4)
        h.setOptionValue("simplex_scale_strategy", 0)
        h.addRows(
            nt,
            target,
            np.full(nt, INF),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        # Per unit of cost a panel covers k seats' worth of target, an artificial at most
        # size_t: at this price an artificial is never part of an optimum that panels reach.
        cost = 1.0 + float(sizes.max()) / k
        idx = np.arange(nt, dtype=np.int32)
        h.addCols(nt, np.full(nt, cost), np.zeros(nt), np.full(nt, INF), nt, idx, idx, np.ones(nt))
        self.h = h
        self.target = target
        self.nt = nt

    def add_columns(self, cols: FloatArray) -> None:
        """Append panels (types x new, each entry the type's selection share)."""
        n_new = cols.shape[1]
        if n_new:
            ones = np.ones(n_new)
            self.h.addCols(n_new, ones, np.zeros(n_new), ones * INF, *_share_columns(cols, None))

    def solve(self) -> tuple[float, FloatArray, FloatArray, float]:
        """1 - the largest shortfall of a type's share from its target with panels alone,
        panel probabilities, and duals and mu scaled as `MasterLP.solve` gives them."""
        h = self.h
        _run_lp(h)
        sol = h.getSolution()
        x = np.maximum(np.asarray(sol.col_value), 0.0)
        q = x[self.nt :]
        total = float(q.sum())
        y = np.maximum(np.asarray(sol.row_dual), 0.0)
        scale = float(self.target @ y)
        if total <= 0 or scale <= 0:
            return 0.0, np.zeros(len(q)), y, 1.0
        reached = (np.asarray(sol.row_value) - x[: self.nt]) / total
        w = 1.0 - max(float((self.target - reached).max()), 0.0)
        return w, q / total, y / scale, 1.0 / scale


def _panel_model(compiled: Compiled, integer: bool) -> Any:
    """x_t in [0, size_t] (integer or not) with lb <= A x <= ub; the objective is set per call."""
    h = _silent()
    nt = compiled.n_types
    h.addVars(nt, np.zeros(nt), compiled.sizes.astype(np.float64))
    if integer:
        h.changeColsIntegrality(
            nt, np.arange(nt, dtype=np.int32), np.full(nt, highspy.HighsVarType.kInteger)
        )
    a = compiled.A.tocsr()
    h.addRows(
        a.shape[0],
        compiled.lb,
        compiled.ub,
        a.nnz,
        a.indptr[:-1].astype(np.int32),
        a.indices.astype(np.int32),
        a.data.astype(np.float64),
    )
    return h


class Pricer:
    """The pricing MILP: a quota-satisfying type panel of largest weight (instance feasible).

    Its LP relaxation (warm-started, under a millisecond) answers first: when its bound is
    below the cutoff no panel prices out, and when its optimum is integral it is the panel.
    """

    def __init__(self, compiled: Compiled, gap: float = 1e-9) -> None:
        h = _panel_model(compiled, integer=True)
        h.setOptionValue("mip_rel_gap", gap)
        self.gap = gap
        # Pricing values are small: HiGHS's default absolute gap (1e-6) and integrality
        # tolerance (1e-6) each missed improving panels by ~1e-8 on the bench shapes.
        h.setOptionValue("mip_abs_gap", 1e-12)
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        # These are solved at or near the root: primal heuristics cost more than they save
        # (sf_a shape: 36 ms -> 21 ms per call, same optima).
        h.setOptionValue("mip_heuristic_effort", 0.0)
        for heuristic in ("feasibility_jump", "rins", "rens", "root_reduced_cost"):
            h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
        # Keep the improving solutions met on the way to the optimum: more columns per call.
        h.setOptionValue("mip_improving_solution_save", True)
        relax = _panel_model(compiled, integer=False)
        relax.setOptionValue("primal_feasibility_tolerance", 1e-10)
        relax.setOptionValue("dual_feasibility_tolerance", 1e-10)
        self.h = h
        self.relax = relax
        self.nt = compiled.n_types
        self.upper = compiled.sizes.astype(np.float64)
        self.nrows = compiled.A.shape[0]
        self.ridx = np.arange(self.nrows, dtype=np.int32)
        self.row_lb, self.row_ub = compiled.lb, compiled.ub
        self.idx = np.arange(self.nt, dtype=np.int32)
        self.milps = 0
        self.extras: list[IntArray] = []

    def face_dive(
        self,
        weights: FloatArray,
        col_bounds: tuple[FloatArray, FloatArray],
        row_bounds: tuple[FloatArray, FloatArray],
        seed: int = 0,
    ) -> IntArray | None:
        """A panel within tighter bounds on counts and rows (a face of the polytope), by
        dives from `weights` and from perturbations of them (`seed` > 0 starts perturbed),
        then by the MILP; None if there is none."""
        with self._face(self.relax, col_bounds, row_bounds):
            # Dives from nearby weights reach other vertices of the face first; the
            # perturbations are seeded, so results do not depend on the run.
            rng = np.random.default_rng(seed)
            for attempt in range(FACE_DIVES + 1):
                noisy = weights * rng.uniform(0.5, 1.5, size=len(weights))
                found = self.dive(noisy if attempt or seed else weights, bounds=col_bounds)[0]
                if found is not None:
                    return found
        # The dives got lost: the MILP decides whether the face holds a panel at all.
        h = self.h
        with self._face(h, col_bounds, row_bounds):
            h.changeColsCost(self.nt, self.idx, -weights)
            h.setOptionValue("mip_rel_gap", 0.01)  # any panel of the face will do
            h.run()
            h.setOptionValue("mip_rel_gap", self.gap)
            self.milps += 1
            if h.getModelStatus() != Status.kOptimal:
                return None
            counts: IntArray = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
            return counts

    @contextmanager
    def _face(
        self,
        h: Any,
        col_bounds: tuple[FloatArray, FloatArray],
        row_bounds: tuple[FloatArray, FloatArray],
    ) -> Iterator[None]:
        """Model `h` (the MILP or its relaxation) within tighter bounds, restored after."""
        h.changeColsBounds(self.nt, self.idx, *col_bounds)
        h.changeRowsBounds(self.nrows, self.ridx, *row_bounds)
        try:
            yield
        finally:
            h.changeColsBounds(self.nt, self.idx, np.zeros(self.nt), self.upper)
            h.changeRowsBounds(self.nrows, self.ridx, self.row_lb, self.row_ub)

    def dive(
        self, weights: FloatArray, bounds: tuple[FloatArray, FloatArray] | None = None
    ) -> tuple[IntArray | None, float]:
        """A good panel for `weights` without branching: the LP relaxation's optimum, with
        fractional counts fixed a few at a time (those nearest an integer) and re-solved.

        Not necessarily optimal; None if a dive runs into infeasibility. The LP bound is
        returned too (an upper bound on the best panel's weight). `bounds` are the count
        bounds the relaxation has now (a face's), restored for every count the dive fixed.
        """
        relax = self.relax
        lower, upper = bounds if bounds is not None else (np.zeros(self.nt), self.upper)
        relax.changeColsCost(self.nt, self.idx, -weights)
        touched: set[int] = set()
        found: IntArray | None = None
        bound = INF
        x = np.zeros(self.nt)
        batch: list[int] = []
        mode = "batch"
        for _ in range(3 * self.nt):
            relax.run()
            if relax.getModelStatus() != Status.kOptimal:
                # Back off: a batch that made the LP infeasible is retried as its single
                # nearest count, and a single count is rounded the other way once.
                if not batch or mode == "flipped":
                    break
                for t in batch:
                    relax.changeColBounds(t, float(lower[t]), float(upper[t]))
                if mode == "batch":
                    t = min(batch, key=lambda i: abs(x[i] - np.rint(x[i])))
                    v, mode = float(np.rint(x[t])), "single"
                else:
                    t = batch[0]
                    v = float(np.floor(x[t]) if np.rint(x[t]) > x[t] else np.ceil(x[t]))
                    mode = "flipped"
                relax.changeColBounds(t, v, v)
                batch = [t]
                continue
            x = np.asarray(relax.getSolution().col_value)
            if bound == INF:
                bound = -relax.getInfo().objective_function_value
            frac = np.abs(x - np.rint(x))
            if frac.max() < INTEGRAL_TOL:
                found = np.rint(x).astype(np.int64)
                break
            cand = np.flatnonzero(frac >= INTEGRAL_TOL)
            close = cand[frac[cand] < DIVE_CLOSE]
            if len(close) == 0:
                close = cand[[int(np.argmin(frac[cand]))]]
            batch, mode = close.tolist(), "batch"
            for t in batch:
                v = float(np.rint(x[t]))
                relax.changeColBounds(t, v, v)
            touched.update(batch)
        for t in touched:
            relax.changeColBounds(t, float(lower[t]), float(upper[t]))
        return found, bound

    def best(self, weights: FloatArray, cutoff: float = -INF) -> IntArray | None:
        """Counts maximising weights @ counts; None if even the LP bound is <= cutoff."""
        self.extras = []
        relax = self.relax
        relax.changeColsCost(self.nt, self.idx, -weights)
        relax.run()
        if relax.getModelStatus() == Status.kOptimal:
            x = np.asarray(relax.getSolution().col_value)
            if -relax.getInfo().objective_function_value <= cutoff:
                return None
            if np.abs(x - np.rint(x)).max() < INTEGRAL_TOL:
                lp_counts: IntArray = np.rint(x).astype(np.int64)
                return lp_counts
        h = self.h
        h.changeColsCost(self.nt, self.idx, -weights)
        h.run()
        self.milps += 1
        status = h.getModelStatus()
        if status != Status.kOptimal:
            raise RuntimeError(f"HiGHS MILP failed: {h.modelStatusToString(status)}")
        counts: IntArray = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
        self.extras = [
            np.rint(np.asarray(sol.col_value)).astype(np.int64) for sol in h.getSavedMipSolutions()
        ]
        return counts


class RelaxedStage:
    """One LEXIMIN stage over the LP relaxation of the panel polytope (ADR 0006).

    max z s.t. x in the relaxation (lb <= A x <= ub, 0 <= x <= sizes), x_t / size_t >= z for
    unfixed types and >= level for fixed ones. Every panel mix lies in the relaxation, so z
    bounds the real stage's level from above, and the duals are feasible for the real stage.
    """

    def __init__(self, compiled: Compiled) -> None:
        nt = compiled.n_types
        h = _panel_model(compiled, integer=False)
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.sizes = compiled.sizes.astype(np.float64)
        self.r0 = compiled.A.shape[0]  # share rows follow the panel rows
        idx = np.arange(nt, dtype=np.int32)
        h.addRows(nt, np.zeros(nt), np.full(nt, INF), nt, idx, idx, 1.0 / self.sizes)
        h.addCol(1.0, -INF, INF, nt, idx + self.r0, -np.ones(nt))
        self.h = h
        self.nt = nt
        self.levels: dict[int, float] = {}

    def fix(self, types: IntArray, levels: FloatArray) -> None:
        """Types leave the objective: their rows become `share >= level`."""
        for t, level in zip(types.tolist(), levels.tolist(), strict=True):
            self.h.changeCoeff(self.r0 + t, self.nt, 0.0)
            self.h.changeRowBounds(self.r0 + t, level, INF)
            self.levels[t] = level

    def solve(self) -> tuple[float, FloatArray, FloatArray]:
        """The level z, every type's share, and the type duals (>= 0)."""
        h = self.h
        h.run()
        for slack in (1e-9, 1e-8, 1e-7):
            if h.getModelStatus() == Status.kOptimal:
                break
            # Levels fixed this tightly can add up to more than the LP's tolerance allows:
            # loosen them all a little and solve from scratch.
            for t, level in self.levels.items():
                h.changeRowBounds(self.r0 + t, max(level - slack, 0.0), INF)
            h.clearSolver()
            h.run()
        if h.getModelStatus() != Status.kOptimal:
            raise RuntimeError(f"HiGHS LP failed: {h.modelStatusToString(h.getModelStatus())}")
        sol = h.getSolution()
        x = np.asarray(sol.col_value)
        y = np.maximum(-np.asarray(sol.row_dual)[self.r0 :], 0.0)
        shares: FloatArray = x[: self.nt] / self.sizes
        return float(x[self.nt]), shares, y
