from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from portal.selection.errors import SelectionInputError
from portal.selection.leximin import find_leximin
from portal.selection.lottery import build_lottery, draw, draw_index, fingerprint
from portal.selection.model import Instance, Person, Quota

from .conftest import ROOT, SHARED_DATA, shared_instance


def uneven_instance() -> Instance:
    """A pool where LEXIMIN probabilities are uneven, so rounding actually moves something."""
    rng = np.random.default_rng(3)
    people = tuple(
        Person(str(i), {"g": str(rng.choice(2, p=[0.7, 0.3])), "a": str(rng.choice(3))})
        for i in range(40)
    )
    quotas = (
        Quota("g", "0", 3, 4),
        Quota("g", "1", 3, 4),
        Quota("a", "0", 2, 3),
        Quota("a", "1", 2, 3),
        Quota("a", "2", 2, 3),
    )
    return Instance(people, quotas, 7)


@pytest.mark.parametrize("m", [7, 50, 1000])
def test_loss_is_reported_and_within_the_bound(m: int) -> None:
    dist = find_leximin(uneven_instance())
    lottery = build_lottery(dist, m)
    assert lottery.m == m and all(len(p) == 7 for p in lottery.panels)
    counts = {pid: 0 for pid in (p.id for p in dist.instance.people)}
    for panel in lottery.panels:
        for pid in panel:
            counts[pid] += 1
    change = np.array([counts[p.id] / m for p in dist.instance.people]) - dist.marginals
    assert lottery.max_decrease == pytest.approx(max(0.0, -change.min()), abs=1e-12)
    assert lottery.max_increase == pytest.approx(max(0.0, change.max()), abs=1e-12)
    # Fair Sortition Made Transparent: rounding to m panels need move no one by more than k/m.
    assert max(lottery.max_decrease, lottery.max_increase) <= 7 / m + 1e-9
    assert lottery.lottery_min >= lottery.leximin_min - 7 / m - 1e-9


def test_published_instance_lottery_keeps_ten_percent() -> None:
    lottery = build_lottery(find_leximin(shared_instance("example_small_20", 20)), 1000)
    assert lottery.lottery_min == pytest.approx(0.1, abs=1e-9)


def test_fingerprint_is_canonical_and_draw_rule() -> None:
    panels = [["1", "10"], ["2", "3"]]
    assert fingerprint(panels) == hashlib.sha256(b'[["1","10"],["2","3"]]').hexdigest()
    digest = hashlib.sha256(b"dice 4-6-1").digest()
    assert draw_index("dice 4-6-1", 1000) == int.from_bytes(digest, "big") % 1000


def test_tampered_lottery_is_rejected() -> None:
    data = build_lottery(find_leximin(uneven_instance()), 10).to_json()
    data["panels"][0] = ["999"] * 7  # swap in a panel that was never published
    with pytest.raises(SelectionInputError, match="fingerprint"):
        draw(data, "seed")


def test_draw_is_reproducible_across_processes(tmp_path: Path) -> None:
    d = SHARED_DATA / "example_small_20"
    out = tmp_path / "lottery.json"
    cmd = [sys.executable, "-m", "portal.selection"]
    subprocess.run(
        [
            *cmd,
            "lottery",
            "--quotas",
            str(d / "categories.csv"),
            "--respondents",
            str(d / "respondents.csv"),
            "--panel-size",
            "20",
            "--panels",
            "100",
            "--out",
            str(out),
            "--quiet",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    runs = [
        subprocess.run(
            [*cmd, "draw", "--lottery", str(out), "--seed", "Lotto 2026-03-01"],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    chosen = json.loads(runs[0])
    data = json.loads(out.read_text())
    assert chosen["index"] == draw_index("Lotto 2026-03-01", 100)
    assert chosen["members"] == data["panels"][chosen["index"]]
    assert chosen["fingerprint"] == data["fingerprint"] == fingerprint(data["panels"])


def test_rounding_a_bench_shaped_pool_stays_within_the_bound() -> None:
    """Correctness only; how long rounding takes is measured by bench/lottery.py."""
    spec = importlib.util.spec_from_file_location(
        "bench_selection", ROOT / "bench" / "selection.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    n, k, sizes = bench.PAPER_SHAPES["mass_24"]
    dist = find_leximin(bench.synthetic("mass_24", n, k, sizes))
    lottery = build_lottery(dist, 1000)
    assert max(lottery.max_decrease, lottery.max_increase) <= k / 1000 + 1e-9
    assert lottery.lottery_min >= lottery.leximin_min - k / 1000 - 1e-9
