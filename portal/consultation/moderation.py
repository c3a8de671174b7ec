"""Moderation with public reasons: reports, hiding (with a reason from a short list and a note),
restoring, pre-moderation, and the author's one appeal. Every action is a ModerationEvent and an
AuditEvent in the same transaction; the author is told by e-mail in their language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit, labels
from ..errors import Forbidden, Invalid
from ..mail import external_url, in_language
from ..models import (
    Assembly,
    Comment,
    CommentStatus,
    ConsultationResponse,
    ModerationAction,
    ModerationEvent,
    ModerationReason,
    OutboxEmail,
    Recommendation,
    Report,
    Role,
    User,
)

Input = Comment | ConsultationResponse
MAX_NOTE = 2000


def _require_moderator(actor: User) -> None:
    if not actor.has_role(Role.SECRETARIAT):
        raise Forbidden()


def subject_of(item: Input) -> str:
    return f"comment:{item.id}" if isinstance(item, Comment) else f"response:{item.id}"


def _path(item: Input) -> str:
    return f"comments/{item.id}" if isinstance(item, Comment) else f"responses/{item.id}"


def _public_link(session: Session, item: Input) -> str:
    """Where the public reads the input: its recommendation, or the organisation's own page."""
    if isinstance(item, Comment):
        rec = item.recommendation
        path = f"/assemblies/{rec.assembly.slug}/recommendations/{rec.number}#comment-{item.id}"
    elif item.recommendation is not None:
        rec = item.recommendation
        slug = assembly_of(session, item).slug
        path = f"/assemblies/{slug}/recommendations/{rec.number}#response-{item.id}"
    else:
        path = f"/organisations/{item.organisation_id}#response-{item.id}"
    return external_url(path)


def _ref(item: Input) -> dict[str, int | None]:
    if isinstance(item, Comment):
        return {"comment_id": item.id, "response_id": None}
    return {"comment_id": None, "response_id": item.id}


def assembly_of(session: Session, item: Input) -> Assembly:
    if isinstance(item, Comment):
        return item.recommendation.assembly
    found = session.get(Assembly, item.assembly_id)
    assert found is not None
    return found


def _event(
    session: Session,
    actor: User,
    item: Input,
    action: ModerationAction,
    now: datetime,
    *,
    reason: ModerationReason | None = None,
    note: str = "",
) -> None:
    session.add(
        ModerationEvent(
            **_ref(item), actor_id=actor.id, action=action, reason=reason, note=note, created_at=now
        )
    )
    detail = f"{reason.value}: {note}" if reason else note
    audit.record(
        session, f"moderation.{action.value}", subject_of(item), now, actor=actor, detail=detail
    )


def _resolve_reports(session: Session, item: Input, now: datetime) -> None:
    column = Report.comment_id if isinstance(item, Comment) else Report.response_id
    for report in session.scalars(
        select(Report).where(column == item.id, Report.resolved_at.is_(None))
    ):
        report.resolved_at = now


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid({"note": str(_l("Teksten er for lang (højst %(n)d tegn).", n=MAX_NOTE))})
    return note


def report(session: Session, actor: User, item: Input, reason: str, now: datetime) -> Report:
    """Any logged-in person reports a comment or response to the moderators (once is enough:
    a second open report by the same person is not added again)."""
    reason = _note(reason)
    column = Report.comment_id if isinstance(item, Comment) else Report.response_id
    existing = session.scalar(
        select(Report).where(
            column == item.id, Report.reporter_id == actor.id, Report.resolved_at.is_(None)
        )
    )
    if existing is not None:
        return existing
    found = Report(**_ref(item), reporter_id=actor.id, reason=reason, created_at=now)
    session.add(found)
    audit.record(session, "moderation.report", subject_of(item), now, actor=actor)
    session.commit()
    return found


def _tell_author(session: Session, item: Input, compose: Callable[[User], tuple[str, str]]) -> None:
    """Queue an e-mail to the input's author (if the account still exists) in their language."""
    author = item.author
    if author is None or not author.email:
        return
    language = author.language or "da"
    with in_language(language):
        subject, body = compose(author)
    session.add(
        OutboxEmail(
            to=author.email,
            subject=subject[:200],
            body=body,
            language=language,
            assembly_id=assembly_of(session, item).id,
        )
    )


