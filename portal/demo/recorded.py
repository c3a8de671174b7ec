"""Recorded draws for the demo's earlier assemblies: a seeded pool, a real LEXIMIN lottery, a seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from .. import draws, seats
from ..models import (
    Assembly,
    DisplayConsent,
    Member,
    OutboxEmail,
    Registrant,
    RunKind,
    RunStatus,
    SelectionRun,
    User,
)
from ..quotas import list_quotas
from ..recruitment import pool
from . import pools

CONSENTS = [DisplayConsent.HIDDEN, DisplayConsent.FIRST_NAME_DISTRICT, DisplayConsent.FULL_NAME]


def drawn_members(
    session: Session,
    assembly: Assembly,
    quotas: dict[str, list[tuple[str, float, float]]],
    pool_size: int,
    seed: str,
    secretariat: User,
    drawn_at: datetime,
    *,
    district_key: str,
) -> list[Member]:
    """Register a pool, compute the lottery, publish its fingerprint, draw with `seed`, seat everyone."""
    session.flush()
    pools.add_quotas(session, assembly, quotas)
    pools.add_pool(
        session,
        assembly,
        quotas,
        pool_size,
        random.Random(seed),
        drawn_at - timedelta(days=40),
        household_rule=False,
    )
    session.flush()
    inputs = draws.anonymised_inputs(list_quotas(session, assembly), pool(session, assembly))
    params = {
        "panel_size": assembly.seats,
        "panels": draws.DEFAULT_PANELS,
        "household_rule": False,
        "algorithm": "leximin",
        "draw": "sha256(seed) mod panels",
    }
    min_probability, lottery = draws.compute(inputs, params, lambda _message: None)
    run = SelectionRun(
        assembly_id=assembly.id,
        kind=RunKind.DRAW,
        status=RunStatus.READY,
        code_version=draws.CODE_VERSION,
        inputs=inputs,
        inputs_digest=draws.digest(inputs),
        parameters=params,
        pool_size=len(pool(session, assembly)),
        panel_size=assembly.seats,
        progress=1.0,
        min_probability=min_probability,
        lottery=lottery,
        fingerprint=lottery["fingerprint"],
        fingerprint_published_at=drawn_at - timedelta(days=2),
        started_by_id=secretariat.id,
        started_at=drawn_at - timedelta(days=2),
    )
    session.add(run)
    session.flush()
    panel = draws.enter_seed(
        session, run, seed, secretariat, drawn_at, link_for=lambda t: f"/seat/{t}"
    )
    by_id = {
        p.public_id: p
        for p in session.query(Registrant).filter(Registrant.assembly_id == assembly.id)
    }
    members = []
    for i, public_id in enumerate(sorted(panel)):
        person = by_id[public_id]
        member = seats.confirm_seat(session, person, CONSENTS[i % 3], drawn_at + timedelta(days=3))
        member.district = person.answers.get(district_key, "")
        members.append(member)
    for mail in session.query(OutboxEmail).filter(OutboxEmail.sent_at.is_(None)):
        mail.sent_at = drawn_at  # the demo's invitations went out at the time of the draw
    session.flush()
    return members
