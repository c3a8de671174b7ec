"""Shared arrangements for the comment-phase tests: the demo's Grønt byliv in its comment round."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    Phase,
    PhaseKind,
    Recommendation,
    RecommendationRevision,
    User,
)
from portal.passwords import hash_password

from .conftest import NOW

SLUG = "groent-byliv-indre-oesterbro"
REC_URL = f"/assemblies/{SLUG}/recommendations"
# The demo's comment round runs from NOW - 10 days to NOW + 20 days (Copenhagen dates).
ROUND_ENDS = date(2026, 12, 10)
AFTER_ROUND = datetime(2026, 12, 15, 12, tzinfo=NOW.tzinfo)


def groent(session: Session) -> Assembly:
    found = session.scalar(select(Assembly).where(Assembly.slug == SLUG))
    assert found is not None
    return found


def recommendation(session: Session, number: int = 1) -> Recommendation:
    return next(r for r in groent(session).recommendations if r.number == number)


def user(session: Session, email: str) -> User:
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def new_user(session: Session, email: str, verified: bool = True) -> User:
    """An account with the demo password; verified or not."""
    account = User(
        email=email,
        display_name=email.split("@")[0],
        password_hash=hash_password(DEMO_PASSWORD, "fast"),
        email_verified_at=NOW - timedelta(days=1) if verified else None,
    )
    session.add(account)
    session.commit()
    return account


def second_round(session: Session, gap_days: int = 0) -> Phase:
    """Turn the final phase after the comment round into a second comment round (after a gap)."""
    assembly = groent(session)
    final = next(p for p in assembly.phases if p.kind == PhaseKind.FINAL)
    final.kind = PhaseKind.PUBLIC_COMMENT
    final.starts_on = final.starts_on + timedelta(days=gap_days)
    session.commit()
    return final


def publish_second_draft(
    session: Session, rec: Recommendation, text: str
) -> RecommendationRevision:
    """A new public version ("Udkast 2") after the current head (as the workspace publishes)."""
    head = rec.revisions[-1]
    if head.public_label:
        head = RecommendationRevision(
            recommendation_id=rec.id, parent_id=head.id, title=rec.title, text=text
        )
        session.add(head)
    head.text = text
    head.public_label = "Udkast 2"
    rec.text = text
    session.commit()
    session.refresh(rec)
    return head
