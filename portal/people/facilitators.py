"""Facilitators per assembly: who runs its workspace, managed by the secretariat and admins."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..accounts import get_user_by_email
from ..errors import Forbidden, Invalid, NotFound
from ..models import Assembly, Facilitator, Role, User


def require_secretariat(actor: User) -> None:
    """The secretariat and admins manage people; nobody else."""
    if not actor.active or not actor.has_role(Role.SECRETARIAT):
        raise Forbidden()


def is_facilitator(session: Session, assembly: Assembly, user: User) -> bool:
    """True when the user facilitates this assembly (a row, not a role)."""
    return (
        session.scalar(
            select(Facilitator.id).where(
                Facilitator.assembly_id == assembly.id, Facilitator.user_id == user.id
            )
        )
        is not None
    )


def list_facilitators(session: Session, assembly: Assembly) -> list[Facilitator]:
    return list(
        session.scalars(
            select(Facilitator)
            .where(Facilitator.assembly_id == assembly.id)
            .options(selectinload(Facilitator.user))
            .order_by(Facilitator.id)
        )
    )


def facilitated_by(session: Session, user: User) -> list[Assembly]:
    """The assemblies a user facilitates."""
    return list(
        session.scalars(
            select(Assembly)
            .join(Facilitator, Facilitator.assembly_id == Assembly.id)
            .where(Facilitator.user_id == user.id)
            .order_by(Assembly.title)
        )
    )


def ensure_facilitator(session: Session, assembly: Assembly, user: User) -> None:
    """Make the user a facilitator inside the caller's transaction (e.g. whoever creates an
    assembly); does nothing if they already are. The caller commits and audits."""
    if assembly.id is None:
        session.flush()
    if not is_facilitator(session, assembly, user):
        session.add(Facilitator(assembly_id=assembly.id, user_id=user.id))


def add_facilitator(
    session: Session, actor: User, now: datetime, assembly: Assembly, email: str
) -> Facilitator:
    """Make an active account (staff or a hired facilitator) a facilitator of the assembly."""
    require_secretariat(actor)
    user = get_user_by_email(session, email)
    if user is None or not user.active:
        raise Invalid({"email": str(_l("Der findes ingen aktiv konto med den e-mailadresse."))})
    if is_facilitator(session, assembly, user):
        raise Invalid({"email": str(_l("Personen er allerede facilitator."))})
    row = Facilitator(assembly_id=assembly.id, user_id=user.id)
    session.add(row)
    audit.record(session, "facilitator.added", assembly.slug, now, actor=actor, detail=user.email)
    session.commit()
    return row


def remove_facilitator(
    session: Session, actor: User, now: datetime, assembly: Assembly, facilitator_id: int
) -> None:
    """Remove a facilitator; they lose the workspace at their next request."""
    require_secretariat(actor)
    row = session.get(Facilitator, facilitator_id)
    if row is None or row.assembly_id != assembly.id:
        raise NotFound("facilitator")
    email = row.user.email
    session.delete(row)
    audit.record(session, "facilitator.removed", assembly.slug, now, actor=actor, detail=email)
    session.commit()
