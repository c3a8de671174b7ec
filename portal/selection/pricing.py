"""Fast heuristic pricing: improve panels by feasible one-for-one swaps before calling the MILP."""

from __future__ import annotations

import numpy as np

from .model import Compiled, FloatArray, IntArray

CANDIDATES = 128  # types tried first as the one added by a swap (the heaviest by weight)


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
        """Apply improving feasible swaps until none is left (a local optimum).

        Each step takes the best swap into the CANDIDATES heaviest types, and looks at every
        type only when none of those helps: on pools with a thousand types this is what
        keeps a step in the milliseconds.
        """
        c = counts.copy()
        order = np.argsort(-weights, kind="stable")
        for _ in range(max_swaps):
            step = self._best_swap(c, weights, order[:CANDIDATES])
            if step is None and len(order) > CANDIDATES:
                step = self._best_swap(c, weights, order)
            if step is None:
                break
            a, b = step
            c[a] -= 1
            c[b] += 1
        return c

    def _best_swap(
        self, c: IntArray, weights: FloatArray, cand: IntArray
    ) -> tuple[int, int] | None:
        """The feasible swap (remove a, add b in cand) of largest positive gain, if any."""
        quota_counts = self.F.T @ c
        at_min = quota_counts <= self.qlb + 0.5
        at_max = quota_counts >= self.qub - 0.5
        rem = np.flatnonzero(c > 0)
        Fa = self.F[rem]
        Fb = self.F[cand]
        # A swap a->b breaks a quota at its min if a has the value and b lacks it,
        # or a quota at its max if b has the value and a lacks it.
        bad = Fa[:, at_min] @ (1.0 - Fb[:, at_min]).T
        bad += (1.0 - Fa[:, at_max]) @ Fb[:, at_max].T
        gain = weights[cand][None, :] - weights[rem][:, None]
        ok = (bad < 0.5) & (c[cand] < self.sizes[cand])[None, :]
        ok &= rem[:, None] != cand[None, :]
        if self.n_groups:
            ok &= self._household_ok(c, rem)[:, cand]
        gain = np.where(ok, gain, -np.inf)
        best = int(np.argmax(gain))
        i, j = divmod(best, len(cand))
        if not gain[i, j] > 1e-12:
            return None
        return int(rem[i]), int(cand[j])

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
