"""Fast heuristic pricing: improve panels by feasible one-for-one swaps before calling the MILP."""

from __future__ import annotations

import numpy as np

from .model import Compiled, FloatArray, IntArray


class SwapSearch:
    """Local search over quota-feasible panels; a swap removes one person of a type, adds another."""

    def __init__(self, compiled: Compiled) -> None:
        inst = compiled.instance
        self.compiled = compiled
        self.nq = len(inst.quotas)
        self.F = compiled.features.astype(np.float64)  # types x quotas
        self.qlb = compiled.lb[1 : 1 + self.nq]
        self.qub = compiled.ub[1 : 1 + self.nq]
        self.sizes = compiled.sizes
        group_of = np.full(compiled.n_types, -1, dtype=np.int64)
        for g, types in enumerate(compiled.household_groups):
            group_of[types] = g
        self.group_of = group_of
        self.n_groups = len(compiled.household_groups)

    def improve(self, counts: IntArray, weights: FloatArray, max_swaps: int = 200) -> IntArray:
        """Apply best improving feasible swaps until none is left (a local optimum)."""
        c = counts.copy()
        nt = len(c)
        for _ in range(max_swaps):
            quota_counts = self.F.T @ c
            at_min = quota_counts <= self.qlb + 0.5
            at_max = quota_counts >= self.qub - 0.5
            rem = np.flatnonzero(c > 0)
            Fa = self.F[rem]
            # A swap a->b breaks a quota at its min if a has the value and b lacks it,
            # or a quota at its max if b has the value and a lacks it.
            bad = Fa[:, at_min] @ (1.0 - self.F[:, at_min]).T
            bad += (1.0 - Fa[:, at_max]) @ self.F[:, at_max].T
            gain = weights[None, :] - weights[rem][:, None]
            ok = (bad < 0.5) & (c < self.sizes)[None, :]
            ok[np.arange(len(rem)), rem] = False
            if self.n_groups:
                ok &= self._household_ok(c, rem)
            gain = np.where(ok, gain, -np.inf)
            best = int(np.argmax(gain))
            i, b = divmod(best, nt)
            if not gain[i, b] > 1e-12:
                break
            c[rem[i]] -= 1
            c[b] += 1
        return c

    def _household_ok(self, c: IntArray, rem: IntArray) -> np.ndarray:
        """Adding b is fine unless its address already has someone other than the removed a."""
        g_b = self.group_of
        used = np.zeros(self.n_groups, dtype=np.int64)
        sel = np.flatnonzero((c > 0) & (g_b >= 0))
        np.add.at(used, g_b[sel], c[sel])
        occupied_b = (g_b >= 0) & (used[np.maximum(g_b, 0)] > 0)
        same = (g_b[rem][:, None] == g_b[None, :]) & (g_b[None, :] >= 0)
        ok: np.ndarray = ~occupied_b[None, :] | same
        return ok
