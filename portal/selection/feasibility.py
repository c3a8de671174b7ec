"""Is there any panel meeting every quota (and the household rule)? If not, say why and what to relax."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import InfeasibleError
from .model import Compiled, FloatArray, Instance, IntArray, compile_instance

# HiGHS needs the gap closed, not 0.01% of it, because pricing values are tiny numbers.
MILP_OPTIONS = {"mip_rel_gap": 1e-9, "presolve": True}


def best_panel(compiled: Compiled, weights: FloatArray) -> tuple[float, IntArray] | None:
    """Quota-satisfying type-count panel maximising sum(weights * counts), or None if none exists."""
    res = milp(
        c=-weights,
        constraints=LinearConstraint(compiled.A, compiled.lb, compiled.ub),
        integrality=np.ones(compiled.n_types),
        bounds=Bounds(0, compiled.sizes.astype(np.float64)),
        options=MILP_OPTIONS,
    )
    if res.status == 2:  # infeasible
        return None
    if res.x is None:
        raise RuntimeError(f"HiGHS MILP failed: {res.message}")
    counts = np.rint(res.x).astype(np.int64)
    return float(weights @ counts), counts


@dataclass(frozen=True)
class Relaxation:
    """One quota bound that must move for a panel to exist."""

    category: str
    value: str
    bound: str  # "min" or "max"
    old: int
    new: int

    def __str__(self) -> str:
        verb = "lower the minimum" if self.bound == "min" else "raise the maximum"
        return f"{verb} for {self.category} {self.value} from {self.old} to {self.new}"


@dataclass
class Feasibility:
    """Outcome of the feasibility check, with reasons and the smallest quota relaxation."""

    feasible: bool
    panel: list[str] | None = None
    conflicts: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)

    def explanation(self) -> str:
        """The secretariat-facing explanation in plain words."""
        if self.feasible:
            return "A panel meeting every quota exists."
        lines = ["No panel meets every quota."]
        lines += [f"- {c}" for c in self.conflicts]
        if self.relaxations:
            lines.append("Smallest change to the quotas that makes a panel possible:")
            lines += [f"- {r}" for r in self.relaxations]
        return "\n".join(lines)


def _simple_conflicts(instance: Instance, households: int | None) -> list[str]:
    """Conflicts visible without a solver: pool too small, sums of mins/maxes, value shortages."""
    k = instance.k
    out: list[str] = []
    if len(instance.people) < k:
        out.append(f"the pool has {len(instance.people)} people but the panel needs {k}")
    if households is not None and households < k:
        out.append(f"the pool has only {households} households but the panel needs {k} seats")
    for cat in instance.categories:
        qs = [q for q in instance.quotas if q.category == cat]
        lo, hi = sum(q.min for q in qs), sum(q.max for q in qs)
        if lo > k:
            out.append(f"the minimums for {cat} add up to {lo}, more than the {k} seats")
        if hi < k:
            out.append(f"the maximums for {cat} add up to {hi}, fewer than the {k} seats")
    for q in instance.quotas:
        have = sum(1 for p in instance.people if p.features.get(q.category) == q.value)
        if have < q.min:
            out.append(
                f"{q.category} {q.value} needs at least {q.min} but only {have} "
                "people in the pool have it"
            )
    return out


def _relax(compiled: Compiled) -> list[Relaxation] | None:
    """Minimise the total quota slack; None when even free quotas cannot fill the panel."""
    inst = compiled.instance
    nq, nt = len(inst.quotas), compiled.n_types
    # Variables: type counts, then lower slacks, then upper slacks.
    eye = sparse.identity(nq, format="csr")
    zeros = sparse.csr_array((1, nq))
    size_row = sparse.hstack([compiled.A[[0], :], zeros, zeros])
    low_rows = sparse.hstack([compiled.A[1 : 1 + nq, :], eye, sparse.csr_array((nq, nq))])
    up_rows = sparse.hstack([compiled.A[1 : 1 + nq, :], sparse.csr_array((nq, nq)), -eye])
    hh = compiled.A[1 + nq :, :]
    hh_rows = sparse.hstack([hh, sparse.csr_array((hh.shape[0], 2 * nq))])
    mins = compiled.lb[1 : 1 + nq]
    maxs = compiled.ub[1 : 1 + nq]
    A = sparse.vstack([size_row, low_rows, up_rows, hh_rows]).tocsr()
    lb = np.concatenate([[inst.k], mins, np.full(nq, -np.inf), np.zeros(hh.shape[0])])
    ub = np.concatenate([[inst.k], np.full(nq, np.inf), maxs, np.ones(hh.shape[0])])
    cost = np.concatenate([np.zeros(nt), np.ones(2 * nq)])
    upper = np.concatenate([compiled.sizes.astype(np.float64), np.full(2 * nq, np.inf)])
    res = milp(
        c=cost,
        constraints=LinearConstraint(A, lb, ub),
        integrality=np.ones(nt + 2 * nq),
        bounds=Bounds(0, upper),
        options=MILP_OPTIONS,
    )
    if res.x is None:
        return None
    x = np.rint(res.x)
    out: list[Relaxation] = []
    for j, q in enumerate(inst.quotas):
        if x[nt + j] > 0:
            out.append(Relaxation(q.category, q.value, "min", q.min, q.min - int(x[nt + j])))
        if x[nt + nq + j] > 0:
            out.append(Relaxation(q.category, q.value, "max", q.max, q.max + int(x[nt + nq + j])))
    return out


def relaxed_instance(instance: Instance, relaxations: list[Relaxation]) -> Instance:
    """The instance with the given quota bounds moved."""
    from dataclasses import replace

    moved = {(r.category, r.value, r.bound): r.new for r in relaxations}
    quotas = tuple(
        replace(
            q,
            min=moved.get((q.category, q.value, "min"), q.min),
            max=moved.get((q.category, q.value, "max"), q.max),
        )
        for q in instance.quotas
    )
    return replace(instance, quotas=quotas)


def check_feasibility(instance: Instance, compiled: Compiled | None = None) -> Feasibility:
    """Decide whether some panel of size k meets all quotas; explain and relax if not."""
    compiled = compiled or compile_instance(instance)
    found = best_panel(compiled, np.zeros(compiled.n_types))
    if found is not None:
        members = [
            instance.people[i].id
            for t, c in enumerate(found[1])
            for i in compiled.members[t][: int(c)]
        ]
        return Feasibility(True, panel=members)
    households = None
    if instance.household_rule:
        addrs = {p.address if p.address else ("#", p.id) for p in instance.people}
        households = len(addrs)
    conflicts = _simple_conflicts(instance, households)
    relaxations = _relax(compiled)
    if relaxations is None:
        if not conflicts:
            conflicts.append("no set of quotas lets a panel of this size be filled from the pool")
        return Feasibility(False, conflicts=conflicts)
    if not conflicts:
        names = sorted({f"{r.category} {r.value}" for r in relaxations})
        conflicts.append(
            "the quotas cannot all hold together; the tightest involve " + ", ".join(names)
        )
    return Feasibility(False, conflicts=conflicts, relaxations=relaxations)


def require_feasible(instance: Instance, compiled: Compiled | None = None) -> None:
    """Raise InfeasibleError with the explanation when no panel meets every quota."""
    result = check_feasibility(instance, compiled)
    if not result.feasible:
        raise InfeasibleError(result.explanation())
