"""The draw: LEXIMIN + a uniform lottery in a job, a public fingerprint, then the public seed.

Every run is a SelectionRun audit record. The run's inputs are the anonymised CSV files anyone can
download; the lottery is computed from exactly those files, so `python -m portal.selection draw`
on the downloads gives the same panel.

The database keeps the rules under concurrency: one current draw per assembly (a partial unique
index) and a seed accepted once (a conditional UPDATE whose row count decides). The lottery is
computed by a job: see draw_runs.py.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from .. import audit, csvsafe, mail, selection
from ..errors import Invalid, PhaseClosed
from ..models import (
    Assembly,
    OutboxEmail,
    QuotaTarget,
    Registrant,
    RegistrantStatus,
    RunKind,
    RunStatus,
    SelectionRun,
    User,
)
from ..phases import Feature, allows, local_date
from ..selection.feasibility import require_feasible
from ..selection.lottery import build_lottery
from ..selection.lottery import draw as draw_from_lottery
from ..selection.replace import replace_dropouts
from .commitment import commitment_lines, long_date
from .quotas import list_quotas, pool_problem
from .registration import get_recruitment, pool

CODE_VERSION = "samling-selection-1"
DEFAULT_PANELS = 1000
log = logging.getLogger(__name__)
UNAVAILABLE = (RegistrantStatus.DECLINED, RegistrantStatus.WITHDRAWN)


def anonymised_inputs(quotas: list[QuotaTarget], people: list[Registrant]) -> dict[str, str]:
    """The draw's inputs as CSV texts with pseudonymous ids and households (no personal data)."""
    q = io.StringIO()
    writer = csvsafe.writer(q, lineterminator="\n")
    writer.writerow(["category", "feature", "min", "max"])
    for quota in quotas:
        writer.writerow([quota.category, quota.value, quota.min_count, quota.max_count])
    categories = list(dict.fromkeys(quota.category for quota in quotas))
    households: dict[str, str] = {}
    r = io.StringIO()
    r_writer = csvsafe.writer(r, lineterminator="\n")
    r_writer.writerow(["id", *categories, "household"])
    for person in people:
        household = households.setdefault(person.household_key, f"h{len(households) + 1:04d}")
        r_writer.writerow(
            [person.public_id, *(person.answers.get(c, "") for c in categories), household]
        )
    return {"quotas.csv": q.getvalue(), "respondents.csv": r.getvalue()}


