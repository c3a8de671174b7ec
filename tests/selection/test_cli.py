from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portal.selection.cli import main

from .conftest import ROOT, SHARED_DATA, write

SMALL = SHARED_DATA / "example_small_20"
ARGS = ["--quotas", str(SMALL / "categories.csv"), "--respondents", str(SMALL / "respondents.csv")]


def test_probabilities_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probabilities", *ARGS, "--panel-size", "20", "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert abs(out["min_probability"] - 0.1) < 1e-6
    assert len(out["marginals"]) == 200 and out["seconds"] >= 0
    assert abs(sum(p["probability"] for p in out["panels"]) - 1) < 1e-9
    assert all(len(p["members"]) == 20 for p in out["panels"])
    assert "stage 1" in captured.err  # progress goes to stderr


def test_probabilities_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probabilities", *ARGS, "--panel-size", "20", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "minimum probability 10.00%" in out and "Gini 0.0%" in out


def test_check_feasible_and_infeasible(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *ARGS, "--panel-size", "20"]) == 0
    assert main(["check", *ARGS, "--panel-size", "45"]) == 2
    assert "raise the maximum" in capsys.readouterr().out


def test_infeasible_probabilities_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probabilities", *ARGS, "--panel-size", "45", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "No panel meets every quota" in captured.err


def test_bad_input_exit_1(tmp_path: Path) -> None:
    bad = write(tmp_path, "q.csv", "category,feature,min,max\ngender,female,9,2\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal.selection",
            "check",
            "--quotas",
            str(bad),
            "--respondents",
            str(SMALL / "respondents.csv"),
            "--panel-size",
            "20",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad}, line 2, column 'min': min 9 is greater than max 2" in proc.stderr


def test_bad_lottery_file_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "l.json", "{not json")
    assert main(["draw", "--lottery", str(path), "--seed", "1"]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["draw", "--lottery", str(tmp_path / "missing.json"), "--seed", "1"]) == 1


def test_lottery_draw_replace_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lottery.json"
    assert (
        main(
            ["lottery", *ARGS, "--panel-size", "20", "--panels", "50", "--out", str(out), "--quiet"]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["m"] == 50 and len(summary["fingerprint"]) == 64
    assert main(["draw", "--lottery", str(out), "--seed", "42"]) == 0
    drawn_text = capsys.readouterr().out
    drawn = tmp_path / "drawn.json"
    drawn.write_text(drawn_text)
    members = json.loads(drawn_text)["members"]
    assert (
        main(
            [
                "replace",
                *ARGS,
                "--panel",
                str(drawn),
                "--dropouts",
                ",".join(members[:2]),
                "--seed",
                "s",
                "--quiet",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["meets_quotas"] and len(result["panel"]) == 20
    assert not set(result["replacements"]) & set(members)
