"""Drawn members' logins: a confirmed seat gets an account (or is linked to one) and an e-mail."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..accounts import get_user_by_email
from ..errors import Invalid, NotFound
from ..models import Assembly, Member, MemberStatus, Registrant, User
from . import mail
from .facilitators import require_secretariat
from .staff import new_account
from .tokens import LinkSettings


def _send(session: Session, member: Member, user: User, links: LinkSettings, now: datetime) -> None:
    title = member.assembly.title
    lines = [str(_l("Kære %(name)s", name=user.display_name))]
    if user.has_password:
        lines += [
            str(_l("Din plads i %(title)s er knyttet til din konto på Samling.", title=title)),
            str(_l("Log ind med din e-mailadresse, så finder du arbejdsrummet på din side:")),
            links.url("/login"),
        ]
    else:
        lines += [
            str(_l("Tak fordi du har bekræftet din plads i %(title)s.", title=title)),
            str(
                _l(
                    "Vælg en adgangskode her (linket virker i %(h)d timer og kun én gang):",
                    h=links.hours,
                )
            ),
            links.password_link(user, now),
            str(
                _l(
                    "Derefter logger du ind med din e-mailadresse og finder arbejdsrummet på din side."
                )
            ),
        ]
    mail.queue(session, user.email, str(_l("Dit login til borgersamlingen")), "\n\n".join(lines))


def give_member_login(
    session: Session, member: Member, registrant: Registrant, links: LinkSettings, now: datetime
) -> User:
    """Link the member to the account with their e-mail, or create one, and e-mail how to log in.

    Runs inside the seat confirmation's transaction; the caller commits.
    """
    user = get_user_by_email(session, registrant.email)
    if user is None:
        name = f"{registrant.first_name} {registrant.last_name}".strip()[:120]
        user = new_account(session, registrant.email, name or registrant.email, now)
    member.user_id = user.id
    session.flush()
    session.refresh(member, ["assembly"])
    _send(session, member, user, links, now)
    audit.record(session, "member.login_sent", registrant.public_id, now)
    return user


def list_members(session: Session, actor: User, assembly: Assembly) -> list[Member]:
    """The assembly's members with their accounts, for the secretariat."""
    require_secretariat(actor)
    return list(
        session.scalars(
            select(Member)
            .where(Member.assembly_id == assembly.id)
            .options(selectinload(Member.user))
            .order_by(Member.status, Member.first_name, Member.last_name, Member.id)
        )
    )


def _member(session: Session, assembly: Assembly, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.assembly_id != assembly.id:
        raise NotFound("member")
    return member


def resend_login(
    session: Session,
    actor: User,
    now: datetime,
    links: LinkSettings,
    assembly: Assembly,
    member_id: int,
) -> Member:
    """The secretariat sends a member the login e-mail again (a fresh link)."""
    require_secretariat(actor)
    member = _member(session, assembly, member_id)
    if member.status != MemberStatus.ACTIVE:
        raise Invalid({"form": str(_l("Medlemmet er ikke længere aktivt."))})
    registrant = session.get(Registrant, member.registrant_id) if member.registrant_id else None
    if member.user is not None:
        _send(session, member, member.user, links, now)
    elif registrant is not None and registrant.blanked_at is None:
        give_member_login(session, member, registrant, links, now)
    else:
        raise Invalid({"form": str(_l("Der er ingen e-mailadresse til medlemmet."))})
    audit.record(session, "member.login_resent", str(member.id), now, actor=actor)
    session.commit()
    return member


def set_member_status(
    session: Session,
    actor: User,
    now: datetime,
    assembly: Assembly,
    member_id: int,
    status: MemberStatus,
) -> Member:
    """Mark a member withdrawn or replaced (they lose the workspace at their next request), or
    active again when that was a mistake; audited either way."""
    require_secretariat(actor)
    member = _member(session, assembly, member_id)
    if member.status == status:
        raise Invalid({"status": str(_l("Medlemmet har allerede den status."))})
    before = member.status.value
    member.status = status
    detail = f"{before} → {status.value}"
    audit.record(session, "member.status", str(member.id), now, actor=actor, detail=detail)
    session.commit()
    return member