def digest(inputs: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name in sorted(inputs):
        h.update(name.encode() + b"\0" + inputs[name].encode() + b"\0")
    return h.hexdigest()


def _instance(inputs: dict[str, str], seats: int, household_rule: bool) -> selection.Instance:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in inputs.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return selection.load_instance(
            Path(tmp) / "quotas.csv",
            Path(tmp) / "respondents.csv",
            seats,
            address_columns=["household"] if household_rule else (),
        )


def check_pool(
    session: Session, assembly: Assembly, quotas: list[QuotaTarget] | None = None
) -> selection.Feasibility:
    """Can the current pool fill these quotas (default: the saved ones)? The secretariat's live check."""
    quotas = list_quotas(session, assembly) if quotas is None else quotas
    if not quotas:
        raise Invalid({"quotas": str(_l("Der er ingen kvoter endnu."))})
    people = pool(session, assembly)
    problem = pool_problem(quotas, people)
    if problem:
        raise Invalid({"quotas": problem})
    inputs = anonymised_inputs(quotas, people)
    rule = get_recruitment(session, assembly).household_rule
    return selection.check_feasibility(_instance(inputs, assembly.seats, rule))


def latest_run(
    session: Session, assembly: Assembly, kind: RunKind = RunKind.DRAW
) -> SelectionRun | None:
    return session.scalar(
        select(SelectionRun)
        .where(SelectionRun.assembly_id == assembly.id, SelectionRun.kind == kind)
        .order_by(SelectionRun.id.desc())
        .limit(1)
    )


def start_draw(
    session: Session,
    assembly: Assembly,
    actor: User,
    now: datetime,
    *,
    panels: int = DEFAULT_PANELS,
) -> SelectionRun:
    """Freeze the pool and quotas into a run record; the lottery is computed after commit."""
    if not allows(assembly, Feature.DRAW, local_date(now)):
        raise PhaseClosed(str(_l("Lodtrækningen kan kun køres i lodtrækningsfasen.")))
    current = latest_run(session, assembly)
    if current is not None and current.status in (
        RunStatus.RUNNING,
        RunStatus.READY,
        RunStatus.DRAWN,
    ):
        raise Invalid({"form": str(_l("Der er allerede en lodtrækning i gang eller gennemført."))})
    quotas = list_quotas(session, assembly)
    people = pool(session, assembly)
    if not quotas or len(people) < assembly.seats:
        raise Invalid(
            {"form": str(_l("Der skal være kvoter og mindst %(k)d tilmeldte.", k=assembly.seats))}
        )
    problem = pool_problem(quotas, people)
    if problem:
        raise Invalid({"form": problem})
    run = freeze_run(session, assembly, actor, now, panels=panels)
    audit.record(
        session,
        "draw.started",
        assembly.slug,
        now,
        actor=actor,
        detail=f"run inputs {run.inputs_digest}",
    )
    try:
        session.commit()
    except IntegrityError as error:  # another request started a draw at the same moment
        session.rollback()
        raise Invalid(
            {"form": str(_l("Der er allerede en lodtrækning i gang eller gennemført."))}
        ) from error
    log.info("draw run %d started for %s (pool %d)", run.id, assembly.slug, run.pool_size)
    return run


def freeze_run(
    session: Session,
    assembly: Assembly,
    actor: User,
    now: datetime,
    *,
    panels: int = DEFAULT_PANELS,
) -> SelectionRun:
    """A new run holding the anonymised pool and quotas as they are now (added, not committed)."""
    people = pool(session, assembly)
    inputs = anonymised_inputs(list_quotas(session, assembly), people)
    run = SelectionRun(
        assembly_id=assembly.id,
        kind=RunKind.DRAW,
        status=RunStatus.RUNNING,
        code_version=CODE_VERSION,
        inputs=inputs,
        inputs_digest=digest(inputs),
        parameters={
            "panel_size": assembly.seats,
            "panels": panels,
            "household_rule": get_recruitment(session, assembly).household_rule,
            "algorithm": "leximin",
            "draw": "sha256(seed) mod panels",
        },
        pool_size=len(people),
        panel_size=assembly.seats,
        started_by_id=actor.id,
        started_at=now,
        message=str(_l("Venter på at gå i gang …")),
    )
    session.add(run)
    return run


def publish_lottery(
    run: SelectionRun, min_probability: float, lottery: dict[str, Any], now: datetime
) -> None:
    """The lottery is ready: its fingerprint is public from now on, before any seed exists."""
    run.status = RunStatus.READY
    run.progress = 1.0
    run.min_probability = min_probability
    run.lottery = lottery
    run.fingerprint = lottery["fingerprint"]
    run.fingerprint_published_at = now
    run.message = ""


def compute(
    inputs: dict[str, str], params: dict[str, Any], report: Callable[[str], None]
) -> tuple[float, dict[str, Any]]:
    """From the published input files: LEXIMIN, then the uniform lottery (as JSON)."""
    instance = _instance(inputs, params["panel_size"], params["household_rule"])
    report("Checking that the quotas can be met")
    require_feasible(instance)
    distribution = selection.find_leximin(instance, progress=report)
    report("Rounding to a lottery of equally likely panels")
    lottery = build_lottery(distribution, params["panels"])
    return float(distribution.min_probability), lottery.to_json()


def enter_seed(
    session: Session,
    run: SelectionRun,
    seed: str,
    actor: User,
    now: datetime,
    link_for: Callable[[str], str],
) -> list[str]:
    """Draw panel number sha256(seed) mod m from the published lottery, exactly once; write to the drawn."""
    seed = seed.strip()
    if run.status != RunStatus.READY or run.lottery is None:
        raise Invalid({"seed": str(_l("Lotteriet er ikke klar, eller der er allerede trukket."))})
    if not seed:
        raise Invalid({"seed": str(_l("Skriv frøet, fx terningernes øjne i rækkefølge."))})
    panel = list(draw_from_lottery(run.lottery, seed)["members"])
    # End the reading transaction, so that the claim below is the first statement of its own: on
    # SQLite a transaction that starts by writing waits for the lock (busy timeout) instead of
    # failing on an outdated snapshot. Of two concurrent submits, the row count picks one.
    session.commit()
    newer = aliased(SelectionRun)
    claimed = session.execute(
        update(SelectionRun)
        .where(
            SelectionRun.id == run.id,
            SelectionRun.status == RunStatus.READY,
            SelectionRun.fingerprint.is_not(None),
            ~exists().where(
                newer.assembly_id == SelectionRun.assembly_id,
                newer.kind == RunKind.DRAW,
                newer.id > SelectionRun.id,
            ),
        )
        .values(
            seed=seed, seed_entered_at=now, result=panel, status=RunStatus.DRAWN, finished_at=now
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        log.info("draw run %d: a seed was refused (already drawn or not the latest run)", run.id)
        raise Invalid({"seed": str(_l("Lotteriet er ikke klar, eller der er allerede trukket."))})
    session.expire(run)
    people = session.scalars(
        select(Registrant).where(
            Registrant.assembly_id == run.assembly_id, Registrant.public_id.in_(panel)
        )
    ).all()
    assembly = session.get(Assembly, run.assembly_id)
    assert assembly is not None
    for person in people:
        person.status = RegistrantStatus.DRAWN
        session.add(invitation_email(assembly, person, link_for(person.token)))
    audit.record(
        session,
        "draw.seed",
        str(run.id),
        now,
        actor=actor,
        detail=f"seed {seed!r}, fingerprint {run.fingerprint}",
    )
    session.commit()
    log.info("draw run %d (%s): panel of %d drawn", run.id, assembly.slug, len(panel))
    return panel


def current_panel(session: Session, assembly: Assembly) -> tuple[SelectionRun, list[str]]:
    """The drawn panel as it stands after any replacements (public ids)."""
    run = latest_run(session, assembly)
    if run is None or run.status != RunStatus.DRAWN or run.result is None:
        raise Invalid({"form": str(_l("Der er ikke trukket et panel endnu."))})
    panel = list(run.result)
    for replacement in _replacements(session, assembly):
        panel = list(replacement.lottery["panel"]) if replacement.lottery else panel
    return run, panel


def _replacements(session: Session, assembly: Assembly) -> list[SelectionRun]:
    return list(
        session.scalars(
            select(SelectionRun)
            .where(
                SelectionRun.assembly_id == assembly.id, SelectionRun.kind == RunKind.REPLACEMENT
            )
            .order_by(SelectionRun.id)
        )
    )


def replace_declined(
    session: Session,
    assembly: Assembly,
    seed: str,
    actor: User,
    now: datetime,
    link_for: Callable[[str], str],
) -> SelectionRun:
    """Replace everyone in the panel who declined, keeping the quotas (or as close as possible)."""
    seed = seed.strip()
    if not seed:
        raise Invalid({"replacement_seed": str(_l("Skriv et frø til erstatningslodtrækningen."))})
    draw_run, panel = current_panel(session, assembly)
    people = {
        p.public_id: p
        for p in session.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id))
    }
    declined = [pid for pid, p in people.items() if p.status == RegistrantStatus.DECLINED]
    dropouts = [pid for pid in panel if pid in declined]
    if not dropouts:
        raise Invalid({"replacement_seed": str(_l("Ingen i panelet har takket nej."))})
    instance = _instance(draw_run.inputs, assembly.seats, draw_run.parameters["household_rule"])
    # Nobody who declined, withdrew or whose data was blanked may be picked as a replacement.
    in_inputs = {p.id for p in instance.people}
    declined = [
        pid
        for pid, p in people.items()
        if pid in in_inputs and (p.status in UNAVAILABLE or p.blanked_at is not None)
    ]
    result = replace_dropouts(instance, panel, dropouts, declined=declined, seed=seed)
    run = SelectionRun(
        assembly_id=assembly.id,
        kind=RunKind.REPLACEMENT,
        status=RunStatus.DRAWN,
        code_version=CODE_VERSION,
        inputs=draw_run.inputs,
        inputs_digest=draw_run.inputs_digest,
        parameters={"panel": panel, "dropouts": dropouts, "declined": declined},
        pool_size=draw_run.pool_size,
        panel_size=assembly.seats,
        seed=seed,
        seed_entered_at=now,
        result=result.replacements,
        lottery=result.to_json(),
        started_by_id=actor.id,
        started_at=now,
        finished_at=now,
    )
    session.add(run)
    for pid in result.replacements:
        people[pid].status = RegistrantStatus.DRAWN
        session.add(invitation_email(assembly, people[pid], link_for(people[pid].token)))
    audit.record(
        session,
        "draw.replacement",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{len(dropouts)} replaced, seed {seed!r}",
    )
    session.commit()
    log.info("replacement run %d (%s): %d replaced", run.id, assembly.slug, len(dropouts))
    return run


def invitation_email(assembly: Assembly, person: Registrant, link: str) -> OutboxEmail:
    """The e-mail a drawn person gets, in their language: confirm or decline by following the link."""
    with mail.in_language(person.language):
        title = (assembly.title_en or assembly.title) if person.language == "en" else assembly.title
        lines = [
            _("Kære %(name)s", name=person.first_name),
            "",
            _("Du er trukket ud til %(title)s. Bekræft eller afslå din plads her:", title=title),
            link,
        ]
        if assembly.reply_by:
            lines += ["", _("Svar senest %(d)s.", d=long_date(assembly.reply_by, person.language))]
        lines += commitment_lines(assembly, person.language)
        lines += ["", _("Venlig hilsen"), _("Sekretariatet")]
        body = "\n".join(lines)
        subject = _("Du er trukket ud til %(t)s", t=title)
    return OutboxEmail(
        to=person.email,
        subject=subject[:200],
        body=body,
        language=person.language,
        assembly_id=assembly.id,
    )
