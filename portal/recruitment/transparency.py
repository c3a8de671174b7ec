"""What the public sees of a draw: published runs, downloads, and target vs pool vs panel."""

from __future__ import annotations

import csv
import io
import json
import shlex
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Assembly, Registrant, RegistrantStatus, SelectionRun
from .quotas import list_quotas


def public_runs(session: Session, assembly: Assembly) -> list[SelectionRun]:
    """Runs with a published fingerprint (never the running or failed ones' inputs)."""
    return list(
        session.scalars(
            select(SelectionRun)
            .where(SelectionRun.assembly_id == assembly.id, SelectionRun.fingerprint.is_not(None))
            .order_by(SelectionRun.id)
        )
    )


def get_public_run(session: Session, assembly: Assembly, run_id: int) -> SelectionRun:
    run = session.get(SelectionRun, run_id)
    if run is None or run.assembly_id != assembly.id or run.fingerprint is None:
        raise NotFound("run")
    return run


def rerun_command(run: SelectionRun) -> str:
    """The shell command that re-runs the draw; the seed is quoted, whatever it contains."""
    seed = shlex.quote(run.seed or "SEED")
    return f"python -m portal.selection draw --lottery lottery-{run.id}.json --seed {seed}"


def download(run: SelectionRun, name: str) -> tuple[str, str]:
    """A published file of a run: its inputs or its lottery (never anything personal)."""
    if name == "lottery.json" and run.lottery is not None:
        return json.dumps(run.lottery, ensure_ascii=False, indent=1), "application/json"
    if name in run.inputs:
        return run.inputs[name], "text/csv"
    raise NotFound(name)


@dataclass
class ChartRow:
    value: str
    population: float | None  # share of the population (target)
    pool: float  # share of the pool
    panel: float | None  # share of the drawn panel
    pool_count: int
    panel_count: int | None
    min_count: int
    max_count: int


@dataclass
class SelectionOverview:
    run: SelectionRun | None
    pool_size: int
    charts: dict[str, list[ChartRow]]


def selection_overview(session: Session, assembly: Assembly) -> SelectionOverview:
    """Target vs pool vs panel per category, from the published run (counts only)."""
    runs = public_runs(session, assembly)
    run = runs[-1] if runs else None
    quotas = list_quotas(session, assembly)
    people = session.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)).all()
    if run is not None:
        pool_ids = _ids_in(run.inputs.get("respondents.csv", ""))
        in_pool = [p for p in people if p.public_id in pool_ids]
    else:
        in_pool = [p for p in people if p.status != RegistrantStatus.WITHDRAWN]
    drawn = set(run.result or []) if run is not None else set()
    in_panel = [p for p in in_pool if p.public_id in drawn]
    charts: dict[str, list[ChartRow]] = {}
    for quota in quotas:
        pool_count = sum(1 for p in in_pool if p.answers.get(quota.category) == quota.value)
        panel_count = sum(1 for p in in_panel if p.answers.get(quota.category) == quota.value)
        charts.setdefault(quota.category, []).append(
            ChartRow(
                value=quota.value,
                population=quota.population_share,
                pool=pool_count / len(in_pool) if in_pool else 0.0,
                panel=panel_count / len(in_panel) if in_panel else None,
                pool_count=pool_count,
                panel_count=panel_count if in_panel else None,
                min_count=quota.min_count,
                max_count=quota.max_count,
            )
        )
    return SelectionOverview(run, len(in_pool), charts)


def _ids_in(respondents_csv: str) -> set[str]:
    return {row["id"] for row in csv.DictReader(io.StringIO(respondents_csv))}
