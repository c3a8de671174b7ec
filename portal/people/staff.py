"""Admins manage accounts: invite, change roles, disable, re-enable, send a reset link.

No one can disable or demote the last active admin: the guard locks the admins' rows first so two
concurrent requests cannot each leave the other as "the last one".
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..accounts import get_user_by_email
from ..errors import Forbidden, Invalid, NotFound
from ..models import UNUSABLE_PASSWORD, Body, BodyMembership, Role, User, UserRole
from . import mail
from .tokens import LinkSettings

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LAST_ADMIN = _l("Der skal altid være mindst én aktiv administrator.")


def require_admin(actor: User) -> None:
    """Only admins manage accounts."""
    if not actor.active or Role.ADMIN not in actor.roles:
        raise Forbidden()


def list_users(session: Session, actor: User) -> list[User]:
    """Every account, by e-mail."""
    require_admin(actor)
    return list(session.scalars(select(User).order_by(User.email)))


def get_user(session: Session, actor: User, user_id: int) -> User:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def bodies_of(session: Session, user: User) -> list[Body]:
    """The bodies a council user works for."""
    return list(
        session.scalars(select(Body).join(BodyMembership).where(BodyMembership.user_id == user.id))
    )


def parse_roles(values: list[str]) -> set[Role]:
    return {Role(v) for v in values if v in set(Role)}


def check_new_account(session: Session, email: str, name: str) -> tuple[str, str]:
    """A new account needs a valid, unused e-mail address and a name."""
    email, name = email.strip().lower(), name.strip()
    errors: dict[str, str] = {}
    if not EMAIL.match(email) or len(email) > 254:
        errors["email"] = str(_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."))
    elif get_user_by_email(session, email) is not None:
        errors["email"] = str(_l("Der findes allerede en konto med den e-mailadresse."))
    if not name or len(name) > 120:
        errors["display_name"] = str(_l("Skriv personens navn."))
    if errors:
        raise Invalid(errors)
    return email, name


def new_account(session: Session, email: str, name: str, now: datetime) -> User:
    """An account without a password yet (the e-mailed link sets it)."""
    user = User(email=email, display_name=name, password_hash=UNUSABLE_PASSWORD, created_at=now)
    session.add(user)
    session.flush()
    return user


def send_password_link(
    session: Session, user: User, links: LinkSettings, now: datetime, *, invited: bool
) -> None:
    """E-mail the user a link to set their password (an invitation or a reset)."""
    link = links.password_link(user, now)
    hours = links.hours
    if invited:
        subject = str(_l("Du er inviteret til Samling"))
        intro = str(_l("Du er blevet oprettet som bruger af Samling."))
    else:
        subject = str(_l("Nulstil din adgangskode til Samling"))
        intro = str(_l("Der er bedt om en ny adgangskode til din konto på Samling."))
    body = "\n\n".join(
        [
            str(_l("Kære %(name)s", name=user.display_name)),
            intro,
            str(
                _l(
                    "Vælg din adgangskode her (linket virker i %(h)d timer og kun én gang):",
                    h=hours,
                )
            ),
            link,
            str(_l("Din brugerkonto er din e-mailadresse: %(email)s", email=user.email)),
        ]
    )
    mail.queue(session, user.email, subject, body)


def invite_user(
    session: Session,
    actor: User,
    now: datetime,
    links: LinkSettings,
    *,
    email: str,
    name: str,
    roles: set[Role],
    body_id: int | None = None,
) -> User:
    """Create an account with staff roles (and a body for council users) and e-mail its link."""
    require_admin(actor)
    email, name = check_new_account(session, email, name)
    body = session.get(Body, body_id) if body_id else None
    if body_id and body is None:
        raise Invalid({"body_id": str(_l("Vælg et udvalg fra listen."))})
    user = new_account(session, email, name, now)
    user.set_roles(roles | ({Role.COUNCIL} if body else set()))
    if body is not None:
        session.add(BodyMembership(body_id=body.id, user_id=user.id))
    send_password_link(session, user, links, now, invited=True)
    detail = ",".join(sorted(r.value for r in user.roles)) + (f" body={body.name}" if body else "")
    audit.record(session, "account.invited", email, now, actor=actor, detail=detail)
    session.commit()
    return user


def _lock_admins(session: Session) -> int:
    """Lock every admin's row (PostgreSQL row locks, SQLite's write lock); count the active ones.

    The no-op update comes first so a concurrent request changing admins waits for this one and
    then counts what it committed.
    """
    admin_ids = select(UserRole.user_id).where(UserRole.role == Role.ADMIN).scalar_subquery()
    session.execute(
        update(User)
        .where(User.id.in_(admin_ids))
        .values(session_epoch=User.session_epoch)
        .execution_options(synchronize_session=False)
    )
    count = session.scalar(
        select(func.count()).select_from(User).where(User.id.in_(admin_ids), User.active)
    )
    return count or 0


def _guard_last_admin(session: Session, user: User, *, leaving: bool) -> None:
    """Refuse a change that would leave no active admin."""
    if not leaving:
        return
    # End the request's read snapshot and write (lock) before reading: on SQLite a write from an
    # old snapshot is refused, and on PostgreSQL the row locks make a concurrent change wait.
    session.commit()
    active_admins = _lock_admins(session)
    session.refresh(user)
    if Role.ADMIN in user.roles and user.active and active_admins <= 1:
        # Nothing was changed; the request's session ends the transaction (and its lock).
        raise Invalid({"form": str(LAST_ADMIN)})


def set_roles(session: Session, actor: User, now: datetime, user: User, roles: set[Role]) -> User:
    """Change an account's staff roles; the last active admin keeps the admin role."""
    require_admin(actor)
    _guard_last_admin(session, user, leaving=Role.ADMIN not in roles)
    before = ",".join(sorted(r.value for r in user.roles))
    user.set_roles(roles)
    after = ",".join(sorted(r.value for r in roles))
    audit.record(
        session, "account.roles", user.email, now, actor=actor, detail=f"{before} → {after}"
    )
    session.commit()
    return user


