"""Benchmark LEXIMIN on the shared instances and on synthetic pools shaped like the paper's.

Prints seconds and minimum probability per instance, with a side-by-side baseline and the
speed-up: by default the same solver without type compression (every person its own type);
with --baseline-file, the figures of an earlier run of this script (e.g. the scipy-only code
before ADR 0005), so old and new algorithms are compared on the same instances.
Run: python bench/selection.py [--quick] [--no-baseline] [--baseline-file OLD.txt] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.selection.feasibility import check_feasibility  # noqa: E402
from portal.selection.io import load_instance  # noqa: E402
from portal.selection.leximin import find_leximin  # noqa: E402
from portal.selection.model import Instance, Person, Quota  # noqa: E402
from tests.shared_dir import shared_dir  # noqa: E402

SHARED = shared_dir() / "benchmarks" / "sortition"

# n, k and number of categories from reference_output/*_statistics.txt; the value counts
# per category are only published for sf_e (3, 4, 12, 3, 5, 2, 2), the rest are typical
# Sortition Foundation shapes (gender, age bands, region, education, ...).
PAPER_SHAPES: dict[str, tuple[int, int, tuple[int, ...]]] = {
    "sf_a_35": (312, 35, (2, 5, 6, 3, 3, 2)),
    "sf_b_20": (250, 20, (2, 5, 5, 3, 3, 2)),
    "sf_c_44": (161, 44, (2, 5, 4, 3, 3, 2, 2)),
    "sf_d_40": (404, 40, (2, 5, 8, 3, 3, 2)),
    "sf_e_110": (1727, 110, (3, 4, 12, 3, 5, 2, 2)),
    "cca_75": (825, 75, (2, 5, 6, 3)),
    "hd_30": (239, 30, (2, 5, 4, 3, 3, 2, 3)),
    "mass_24": (70, 24, (2, 4, 3, 3, 2)),
    "nexus_170": (342, 170, (2, 5, 4, 3, 4)),
    "obf_30": (321, 30, (2, 5, 4, 3, 3, 2, 3, 2)),
}
COPENHAGEN = ("copenhagen_36", 1500, 36, (2, 6, 10, 4, 3))


def synthetic(name: str, n: int, k: int, sizes: tuple[int, ...], seed: int = 0) -> Instance:
    """A pool with self-selection bias and correlated features; quotas near population shares."""
    rng = np.random.default_rng(seed)
    pop = [rng.dirichlet(np.full(s, 3.0)) for s in sizes]
    # Three latent groups distort the pool differently, so features correlate as in real pools.
    groups = rng.integers(0, 3, size=n)
    bias = [[pop[c] * rng.lognormal(0, 0.6, size=s) for _ in range(3)] for c, s in enumerate(sizes)]
    values = np.empty((n, len(sizes)), dtype=np.int64)
    for c, s in enumerate(sizes):
        for g in range(3):
            w = bias[c][g] / bias[c][g].sum()
            idx = np.flatnonzero(groups == g)
            values[idx, c] = rng.choice(s, size=len(idx), p=w)
    people = tuple(
        Person(str(i), {f"c{c}": f"v{values[i, c]}" for c in range(len(sizes))}) for i in range(n)
    )
    for widen in range(0, 20):
        quotas = []
        for c, s in enumerate(sizes):
            have = np.bincount(values[:, c], minlength=s)
            for v in range(s):
                target = k * pop[c][v]
                lo = max(0, min(int(np.floor(target)) - widen, int(have[v])))
                hi = max(lo, int(np.ceil(target)) + widen)
                quotas.append(Quota(f"c{c}", f"v{v}", lo, hi, float(pop[c][v])))
        inst = Instance(people, tuple(quotas), k)
        if check_feasibility(inst).feasible:
            return inst
    raise RuntimeError(f"{name}: could not make feasible quotas")


def instances(quick: bool) -> list[tuple[str, Instance]]:
    """The shared published instances, then the synthetic paper-shaped and Copenhagen pools."""
    out: list[tuple[str, Instance]] = []
    for name, k in (("example_small_20", 20), ("example_large_200", 200)):
        d = SHARED / "data" / name
        out.append((name, load_instance(d / "categories.csv", d / "respondents.csv", k)))
    shapes = dict(PAPER_SHAPES)
    if quick:
        shapes = {"mass_24": shapes["mass_24"], "sf_c_44": shapes["sf_c_44"]}
    for name, (n, k, sizes) in shapes.items():
        out.append((name + "_synthetic", synthetic(name, n, k, sizes)))
    if not quick:
        name, n, k, sizes = COPENHAGEN
        out.append((name + "_synthetic", synthetic(name, n, k, sizes)))
    return out


def read_table(path: Path) -> dict[str, tuple[float, float]]:
    """Seconds and minimum probability per instance from an earlier run's printed table."""
    out: dict[str, tuple[float, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 6:
            out[cols[0]] = (float(cols[4]), float(cols[5]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two small synthetic shapes only")
    parser.add_argument("--no-baseline", action="store_true", help="skip the uncompressed run")
    parser.add_argument("--baseline-max-n", type=int, default=500)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--baseline-file", type=Path, help="output of an earlier run to compare")
    args = parser.parse_args(argv)
    earlier = read_table(args.baseline_file) if args.baseline_file else {}
    print(
        f"{'instance':28} {'n':>5} {'k':>4} {'types':>5} {'seconds':>8} {'min p':>9} "
        f"{'stages':>6} {'base s':>8} {'base min':>9} {'speed-up':>8}"
    )
    for name, inst in instances(args.quick):
        if args.only and not any(o in name for o in args.only):
            continue
        t0 = time.perf_counter()
        dist = find_leximin(inst)
        secs = time.perf_counter() - t0
        line = (
            f"{name:28} {len(inst.people):5} {inst.k:4} {dist.compiled.n_types:5} "
            f"{secs:8.2f} {dist.min_probability:9.6f} {dist.type_distribution.stages:6}"
        )
        if args.baseline_file:
            if name in earlier:
                bsecs, bmin = earlier[name]
                line += f" {bsecs:8.2f} {bmin:9.6f} {bsecs / secs:7.1f}x"
        elif not args.no_baseline and len(inst.people) <= args.baseline_max_n:
            t0 = time.perf_counter()
            base = find_leximin(inst, merge_types=False)
            bsecs = time.perf_counter() - t0
            line += f" {bsecs:8.2f} {base.min_probability:9.6f} {bsecs / secs:7.1f}x"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
