"""After the draw: drawn people confirm or decline; confirmed people become members."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Forbidden, Invalid, NotFound
from ..models import (
    DisplayConsent,
    Member,
    Registrant,
    RegistrantStatus,
    User,
)
from ..phases import local_date


def confirm_seat(
    session: Session, registrant: Registrant, consent: DisplayConsent, now: datetime
) -> Member:
    """A drawn person takes the seat and says how they want to appear in public."""
    if registrant.status == RegistrantStatus.CONFIRMED:
        member = session.scalar(select(Member).where(Member.registrant_id == registrant.id))
        assert member is not None
        return member
    if registrant.status != RegistrantStatus.DRAWN:
        raise Invalid({"form": str(_l("Linket kan ikke bruges til at bekræfte en plads."))})
    registrant.status = RegistrantStatus.CONFIRMED
    member = Member(
        assembly_id=registrant.assembly_id,
        registrant_id=registrant.id,
        first_name=registrant.first_name,
        last_name=registrant.last_name,
        district=next(
            iter(v for k, v in registrant.answers.items() if k in {"Bydel", "Region", "District"}),
            "",
        ),
        consent=consent,
        profile=dict(registrant.answers),
        joined_on=local_date(now),
    )
    session.add(member)
    audit.record(session, "seat.confirmed", registrant.public_id, now)
    session.commit()
    return member


def decline_seat(session: Session, registrant: Registrant, now: datetime) -> None:
    """A drawn person declines; the secretariat then draws a replacement."""
    if registrant.status not in (RegistrantStatus.DRAWN, RegistrantStatus.DECLINED):
        raise Invalid({"form": str(_l("Linket kan ikke bruges til at afslå en plads."))})
    registrant.status = RegistrantStatus.DECLINED
    audit.record(session, "seat.declined", registrant.public_id, now)
    session.commit()


def set_display_consent(
    session: Session, member_id: int, user: User, consent: DisplayConsent
) -> Member:
    """A member chooses, at any time, how they appear in public."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("member")
    if member.user_id != user.id:
        raise Forbidden()
    member.consent = consent
    session.commit()
    return member


def list_memberships(session: Session, user: User) -> list[Member]:
    return list(
        session.scalars(select(Member).where(Member.user_id == user.id).order_by(Member.id))
    )


def set_consent_by_token(
    session: Session, registrant: Registrant, consent: DisplayConsent
) -> Member:
    """The seated person (holding their personal link) changes how they appear in public."""
    member = session.scalar(select(Member).where(Member.registrant_id == registrant.id))
    if member is None:
        raise NotFound("member")
    member.consent = consent
    session.commit()
    return member


def get_member_for(session: Session, registrant: Registrant) -> Member | None:
    return session.scalar(select(Member).where(Member.registrant_id == registrant.id))
