"""The selection report: quotas against pool and panel per value, and a probability summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .leximin import Distribution
from .model import FloatArray, Instance


def gini(values: FloatArray) -> float:
    """Gini coefficient: mean absolute difference over twice the mean (0 = all equal)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ x / (n * x.sum()))


def geometric_mean(values: FloatArray) -> float:
    """Geometric mean; 0 when anyone has probability 0."""
    x = np.asarray(values, dtype=np.float64)
    if (x <= 0).any():
        return 0.0
    return float(np.exp(np.log(x).mean()))


def build_report(
    instance: Instance,
    dist: Distribution | None = None,
    panel: Sequence[str] | None = None,
    seconds: float | None = None,
) -> dict[str, Any]:
    """Per category value: quota, pool count, panel count (expected, or of a drawn panel), share."""
    in_panel = set(panel or ())
    rows = []
    for q in instance.quotas:
        has = [i for i, p in enumerate(instance.people) if p.features.get(q.category) == q.value]
        row: dict[str, Any] = {
            "category": q.category,
            "value": q.value,
            "min": q.min,
            "max": q.max,
            "pool": len(has),
            "population_share": q.population_share,
        }
        if dist is not None:
            row["expected_panel"] = round(float(dist.marginals[has].sum()), 6)
        if panel is not None:
            row["panel"] = sum(1 for i in has if instance.people[i].id in in_panel)
        rows.append(row)
    out: dict[str, Any] = {
        "panel_size": instance.k,
        "pool_size": len(instance.people),
        "quotas": rows,
    }
    if dist is not None:
        out["probabilities"] = {
            "min": dist.min_probability,
            "gini": gini(dist.marginals),
            "geometric_mean": geometric_mean(dist.marginals),
        }
        out["seconds"] = dist.seconds if seconds is None else seconds
    return out


def format_report(report: dict[str, Any]) -> str:
    """Plain-text table of the report for the terminal."""
    lines = [f"panel size {report['panel_size']} from a pool of {report['pool_size']}"]
    lines.append(
        f"{'category':16} {'value':16} {'min':>4} {'max':>4} {'pool':>5} {'panel':>7} {'pop.%':>6}"
    )
    for r in report["quotas"]:
        panel = r.get("panel", r.get("expected_panel", ""))
        share = "" if r["population_share"] is None else f"{100 * r['population_share']:.1f}"
        lines.append(
            f"{r['category'][:16]:16} {r['value'][:16]:16} {r['min']:4} {r['max']:4} "
            f"{r['pool']:5} {panel!s:>7} {share:>6}"
        )
    if "probabilities" in report:
        p = report["probabilities"]
        lines.append(
            f"minimum probability {100 * p['min']:.2f}%, Gini {100 * p['gini']:.1f}%, "
            f"geometric mean {100 * p['geometric_mean']:.2f}%, "
            f"{report['seconds']:.2f} s"
        )
    return "\n".join(lines)
