"""CSV injection: no cell of a CSV the portal writes can start a formula; numbers stay numbers and
the draw's published inputs still run through `python -m portal.selection`."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from portal import csvsafe
from portal.models import Invitation, InvitationBatch, QuotaTarget, Registrant
from portal.recruitment.draws import anonymised_inputs
from portal.recruitment.invitations import mail_merge_csv

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_text_gets_a_quote_and_reads_back_whole(value: str) -> None:
    out = io.StringIO()
    csvsafe.writer(out).writerow(["ok", value])
    [row] = _read(out.getvalue())
    assert row == ["ok", "'" + value]


@pytest.mark.parametrize(
    "value", [-3, 2.5, "-3", "+1.5", "-0.25", "1e5", "-", "Nord", "", "a=b", "18-29", None]
)
def test_numbers_and_harmless_text_are_left_alone(value: object) -> None:
    out = io.StringIO()
    csvsafe.writer(out).writerow([value])
    [row] = _read(out.getvalue())
    expected = "'-" if value == "-" else ("" if value is None else str(value))
    assert row == [expected]


def test_only_csvsafe_writes_csv() -> None:
    """A new export must use csvsafe.writer, or its cells could become formulas."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal").rglob("*.py")
        if path.name != "csvsafe.py"
        and ("csv.writer(" in (text := path.read_text()) or "DictWriter(" in text)
    ]
    assert not offenders, f"use portal.csvsafe.writer in {offenders}"


def test_mail_merge_csv_neutralises_the_register_cells() -> None:
    batch = InvitationBatch(invitations=[])
    for i, value in enumerate(HOSTILE):
        batch.invitations.append(
            Invitation(code=f"ABCD-000{i}", register_row={"household": value, "bydel": "-"})
        )
    rows = _read(mail_merge_csv(batch))
    assert rows[0] == ["code", "household", "bydel"]
    assert [row[1] for row in rows[1:]] == ["'" + v for v in HOSTILE]
    assert all(not row[c].startswith(tuple("=+-@\t\r")) for row in rows for c in range(3))


def test_draw_inputs_with_formula_like_answers_still_rerun(tmp_path: Path) -> None:
    quotas = [
        QuotaTarget(category="=Køn", value="=Kvinde", min_count=1, max_count=2),
        QuotaTarget(category="=Køn", value="+Mand", min_count=1, max_count=2),
        QuotaTarget(category="Alder", value="-29", min_count=1, max_count=3),
        QuotaTarget(category="Alder", value="@30+", min_count=0, max_count=3),
    ]
    answers = [("=Kvinde", "-29"), ("+Mand", "@30+"), ("=Kvinde", "@30+"), ("+Mand", "-29")]
    people = [
        Registrant(public_id=f"p{i}", answers={"=Køn": k, "Alder": a}, household_key=f"h{i}")
        for i, (k, a) in enumerate(answers)
    ]
    inputs = anonymised_inputs(quotas, people)
    for name, text in inputs.items():
        assert not any(cell.startswith(tuple("=+@\t\r")) for row in _read(text) for cell in row), (
            name
        )
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert ["'=Køn", "'=Kvinde", "1", "2"] in _read(inputs["quotas.csv"])
    assert ["Alder", "-29", "1", "3"] in _read(inputs["quotas.csv"])  # a number stays a number
    result = subprocess.run(
        [
            sys.executable, "-m", "portal.selection", "check",
            "--quotas", str(tmp_path / "quotas.csv"),
            "--respondents", str(tmp_path / "respondents.csv"),
            "--panel-size", "2", "--address-columns", "household", "--quiet",
        ],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