def _hidden_mail(item: Input) -> Callable[[User], tuple[str, str]]:
    def compose(author: User) -> tuple[str, str]:
        reason = labels.MODERATION_REASON[item.moderation_reason or ModerationReason.OFF_TOPIC]
        body = _(
            "Hej %(name)s\n\nEn moderator har skjult dit indlæg på Samling.\n\n"
            "Begrundelse: %(reason)s\n%(note)s\n\nDu kan klage over afgørelsen én gang her:\n"
            "%(link)s\n\nHusreglerne: %(rules)s\n",
            name=author.display_name,
            reason=str(reason),
            note=item.moderation_note,
            link=external_url(f"/{_path(item)}/appeal"),
            rules=external_url("/house-rules"),
        )
        return _("Dit indlæg er skjult af en moderator"), body

    return compose


def hide(
    session: Session,
    actor: User,
    item: Input,
    reason: str,
    note: str,
    now: datetime,
) -> None:
    """A moderator hides an input; a reason from the list is required (the public sees it in
    place of the text), a note is optional. The author is told and may appeal once."""
    _require_moderator(actor)
    try:
        chosen = ModerationReason(reason)
    except ValueError:
        raise Invalid({"reason": str(_l("Vælg en begrundelse."))}) from None
    note = _note(note)
    item.status = CommentStatus.HIDDEN
    item.moderation_reason = chosen
    item.moderation_note = note
    _resolve_reports(session, item, now)
    _event(session, actor, item, ModerationAction.HIDE, now, reason=chosen, note=note)
    _tell_author(session, item, _hidden_mail(item))
    session.commit()


def restore(session: Session, actor: User, item: Input, note: str, now: datetime) -> None:
    """A moderator shows a hidden input again (e.g. after an appeal)."""
    _require_moderator(actor)
    if item.status != CommentStatus.HIDDEN:
        raise Invalid({"form": str(_l("Indlægget er ikke skjult."))})
    item.status = CommentStatus.VISIBLE
    item.moderation_reason = None
    item.moderation_note = ""
    _event(session, actor, item, ModerationAction.RESTORE, now, note=_note(note))
    _tell_author(
        session,
        item,
        lambda _author: (
            _("Dit indlæg er synligt igen"),
            _("Dit indlæg på Samling er synligt igen.\n\n%(link)s\n", link=external_url("/mine")),
        ),
    )
    session.commit()


def approve(session: Session, actor: User, item: Input, now: datetime) -> None:
    """Pre-moderation: a moderator releases a pending input to the public; the author is told."""
    _require_moderator(actor)
    if item.status != CommentStatus.PENDING:
        raise Invalid({"form": str(_l("Indlægget venter ikke på godkendelse."))})
    item.status = CommentStatus.VISIBLE
    _event(session, actor, item, ModerationAction.APPROVE, now)
    _tell_author(
        session,
        item,
        lambda _author: (
            _("Dit indlæg er nu offentligt"),
            _(
                "En moderator har godkendt dit indlæg på Samling, og nu kan alle læse det.\n\n"
                "%(link)s\n\nSe alt dit input og hvad der sker med det: %(mine)s\n",
                link=_public_link(session, item),
                mine=external_url("/mine/input"),
            ),
        ),
    )
    session.commit()


def keep(session: Session, actor: User, item: Input, now: datetime) -> None:
    """A moderator dismisses the reports of an input that breaks no rule."""
    _require_moderator(actor)
    _resolve_reports(session, item, now)
    _event(session, actor, item, ModerationAction.KEEP, now)
    session.commit()


def appeal(session: Session, actor: User, item: Input, text: str, now: datetime) -> None:
    """The author appeals a hiding, once per input."""
    if item.author_id != actor.id:
        raise Forbidden()
    if item.status != CommentStatus.HIDDEN:
        raise Invalid({"appeal": str(_l("Indlægget er ikke skjult."))})
    if item.appeal_text is not None:
        raise Invalid({"appeal": str(_l("Du har allerede klaget over denne afgørelse."))})
    text = (text or "").strip()
    if not text:
        raise Invalid({"appeal": str(_l("Skriv hvorfor afgørelsen bør ændres."))})
    if len(text) > MAX_NOTE:
        raise Invalid({"appeal": str(_l("Teksten er for lang (højst %(n)d tegn).", n=MAX_NOTE))})
    item.appeal_text = text
    item.appealed_at = now
    _event(session, actor, item, ModerationAction.APPEAL, now, note=text)
    session.commit()