def set_active(session: Session, actor: User, now: datetime, user: User, active: bool) -> User:
    """Disable an account (its sessions end) or enable it again; never the last active admin."""
    require_admin(actor)
    _guard_last_admin(session, user, leaving=not active)
    user.active = active
    if not active:
        user.session_epoch += 1
    action = "account.enabled" if active else "account.disabled"
    audit.record(session, action, user.email, now, actor=actor)
    session.commit()
    return user


def send_reset(
    session: Session, actor: User, now: datetime, links: LinkSettings, user: User
) -> None:
    """E-mail an account a link to set a new password."""
    require_admin(actor)
    if not user.active:
        raise Invalid({"form": str(_l("Kontoen er deaktiveret. Aktivér den først."))})
    send_password_link(session, user, links, now, invited=not user.has_password)
    audit.record(session, "account.reset_sent", user.email, now, actor=actor)
    session.commit()


def list_bodies(session: Session) -> list[Body]:
    """Every body with its council users."""
    return list(
        session.scalars(
            select(Body)
            .options(selectinload(Body.seats).selectinload(BodyMembership.user))
            .order_by(Body.name)
        )
    )


def create_body(session: Session, actor: User, now: datetime, name: str) -> Body:
    """Admins add a political body that answers recommendations."""
    require_admin(actor)
    name = name.strip()
    if not name or len(name) > 160:
        raise Invalid({"name": str(_l("Skriv udvalgets navn."))})
    if session.scalar(select(Body.id).where(func.lower(Body.name) == name.lower())):
        raise Invalid({"name": str(_l("Der findes allerede et udvalg med det navn."))})
    body = Body(name=name, created_at=now)
    session.add(body)
    audit.record(session, "body.created", name, now, actor=actor)
    session.commit()
    return body


def set_body_membership(
    session: Session, actor: User, now: datetime, body_id: int, user: User, member: bool
) -> None:
    """Add an account to a body (it becomes a council user) or remove it."""
    require_admin(actor)
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound("body")
    row = session.scalar(
        select(BodyMembership).where(
            BodyMembership.body_id == body.id, BodyMembership.user_id == user.id
        )
    )
    if member and row is None:
        session.add(BodyMembership(body_id=body.id, user_id=user.id))
        user.set_roles(user.roles | {Role.COUNCIL})
    elif not member and row is not None:
        session.delete(row)
    action = "body.user_added" if member else "body.user_removed"
    audit.record(session, action, body.name, now, actor=actor, detail=user.email)
    session.commit()


def add_to_body(session: Session, actor: User, now: datetime, body_id: int, email: str) -> None:
    """Add an existing account, by e-mail, to a body."""
    require_admin(actor)
    user = get_user_by_email(session, email)
    if user is None:
        raise Invalid(
            {
                "email": str(
                    _l("Der findes ingen konto med den e-mailadresse. Invitér personen først.")
                )
            }
        )
    set_body_membership(session, actor, now, body_id, user, True)
