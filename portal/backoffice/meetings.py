"""Meetings: when and where (Europe/Copenhagen), agenda, minutes; members are told of changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid, NotFound
from ..models import Assembly, Meeting, Member, MemberStatus, OutboxEmail, Registrant, User
from . import forms
from .forms import Form

TEXTS = ("title", "place", "address", "accessibility", "agenda", "minutes")
ENGLISH = ("title", "accessibility", "agenda", "minutes")
LIMITS = {"title": 200, "place": 200, "address": 300}
WHERE_AND_WHEN = ("starts_at", "ends_at", "place", "address")


def get_meeting(assembly: Assembly, meeting_id: int) -> Meeting:
    """One meeting of this assembly (published or not), or NotFound."""
    meeting = next((m for m in assembly.meetings if m.id == meeting_id), None)
    if meeting is None:
        raise NotFound(f"{assembly.slug}/meetings/{meeting_id}")
    return meeting


def _read(form: Form) -> dict[str, object]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name in TEXTS:
        values[name] = forms.text(form, name)
        if len(str(values[name])) > LIMITS.get(name, 8000):
            errors[name] = str(_l("Højst %(n)d tegn.", n=LIMITS.get(name, 8000)))
    for name in ENGLISH:
        values[f"{name}_en"] = forms.optional(form, f"{name}_en")
    for name in ("title", "place"):
        if not values[name]:
            errors[name] = str(_l("Udfyld feltet på dansk."))
    values["minutes"] = values["minutes"] or None
    on = forms.day(form, "date", errors, required=True)
    starts, ends = forms.clock(form, "starts", errors), forms.clock(form, "ends", errors)
    if starts is None and "starts" not in errors:
        errors["starts"] = str(_l("Skriv et klokkeslæt."))
    if ends is None and "ends" not in errors:
        errors["ends"] = str(_l("Skriv et klokkeslæt."))
    if on and starts and ends:
        values["starts_at"] = forms.copenhagen(on, starts)
        values["ends_at"] = forms.copenhagen(on, ends)
        if ends <= starts:
            errors["ends"] = str(_l("Mødet skal slutte efter, at det begynder."))
    values["published"] = bool(form.get("published"))
    if errors:
        raise Invalid(errors)
    return values


def _renumber(assembly: Assembly) -> None:
    """Meetings are numbered in the order they take place."""
    for number, meeting in enumerate(sorted(assembly.meetings, key=lambda m: m.starts_at), 1):
        meeting.number = number


def create_meeting(
    session: Session, assembly: Assembly, form: Form, actor: User, now: datetime
) -> Meeting:
    """Add a meeting to the assembly (numbered by date), as an audit event."""
    meeting = Meeting(number=0, **_read(form))
    assembly.meetings.append(meeting)
    _renumber(assembly)
    session.flush()
    audit.record(session, "meeting.create", f"meeting:{meeting.id}", now, actor=actor)
    session.commit()
    return meeting


def update_meeting(
    session: Session, meeting: Meeting, form: Form, actor: User, now: datetime
) -> int:
    """Save the meeting; if its time or place changed, e-mail every active member (returns how
    many were told), in the same transaction."""
    values = _read(form)
    moved = meeting.published and any(getattr(meeting, k) != values[k] for k in WHERE_AND_WHEN)
    changed = [k for k, v in values.items() if getattr(meeting, k) != v]
    for name in changed:
        setattr(meeting, name, values[name])
    _renumber(meeting.assembly)
    told = _tell_members(session, meeting) if moved else 0
    audit.record(
        session,
        "meeting.update",
        f"meeting:{meeting.id}",
        now,
        actor=actor,
        detail=", ".join(changed) + (f"; {told} members e-mailed" if moved else ""),
    )
    session.commit()
    return told


def member_addresses(session: Session, assembly: Assembly) -> list[str]:
    """E-mail addresses of the assembly's active members (their account's, else their sign-up's)."""
    rows = session.execute(
        select(User.email, Registrant.email)
        .select_from(Member)
        .outerjoin(User, Member.user_id == User.id)
        .outerjoin(Registrant, Member.registrant_id == Registrant.id)
        .where(Member.assembly_id == assembly.id, Member.status == MemberStatus.ACTIVE)
    ).all()
    return sorted({account or signup for account, signup in rows if account or signup})


def _tell_members(session: Session, meeting: Meeting) -> int:
    # Members read Danish; the secretary's own page language must not choose the mail's.
    with force_locale("da"):
        return _send_move_notice(session, meeting)


def _send_move_notice(session: Session, meeting: Meeting) -> int:
    local = meeting.starts_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    when = format_datetime(local, "EEEE d. MMMM y 'kl.' HH:mm")
    subject = str(_l("Ændret mødetid eller -sted: %(t)s", t=meeting.title))[:200]
    body = str(
        _l(
            "Kære medlem af %(assembly)s\n\nMøde %(n)d, %(t)s, er flyttet. Det holdes nu "
            "%(when)s–%(end)s\n%(place)s\n%(address)s\n\nVenlig hilsen\nSekretariatet",
            assembly=meeting.assembly.title,
            n=meeting.number,
            t=meeting.title,
            when=when,
            end=meeting.ends_at.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%H:%M"),
            place=meeting.place,
            address=meeting.address,
        )
    )
    addresses = member_addresses(session, meeting.assembly)
    for address in addresses:
        session.add(OutboxEmail(to=address, subject=subject, body=body))
    return len(addresses)


def set_meeting_published(
    session: Session, meeting: Meeting, published: bool, actor: User, now: datetime
) -> None:
    """Show or hide a meeting in public (e.g. published by mistake), as an audit event."""
    meeting.published = published
    action = "meeting.publish" if published else "meeting.unpublish"
    audit.record(session, action, f"meeting:{meeting.id}", now, actor=actor)
    session.commit()


def delete_meeting(session: Session, meeting: Meeting, actor: User, now: datetime) -> None:
    """Delete a meeting; its materials stay, no longer tied to a meeting."""
    assembly = meeting.assembly
    for material in list(meeting.materials):
        material.meeting = None
    assembly.meetings.remove(meeting)
    _renumber(assembly)
    audit.record(
        session,
        "meeting.delete",
        f"meeting:{meeting.id}",
        now,
        actor=actor,
        detail=f"{assembly.slug}: {meeting.title}",
    )
    session.commit()
