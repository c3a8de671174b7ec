from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT


def test_bench_script_runs_quick(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_selection", ROOT / "bench" / "selection.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--quick", "--no-baseline", "--only", "example_small", "mass_24"]) == 0
    out = capsys.readouterr().out
    assert "example_small_20" in out and "mass_24_synthetic" in out and "0.100000" in out


def test_lottery_bench_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_lottery", ROOT / "bench" / "lottery.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--panels", "200", "--only", "mass_24"]) == 0
    out = capsys.readouterr().out
    assert "rounding s" in out and "mass_24" in out
