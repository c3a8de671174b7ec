"""Data minimisation (GDPR): personal fields are blanked once they are no longer needed.

Rows stay, so counts and the draw's audit trail still add up; only what identifies a person goes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid
from ..models import (
    Assembly,
    AssemblyStatus,
    Invitation,
    Registrant,
    RegistrantStatus,
    RunKind,
    RunStatus,
    SelectionRun,
    User,
)
from .registration import get_recruitment

log = logging.getLogger(__name__)
NOT_SELECTED = (RegistrantStatus.REGISTERED, RegistrantStatus.WITHDRAWN, RegistrantStatus.DECLINED)


def _blank_contact(person: Registrant, now: datetime) -> None:
    """What lets anyone reach or find the person goes; the name stays (a seated member's is public)."""
    person.email = person.phone = person.address = person.postcode = person.access_needs = ""
    person.blanked_at = now


def _blank(person: Registrant, now: datetime) -> None:
    _blank_contact(person, now)
    person.first_name = person.last_name = ""
    person.availability = []


def blanking_due(session: Session, assembly: Assembly, now: datetime) -> datetime | None:
    """When non-selected people's data may go: the replacement window closed, or the retention ran out."""
    drawn = session.scalar(
        select(SelectionRun.finished_at)
        .where(
            SelectionRun.assembly_id == assembly.id,
            SelectionRun.kind == RunKind.DRAW,
            SelectionRun.status == RunStatus.DRAWN,
        )
        .order_by(SelectionRun.id.desc())
        .limit(1)
    )
    if drawn is None:
        return None
    settings = get_recruitment(session, assembly)
    due = drawn + timedelta(days=settings.retention_days)
    if settings.replacement_closes_on is not None:
        due = min(due, settings.replacement_closes_on)
    return due


def blank_non_selected(
    session: Session, assembly: Assembly, now: datetime, actor: User | None
) -> int:
    """Blank the personal fields of everyone not seated (after the replacement window); returns how many."""
    due = blanking_due(session, assembly, now)
    if due is None or now < due:
        raise Invalid(
            {
                "form": str(
                    _l(
                        "Oplysningerne kan først slettes, når panelet er endeligt "
                        "og fristen for erstatninger er udløbet."
                    )
                )
            }
        )
    people = session.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id,
            Registrant.status.in_(NOT_SELECTED),
            Registrant.blanked_at.is_(None),
        )
    ).all()
    for person in people:
        _blank(person, now)
    for invitation in session.scalars(
        select(Invitation).where(Invitation.assembly_id == assembly.id)
    ):
        invitation.register_row = {}
    settings = get_recruitment(session, assembly)
    settings.blanked_at = now
    audit.record(
        session,
        "privacy.blanked",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{len(people)} respondents",
    )
    session.commit()
    return len(people)


def blank_all_due(session: Session, now: datetime) -> int:
    """The scheduled retention job: blank every assembly whose date for blanking has come."""
    count = 0
    for assembly in session.scalars(select(Assembly).order_by(Assembly.id)):
        settings = get_recruitment(session, assembly)
        due = blanking_due(session, assembly, now)
        if settings.blanked_at is None and due is not None and due <= now:
            blank_non_selected(session, assembly, now, None)
            log.info("retention: respondents of %s blanked (due %s)", assembly.slug, due)
            count += 1
    session.commit()
    return count


def blank_member_contacts(
    session: Session, assembly: Assembly, now: datetime, actor: User | None
) -> int:
    """When the assembly has ended, members' contact data goes too (their public names stay as consented)."""
    if assembly.status != AssemblyStatus.CONCLUDED:
        raise Invalid(
            {
                "form": str(
                    _l("Medlemmernes kontaktoplysninger slettes, når borgersamlingen er afsluttet.")
                )
            }
        )
    people = session.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id,
            Registrant.status.in_((RegistrantStatus.CONFIRMED, RegistrantStatus.DRAWN)),
            Registrant.blanked_at.is_(None),
        )
    ).all()
    for person in people:
        _blank_contact(person, now)
    audit.record(
        session,
        "privacy.members_blanked",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{len(people)} members",
    )
    session.commit()
    return len(people)
