"""Split a point of the panel polytope into panels by peeling (Carathéodory, step by step).

Given expected counts e (a point of the LP relaxation that real panels are expected to
reach), take a panel c on the smallest face of the relaxation holding e, and move e away
from c as far as the relaxation allows: e = lam * c + (1 - lam) * e'. Each step makes at
least one more constraint tight, so e' lies on a smaller face, and after at most as many
steps as there are constraints e is a mix of panels. A step whose face holds no panel the
dive finds stops the peeling; the rest is left to column generation (ADR 0006).
"""

from __future__ import annotations

import numpy as np

from .highs import Pricer
from .model import Compiled, FloatArray, IntArray

TOL = 1e-9  # a constraint this close to its bound counts as tight
MAX_BACKTRACKS = 20  # steps undone (in all) when a face holds no panel
DONE = 1e-10  # the probability left over at which the peeling stops


def _step_length(
    e: FloatArray, c: IntArray, row: FloatArray, crow: FloatArray, compiled: Compiled
) -> float:
    """The largest lam in [0, 1] with (e - lam * c) / (1 - lam) still in the relaxation."""
    s = compiled.sizes.astype(np.float64)
    lam = 1.0
    # counts: e - lam c >= 0 and e - lam c <= (1 - lam) s
    pos = c > 0
    if pos.any():
        lam = min(lam, float((e[pos] / c[pos]).min()))
    part = c < s
    if part.any():
        lam = min(lam, float(((s[part] - e[part]) / (s[part] - c[part])).min()))
    # rows: lb (1 - lam) <= row - lam crow <= ub (1 - lam)
    lb, ub = compiled.lb, compiled.ub
    above = crow > lb
    if above.any():
        lam = min(lam, float(((row[above] - lb[above]) / (crow[above] - lb[above])).min()))
    below = crow < ub
    if below.any():
        lam = min(lam, float(((ub[below] - row[below]) / (ub[below] - crow[below])).min()))
    return max(lam, 0.0)


def peel(
    compiled: Compiled, counts: FloatArray, pricer: Pricer, max_steps: int | None = None
) -> tuple[list[IntArray], list[float], float]:
    """Panels and their probabilities that mix to `counts`, and the probability left over.

    The left-over is 0 when the peeling went through; otherwise the panels found mix to
    `counts` minus left-over times some point of the relaxation.
    """
    A = compiled.A
    s = compiled.sizes.astype(np.float64)
    e = np.clip(counts.astype(np.float64), 0.0, s)
    panels: list[IntArray] = []
    probs: list[float] = []
    mass = 1.0
    steps = max_steps if max_steps is not None else A.shape[0] + compiled.n_types + 1
    history: list[tuple[FloatArray, float]] = []  # the point and mass before each step
    backtracks = 0
    for _ in range(steps + MAX_BACKTRACKS):
        if mass <= DONE:
            break
        row = A @ e
        col_lo = np.where(e >= s - TOL, s, 0.0)
        col_hi = np.where(e <= TOL, 0.0, s)
        row_lo = np.where(row >= compiled.ub - TOL, compiled.ub, compiled.lb)
        row_hi = np.where(row <= compiled.lb + TOL, compiled.lb, compiled.ub)
        c = pricer.face_dive(e / s, (col_lo, col_hi), (row_lo, row_hi), seed=backtracks)
        lam = 0.0 if c is None else _step_length(e, c, row, A @ c.astype(np.float64), compiled)
        if c is None or lam <= TOL:
            # This face holds no panel (the relaxation is larger than the panels' hull
            # here): undo the last step and take another panel there.
            if not history or backtracks >= MAX_BACKTRACKS:
                break
            backtracks += 1
            e, mass = history.pop()
            panels.pop()
            probs.pop()
            continue
        panels.append(c)
        if lam >= 1.0 - TOL:
            probs.append(mass)
            mass = 0.0
            break
        history.append((e, mass))
        probs.append(mass * lam)
        mass *= 1.0 - lam
        e = np.clip((e - lam * c) / (1.0 - lam), 0.0, s)
    return panels, probs, mass