def reject_appeal(session: Session, actor: User, item: Input, note: str, now: datetime) -> None:
    """A moderator keeps the input hidden after the author's appeal (final)."""
    _require_moderator(actor)
    if item.status != CommentStatus.HIDDEN or item.appealed_at is None:
        raise Invalid({"form": str(_l("Der er ingen klage at afvise."))})
    note = _note(note)
    _event(session, actor, item, ModerationAction.REJECT_APPEAL, now, note=note)
    _tell_author(
        session,
        item,
        lambda _author: (
            _("Din klage er behandlet"),
            _("Din klage er behandlet, og indlægget forbliver skjult.\n\n%(note)s\n", note=note),
        ),
    )
    session.commit()


def set_premoderation(
    session: Session, actor: User, assembly: Assembly, enabled: bool, now: datetime
) -> None:
    """Pre-moderation on or off for an assembly: new input waits for a moderator when on."""
    _require_moderator(actor)
    if assembly.premoderation == enabled:
        return
    assembly.premoderation = enabled
    audit.record(
        session,
        "assembly.premoderation",
        f"assembly:{assembly.id}",
        now,
        actor=actor,
        detail="on" if enabled else "off",
    )
    session.commit()


@dataclass
class QueueEntry:
    item: Input
    reports: list[Report] = field(default_factory=list)
    appeal_open: bool = False

    @property
    def kind(self) -> str:
        return "comment" if isinstance(self.item, Comment) else "response"


@dataclass
class Queue:
    entries: list[QueueEntry]

    def of(self, why: str) -> list[QueueEntry]:
        if why == "pending":
            return [e for e in self.entries if e.item.status == CommentStatus.PENDING]
        if why == "appeal":
            return [e for e in self.entries if e.appeal_open]
        return [e for e in self.entries if e.reports]


def _appeal_open(model: type[Comment] | type[ConsultationResponse]):  # type: ignore[no-untyped-def]
    column = ModerationEvent.comment_id if model is Comment else ModerationEvent.response_id
    decided = exists().where(
        column == model.id,
        ModerationEvent.action.in_([ModerationAction.REJECT_APPEAL, ModerationAction.RESTORE]),
        ModerationEvent.created_at >= model.appealed_at,
    )
    return (model.status == CommentStatus.HIDDEN) & model.appealed_at.is_not(None) & ~decided


def moderation_queue(session: Session) -> Queue:
    """What waits for a moderator: reported inputs, pending ones, and open appeals."""
    reports = list(
        session.scalars(select(Report).where(Report.resolved_at.is_(None)).order_by(Report.id))
    )
    by_comment: dict[int, list[Report]] = {}
    by_response: dict[int, list[Report]] = {}
    for r in reports:
        if r.comment_id is not None:
            by_comment.setdefault(r.comment_id, []).append(r)
        elif r.response_id is not None:
            by_response.setdefault(r.response_id, []).append(r)
    comments = session.execute(
        select(Comment, _appeal_open(Comment).label("appeal_open"))
        .where(
            or_(
                Comment.id.in_(by_comment),
                Comment.status == CommentStatus.PENDING,
                _appeal_open(Comment),
            )
        )
        .options(
            selectinload(Comment.author),
            selectinload(Comment.recommendation).selectinload(Recommendation.assembly),
        )
        .order_by(Comment.created_at)
    ).all()
    entries = [QueueEntry(c, by_comment.get(c.id, []), bool(o)) for c, o in comments]
    responses = session.execute(
        select(ConsultationResponse, _appeal_open(ConsultationResponse).label("appeal_open"))
        .where(
            or_(
                ConsultationResponse.id.in_(by_response),
                ConsultationResponse.status == CommentStatus.PENDING,
                _appeal_open(ConsultationResponse),
            )
        )
        .options(selectinload(ConsultationResponse.organisation))
        .order_by(ConsultationResponse.created_at)
    ).all()
    entries += [QueueEntry(r, by_response.get(r.id, []), bool(o)) for r, o in responses]
    return Queue(entries)
