"""Recorded draws for the demo's earlier assemblies: a seeded pool, a real LEXIMIN lottery, a seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..models import (
    Assembly,
    DisplayConsent,
    Member,
    OutboxEmail,
    OutboxStatus,
    Registrant,
    User,
)
from ..recruitment import draws, seats
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
    computed_at = drawn_at - timedelta(days=2)
    run = draws.freeze_run(session, assembly, secretariat, computed_at)
    min_probability, lottery = draws.compute(run.inputs, run.parameters, lambda _message: None)
    draws.publish_lottery(run, min_probability, lottery, computed_at)
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
    for mail in session.query(OutboxEmail).filter(OutboxEmail.assembly_id == assembly.id):
        # The demo's invitations went out at the time of the draw.
        mail.status, mail.sent_at, mail.attempts = OutboxStatus.SENT, drawn_at, 1
    session.flush()
    return members
