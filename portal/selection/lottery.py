"""Round a LEXIMIN distribution to a uniform lottery over m panels, fingerprint it, and draw.

Canonical form (what the fingerprint hashes): the panels as a JSON array of arrays of
member ids (strings); ids inside a panel sorted by Python's string order, the panels sorted
the same way (as lists), duplicates kept; serialised with ``json.dumps(panels,
separators=(",", ":"), ensure_ascii=False)`` and encoded as UTF-8. The fingerprint is the
hex sha256 of those bytes. Panel number i is the i-th panel of that sorted list, and the
draw is ``int.from_bytes(sha256(seed.encode("utf-8")).digest(), "big") % m``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import SelectionInputError
from .leximin import Distribution
from .model import FloatArray, IntArray

FORMAT = "samling-lottery/1"
MAX_SWAPS = 5000  # rounding local search: a safety cap, far above what the bench instances need
IMPROVE_TOL = 1e-12


def canonical_json(panels: list[list[str]]) -> str:
    """The documented canonical serialisation of a sorted panel list."""
    return json.dumps(panels, separators=(",", ":"), ensure_ascii=False)


def fingerprint(panels: list[list[str]]) -> str:
    """Hex sha256 of the canonical JSON of the panels."""
    return hashlib.sha256(canonical_json(panels).encode("utf-8")).hexdigest()


def draw_index(seed: str, m: int) -> int:
    """Panel number for a public seed: sha256(seed) as a big-endian integer, mod m."""
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big") % m


@dataclass
class Lottery:
    """A uniform lottery: m panels (a multiset), equally likely, and how far it is from LEXIMIN."""

    panels: list[list[str]]
    k: int
    leximin_min: float
    lottery_min: float
    max_decrease: float
    max_increase: float

    @property
    def m(self) -> int:
        return len(self.panels)

    @property
    def bound(self) -> float:
        """k/m: the Beck-Fiala-type bound on how far any person's probability may move."""
        return self.k / self.m

    def to_json(self) -> dict[str, Any]:
        """Self-contained JSON: anyone can recompute the fingerprint and the draw from it."""
        return {
            "format": FORMAT,
            "panel_size": self.k,
            "m": self.m,
            "fingerprint": fingerprint(self.panels),
            "canonical_form": "sha256 of UTF-8 json.dumps(sorted panels of sorted string ids, "
            'separators=(",", ":"), ensure_ascii=False)',
            "draw_rule": 'int.from_bytes(sha256(seed.encode("utf-8")).digest(), "big") % m',
            "leximin_min_probability": self.leximin_min,
            "lottery_min_probability": self.lottery_min,
            "max_probability_decrease": self.max_decrease,
            "max_probability_increase": self.max_increase,
            "bound": self.bound,
            "panels": self.panels,
        }


def _round_counts(dist: Distribution, m: int) -> IntArray:
    """Integer copies per type panel summing to m, each m*p rounded down or up, close to m*p.

    Largest remainders give the start; then one copy at a time moves from a rounded-up panel
    to a rounded-down one while that lowers the sum of squared type-probability errors
    (deterministic, so the same distribution always gives the same lottery).
    """
    td, comp = dist.type_distribution, dist.compiled
    target = td.probs * m
    low = np.floor(target)
    copies = low.copy()
    short = int(round(m - low.sum()))
    copies[np.argsort(-(target - low), kind="stable")[:short]] += 1
    if len(td.probs) > 1:
        share = np.column_stack([c / comp.sizes for c in td.counts])  # types x type-panels
        copies = _improve(share, target, low, np.ceil(target), copies)
    return copies.astype(np.int64)


def _improve(
    share: FloatArray, target: FloatArray, low: FloatArray, high: FloatArray, copies: FloatArray
) -> FloatArray:
    """Greedy best swaps of one copy (panel i loses one, panel j gains one) on squared error."""
    error = share @ (copies - target)  # per type, in copies of the lottery
    gram = share.T @ share
    norms = np.diag(gram)
    for _ in range(MAX_SWAPS):
        down = np.flatnonzero(copies > low)
        up = np.flatnonzero(copies < high)
        if not len(down) or not len(up):
            break
        a = share.T @ error
        # ||e - s_i + s_j||^2 - ||e||^2 for every pair (i in down, j in up).
        delta = (
            2.0 * (a[up][None, :] - a[down][:, None])
            + norms[down][:, None]
            + norms[up][None, :]
            - 2.0 * gram[np.ix_(down, up)]
        )
        best = int(np.argmin(delta))
        r, c = divmod(best, len(up))
        if delta[r, c] > -IMPROVE_TOL:
            break
        i, j = down[r], up[c]
        copies[i] -= 1
        copies[j] += 1
        error += share[:, j] - share[:, i]
    return copies


def build_lottery(dist: Distribution, m: int = 1000) -> Lottery:
    """Uniform lottery over m panels close to the LEXIMIN distribution (losses reported)."""
    if m < 1:
        raise SelectionInputError(f"the number of lottery panels must be positive, got {m}")
    comp, inst = dist.compiled, dist.instance
    copies = _round_counts(dist, m)
    # Within a type, hand out seats cyclically across all copies, so members of a type
    # differ by at most one panel in m.
    offset = np.zeros(comp.n_types, dtype=np.int64)
    panels: list[list[str]] = []
    for counts, n_copies in zip(dist.type_distribution.counts, copies, strict=True):
        for _ in range(int(n_copies)):
            members: list[int] = []
            for t in np.flatnonzero(counts):
                c = int(counts[t])
                s = int(comp.sizes[t])
                start = int(offset[t])
                members += [comp.members[t][(start + j) % s] for j in range(c)]
                offset[t] = (start + c) % s
            panels.append(sorted(inst.people[i].id for i in members))
    panels.sort()
    lottery_marginals = np.zeros(len(inst.people))
    index = {p.id: i for i, p in enumerate(inst.people)}
    for panel in panels:
        lottery_marginals[[index[pid] for pid in panel]] += 1.0 / m
    diff = lottery_marginals - dist.marginals
    return Lottery(
        panels=panels,
        k=inst.k,
        leximin_min=dist.min_probability,
        lottery_min=float(lottery_marginals.min()),
        max_decrease=float(max(0.0, -diff.min())),
        max_increase=float(max(0.0, diff.max())),
    )


def load_lottery(data: Any, file: str = "<lottery>") -> list[list[str]]:
    """Validate a lottery JSON object and return its panels; the fingerprint must match."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SelectionInputError(f"not a {FORMAT} file", file=file)
    panels = data.get("panels")
    if (
        not isinstance(panels, list)
        or not panels
        or not all(isinstance(p, list) and all(isinstance(i, str) for i in p) for p in panels)
    ):
        raise SelectionInputError("'panels' must be a non-empty list of lists of ids", file=file)
    if fingerprint(panels) != data.get("fingerprint"):
        raise SelectionInputError(
            "fingerprint does not match the panels: the file was changed", file=file
        )
    return panels


def draw(data: Any, seed: str, file: str = "<lottery>") -> dict[str, Any]:
    """Draw the panel for a seed from a lottery JSON object; same inputs, same panel, anywhere."""
    panels = load_lottery(data, file)
    index = draw_index(seed, len(panels))
    return {
        "fingerprint": fingerprint(panels),
        "seed": seed,
        "m": len(panels),
        "index": index,
        "members": panels[index],
    }


__all__ = ["Lottery", "build_lottery", "draw", "draw_index", "fingerprint"]
