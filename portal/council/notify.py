"""Telling the members who opted in (`Member.stay_informed`): answers published, implementation
changed, and an answer overdue (once per recommendation, recorded in `FollowerNotice`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import (
    AnswerStatus,
    Assembly,
    CouncilAnswer,
    FollowerNotice,
    Member,
    OutboxEmail,
    Recommendation,
    RecommendationStatus,
    User,
)

OVERDUE = "overdue"


def followers(session: Session, assembly: Assembly) -> list[tuple[str, str]]:
    """(address, language) of the assembly's members who asked to stay informed."""
    rows = session.execute(
        select(User.email, User.language)
        .join(Member, Member.user_id == User.id)
        .where(Member.assembly_id == assembly.id, Member.stay_informed.is_(True), User.active)
    ).all()
    return sorted({(email, language or "da") for email, language in rows if email})


def follower_addresses(session: Session, assembly: Assembly) -> list[str]:
    """E-mail addresses of the assembly's members who asked to stay informed (their accounts)."""
    return [address for address, _language in followers(session, assembly)]


def _url(assembly: Assembly, rec: Recommendation) -> str:
    from ..mail import external_url

    return external_url(f"/assemblies/{assembly.slug}/recommendations/{rec.number}")


def _send(
    session: Session, assembly: Assembly, compose: Callable[[], tuple[str, list[str]]]
) -> int:
    """One e-mail per follower, written in the follower's language."""
    from ..mail import in_language

    written: dict[str, tuple[str, str]] = {}
    people = followers(session, assembly)
    for address, language in people:
        if language not in written:
            with in_language(language):
                subject, lines = compose()
            written[language] = (subject, "\n".join(lines))
        subject, body = written[language]
        session.add(
            OutboxEmail(
                to=address,
                subject=subject[:200],
                body=body,
                language=language,
                assembly_id=assembly.id,
            )
        )
    return len(people)


def _footer() -> list[str]:
    return ["", str(_l("Du får denne e-mail, fordi du har bedt om at blive holdt orienteret."))]


def answers_published(session: Session, assembly: Assembly, recs: list[Recommendation]) -> int:
    """One e-mail per follower naming the recommendations that were answered."""
    from .. import labels

    def compose() -> tuple[str, list[str]]:
        subject = str(_l("Politikerne har svaret: %(t)s", t=assembly.title))
        lines = [str(_l("Kære medlem af %(a)s", a=assembly.title)), ""]
        for rec in recs:
            status = rec.answer.status if rec.answer else AnswerStatus.PENDING
            lines.append(f"{rec.number}. {rec.title}: {labels.ANSWER[status]}")
            lines.append(_url(assembly, rec))
        return subject, lines + _footer()

    return _send(session, assembly, compose)


def implementation_changed(session: Session, assembly: Assembly, rec: Recommendation) -> int:
    """Followers hear when a recommendation's implementation status changes."""
    from .. import labels

    answer = rec.answer
    if answer is None:
        return 0

    def compose() -> tuple[str, list[str]]:
        subject = str(_l("Nyt om anbefaling %(n)d: %(t)s", n=rec.number, t=rec.title))
        change = _l(
            "Gennemførelsen af anbefaling %(n)d er nu: %(s)s (%(p)d %%).",
            n=rec.number,
            s=labels.IMPLEMENTATION[answer.implementation],
            p=answer.progress,
        )
        lines = [str(_l("Kære medlem af %(a)s", a=assembly.title)), "", str(change)]
        return subject, [*lines, _url(assembly, rec), *_footer()]

    return _send(session, assembly, compose)


def overdue_recommendations(session: Session, today: date) -> list[Recommendation]:
    """Final recommendations whose answer is overdue (due day passed, nothing published)."""
    return list(
        session.scalars(
            select(Recommendation)
            .join(Assembly, Recommendation.assembly_id == Assembly.id)
            .outerjoin(CouncilAnswer, CouncilAnswer.recommendation_id == Recommendation.id)
            .where(
                Recommendation.status == RecommendationStatus.FINAL,
                Assembly.answer_due.is_not(None),
                Assembly.answer_due < today,
                (CouncilAnswer.id.is_(None)) | (CouncilAnswer.version == 0),
            )
            .order_by(Recommendation.assembly_id, Recommendation.number)
        )
    )


def tell_overdue(session: Session, now: datetime, today: date) -> int:
    """Tell followers once that answers are overdue: a notice row per recommendation (unique),
    one e-mail per assembly listing the newly overdue. Returns the number of e-mails."""
    told = set(
        session.scalars(
            select(FollowerNotice.recommendation_id).where(FollowerNotice.kind == OVERDUE)
        )
    )
    fresh: dict[int, list[Recommendation]] = {}
    for rec in overdue_recommendations(session, today):
        if rec.id not in told:
            fresh.setdefault(rec.assembly_id, []).append(rec)
    sent = 0
    for recs in fresh.values():
        assembly = recs[0].assembly
        try:
            with session.begin_nested():
                for rec in recs:
                    session.add(FollowerNotice(recommendation_id=rec.id, kind=OVERDUE, sent_at=now))
        except IntegrityError:  # another worker recorded (and told) them first
            continue
        sent += _overdue_mail(session, assembly, recs)
    session.commit()
    return sent


def _overdue_mail(session: Session, assembly: Assembly, recs: list[Recommendation]) -> int:
    from flask_babel import format_date

    def compose() -> tuple[str, list[str]]:
        due = format_date(assembly.answer_due, "long") if assembly.answer_due else ""
        subject = str(_l("Svar udestår: %(t)s", t=assembly.title))
        lines = [
            str(_l("Kære medlem af %(a)s", a=assembly.title)),
            "",
            str(
                _l("Politikerne skulle have svaret senest %(d)s. Svaret udestår stadig på:", d=due)
            ),
        ]
        for rec in recs:
            lines.append(f"{rec.number}. {rec.title}")
            lines.append(_url(assembly, rec))
        return subject, lines + _footer()

    return _send(session, assembly, compose)


def set_stay_informed(session: Session, user: User, assembly: Assembly, on: bool) -> Member:
    """A member (only) opts in or out of e-mails about answers and implementation."""
    from ..errors import Forbidden
    from ..models import MemberStatus

    member = session.scalar(
        select(Member).where(
            Member.assembly_id == assembly.id,
            Member.user_id == user.id,
            Member.status == MemberStatus.ACTIVE,
        )
    )
    if member is None:
        raise Forbidden()
    member.stay_informed = on
    session.commit()
    return member
