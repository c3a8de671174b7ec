"""The public page's re-run command is safe to copy, whatever the seed; receipts stay in their assembly."""

from __future__ import annotations

import html
import re
import shlex

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Assembly, RunKind, RunStatus, SelectionRun

from ..conftest import NOW
from .test_registration import URL as REGISTER
from .test_registration import valid

SLUG = "baeredygtigt-forbrug"
HOSTILE_SEEDS = [
    "'; rm -rf ~ #",
    "$(id)",
    "`id`",
    "3 1 4\nrm -rf ~",
    'a"b\\c',
    "--seed=1 && id",
    "æøå ' \" $HOME",
]


def _published_run(db: Session, seed: str) -> SelectionRun:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == SLUG))
    run = SelectionRun(
        assembly_id=assembly.id,
        kind=RunKind.DRAW,
        status=RunStatus.DRAWN,
        code_version="test",
        inputs_digest="0" * 64,
        inputs={"respondents.csv": "id\n"},
        fingerprint="f" * 64,
        fingerprint_published_at=NOW,
        seed=seed,
        seed_entered_at=NOW,
        result=[],
        min_probability=0.2,
        lottery={"panels": []},
    )
    db.add(run)
    db.commit()
    return run


@pytest.mark.parametrize("seed", HOSTILE_SEEDS)
def test_rerun_command_passes_the_seed_as_one_argument(
    client: FlaskClient, db: Session, seed: str
) -> None:
    run = _published_run(db, seed)
    page = client.get(f"/assemblies/{SLUG}/selection").get_data(as_text=True)
    shown = re.search(r'<pre class="command"><code>(.*?)</code></pre>', page, re.S)
    assert shown is not None
    command = html.unescape(shown.group(1))
    assert shlex.split(command) == [
        "python",
        "-m",
        "portal.selection",
        "draw",
        "--lottery",
        f"lottery-{run.id}.json",
        "--seed",
        seed,
    ]


def test_a_receipt_link_works_only_under_its_own_assembly(client: FlaskClient) -> None:
    response = client.post(REGISTER, data=valid(email="kvittering@example.dk"))
    receipt = response.headers["Location"]
    assert client.get(receipt).status_code == 200
    token = receipt.rsplit("/", 1)[1]
    other = f"/assemblies/groent-byliv-indre-oesterbro/register/{token}"
    assert client.get(other).status_code == 404
    assert client.post(other + "/withdraw", data={"confirm": "yes"}).status_code == 404
    assert client.get(receipt).status_code == 200  # still registered
