"""Benchmark rounding a LEXIMIN distribution into the public lottery (it runs during a draw).

Prints, per pool shape, the seconds LEXIMIN took, the seconds rounding into `--panels` equally
likely panels took, and the rounding's worst change of anyone's chance (bound: k / panels).
Figures, not pass/fail: the unit tests check only that rounding stays within the bound.
Run: python bench/lottery.py [--panels 1000] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.selection.leximin import find_leximin  # noqa: E402
from portal.selection.lottery import build_lottery  # noqa: E402


def _bench_selection():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_selection", ROOT / "bench" / "selection.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--panels", type=int, default=1000)
    parser.add_argument("--only", nargs="*", default=["mass_24", "sf_c_44", "sf_a_35"])
    args = parser.parse_args(argv)
    bench = _bench_selection()
    print(f"{'instance':<22}{'leximin s':>11}{'rounding s':>12}{'max change':>12}{'bound':>9}")
    for name in args.only:
        n, k, sizes = bench.PAPER_SHAPES[name]
        dist = find_leximin(bench.synthetic(name, n, k, sizes))
        start = time.perf_counter()
        lottery = build_lottery(dist, args.panels)
        seconds = time.perf_counter() - start
        change = max(lottery.max_decrease, lottery.max_increase)
        print(
            f"{name:<22}{dist.seconds:>11.3f}{seconds:>12.3f}{change:>12.5f}{k / args.panels:>9.5f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
