"""Who may draft and publish answers: council users of the receiving body, and admins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Forbidden
from ..models import Assembly, BodyMembership, Handover, Role, User


def body_ids_of(session: Session, user: User) -> set[int]:
    """The bodies the user sits in (as a council user)."""
    return set(
        session.scalars(select(BodyMembership.body_id).where(BodyMembership.user_id == user.id))
    )


def may_answer(session: Session, user: User, handover: Handover | None) -> bool:
    """Admins always; council users only for assemblies handed over to one of their bodies."""
    if Role.ADMIN in user.roles:
        return True
    if handover is None or Role.COUNCIL not in user.roles:
        return False
    return handover.body_id in body_ids_of(session, user)


def require_answerer(session: Session, user: User, assembly: Assembly) -> Handover:
    """The assembly's handover, when the user may answer it; Forbidden otherwise."""
    handover = session.scalar(select(Handover).where(Handover.assembly_id == assembly.id))
    if not may_answer(session, user, handover) or handover is None:
        raise Forbidden()
    return handover
