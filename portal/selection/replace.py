"""Replace panel members who dropped out, keeping the quotas or coming as close as possible.

Fairness: the replacements are drawn from the LEXIMIN distribution over replacement sets
(candidates = pool minus the drawn panel minus those who declined; quotas shifted by what
the remaining members already cover). If no set meets the quotas, the smallest quota
relaxation is applied first and reported. The pick is reproducible: the point
``int(sha256(seed)) / 2**256`` falls into one panel of the cumulative distribution, with
panels in their sorted canonical order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .errors import SelectionInputError
from .feasibility import Relaxation, check_feasibility
from .leximin import find_leximin
from .model import Instance, Quota


@dataclass
class Replacement:
    """Who replaces the dropouts, the resulting panel, and any quota it had to miss."""

    replacements: list[str]
    panel: list[str]
    deviations: list[Relaxation] = field(default_factory=list)
    probabilities: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """JSON for the CLI and the portal's audit record."""
        return {
            "replacements": self.replacements,
            "panel": self.panel,
            "meets_quotas": not self.deviations,
            "quota_deviations": [str(d) for d in self.deviations],
            "replacement_probabilities": self.probabilities,
        }


def _check_ids(instance: Instance, ids: Sequence[str], what: str) -> None:
    """Every id given on the command line must be in the pool."""
    known = {p.id for p in instance.people}
    for pid in ids:
        if pid not in known:
            raise SelectionInputError(f"{what}: unknown id {pid!r}")


def replace_dropouts(
    instance: Instance,
    panel: Sequence[str],
    dropouts: Sequence[str],
    *,
    declined: Sequence[str] = (),
    seed: str = "",
) -> Replacement:
    """Pick len(dropouts) people so the full panel meets the quotas, fairly among the eligible."""
    _check_ids(instance, panel, "panel")
    _check_ids(instance, dropouts, "dropouts")
    _check_ids(instance, declined, "declined")
    if not set(dropouts) <= set(panel):
        raise SelectionInputError("every dropout must be a member of the drawn panel")
    stay = [pid for pid in panel if pid not in set(dropouts)]
    if not dropouts:
        return Replacement([], sorted(panel))
    by_id = {p.id: p for p in instance.people}
    staying = [by_id[pid] for pid in stay]
    taken_addresses = {p.address for p in staying if p.address is not None}
    excluded = set(panel) | set(declined)
    candidates = tuple(
        p
        for p in instance.people
        if p.id not in excluded
        and not (instance.household_rule and p.address is not None and p.address in taken_addresses)
    )
    if len(candidates) < len(dropouts):
        raise SelectionInputError(
            f"only {len(candidates)} eligible people are left for {len(dropouts)} seats"
        )
    quotas = []
    for q in instance.quotas:
        have = sum(1 for p in staying if p.features.get(q.category) == q.value)
        quotas.append(Quota(q.category, q.value, max(0, q.min - have), max(0, q.max - have)))
    sub = replace(instance, people=candidates, quotas=tuple(quotas), k=len(dropouts))
    feas = check_feasibility(sub)
    deviations: list[Relaxation] = []
    if not feas.feasible:
        if not feas.relaxations:
            raise SelectionInputError("no replacement set fits even with relaxed quotas")
        moved = {(r.category, r.value, r.bound): r.new for r in feas.relaxations}
        sub = replace(
            sub,
            quotas=tuple(
                replace(
                    q,
                    min=moved.get((q.category, q.value, "min"), q.min),
                    max=moved.get((q.category, q.value, "max"), q.max),
                )
                for q in sub.quotas
            ),
        )
        # Report the deviation against the original quotas of the full panel.
        orig = {(q.category, q.value): q for q in instance.quotas}
        for r in feas.relaxations:
            q = orig[(r.category, r.value)]
            shift = r.new - (r.old)
            deviations.append(
                Relaxation(
                    r.category, r.value, r.bound, getattr(q, r.bound), getattr(q, r.bound) + shift
                )
            )
    dist = find_leximin(sub)
    point = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big") / 2**256
    ordered = sorted(
        (sorted(candidates[i].id for i in members), prob) for members, prob in dist.panels
    )
    total = 0.0
    chosen = ordered[-1][0]
    for ids, prob in ordered:
        total += prob
        if point < total:
            chosen = ids
            break
    probs = {candidates[i].id: float(dist.marginals[i]) for i in range(len(candidates))}
    return Replacement(chosen, sorted(stay + chosen), deviations, probs)
