"""What leaves the workspace: minority statements, numbered public drafts and the final version.

Facilitators publish. A published revision is never changed again; the final round freezes the
support counts together with the final text, and minority statements go public with them.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import Forbidden, Invalid, NotFound, PhaseClosed
from .models import (
    MinoritySigner,
    MinorityStatement,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    SupportLevel,
    SupportVote,
)
from .recommendations import FINAL_LABEL, latest
from .workspace import Workspace, require_facilitator

DRAFT_LABEL = "Udkast %d"


def _require_open(rec: Recommendation) -> None:
    if rec.status == RecommendationStatus.FINAL:
        raise PhaseClosed(_l("Anbefalingen er endelig og kan ikke længere ændres."))


# --- minority statements -------------------------------------------------------------------


def get_statement(rec: Recommendation, statement_id: int) -> MinorityStatement:
    for statement in rec.minority_statements:
        if statement.id == statement_id:
            return statement
    raise NotFound(statement_id)


def create_minority_statement(
    session: Session, ws: Workspace, rec: Recommendation, text: str, now: datetime
) -> MinorityStatement:
    """A member who disagrees writes a statement and is its first signer; others may co-sign."""
    if ws.member is None:
        raise Forbidden()
    _require_open(rec)
    text = (text or "").strip()
    if not text:
        raise Invalid({"minority_text": str(_l("Skriv mindretallets udtalelse."))})
    if len(text) > 5_000:
        raise Invalid({"minority_text": str(_l("Teksten er for lang (højst 5000 tegn)."))})
    statement = MinorityStatement(text=text, created_at=now)
    statement.signers.append(MinoritySigner(member_id=ws.member.id))
    rec.minority_statements.append(statement)
    session.commit()
    return statement


def sign_statement(
    session: Session, ws: Workspace, statement: MinorityStatement, sign: bool, now: datetime
) -> MinorityStatement:
    """Members co-sign or withdraw until the recommendation is final; someone must stay on it."""
    if ws.member is None:
        raise Forbidden()
    _require_open(statement.recommendation)
    mine = [s for s in statement.signers if s.member_id == ws.member.id]
    if sign and not mine:
        statement.signers.append(MinoritySigner(member_id=ws.member.id))
    elif not sign and mine:
        if len(statement.signers) == 1:
            raise Invalid({"form": str(_l("En udtalelse skal have mindst én, der står bag den."))})
        statement.signers.remove(mine[0])
    session.commit()
    return statement


def signed_by(statement: MinorityStatement, ws: Workspace) -> bool:
    return ws.member is not None and any(s.member_id == ws.member.id for s in statement.signers)


# --- publishing ----------------------------------------------------------------------------


def _show_in_public(rec: Recommendation, revision: RecommendationRevision, now: datetime) -> None:
    rec.title, rec.text, rec.rationale = revision.title, revision.text, revision.rationale
    rec.updated_at = now
    for statement in rec.minority_statements:
        if statement.published_at is None:
            statement.published_at = now


def publish_draft(session: Session, ws: Workspace, rec: Recommendation, now: datetime) -> str:
    """Publish the current revision for public comment as the next numbered draft."""
    require_facilitator(ws)
    _require_open(rec)
    head = latest(rec)
    if head.public_label:
        raise Invalid({"form": str(_l("Denne version er allerede offentliggjort."))})
    drafts = sum(1 for r in rec.revisions if r.public_label and r.public_label != FINAL_LABEL)
    head.public_label = DRAFT_LABEL % (drafts + 1)
    rec.status = RecommendationStatus.DRAFT
    _show_in_public(rec, head, now)
    session.commit()
    return head.public_label


def publish_final(session: Session, ws: Workspace, rec: Recommendation, now: datetime) -> None:
    """Close the final round: the current text becomes final and the support count freezes."""
    require_facilitator(ws)
    _require_open(rec)
    head = latest(rec)
    if head.public_label:
        # That revision already carries its public label; the final version is a new row.
        head = RecommendationRevision(
            recommendation_id=rec.id,
            parent_id=head.id,
            author=ws.actor,
            title=head.title,
            text=head.text,
            rationale=head.rationale,
            message=str(_l("Endelig version")),
            created_at=now,
        )
        rec.revisions.append(head)
    head.public_label = FINAL_LABEL
    counts = dict(
        session.execute(
            select(SupportVote.level, func.count())
            .where(SupportVote.recommendation_id == rec.id)
            .group_by(SupportVote.level)
        ).all()
    )
    rec.support_count = counts.get(SupportLevel.SUPPORT, 0)
    rec.can_live_with_count = counts.get(SupportLevel.CAN_LIVE_WITH, 0)
    rec.cannot_support_count = counts.get(SupportLevel.CANNOT_SUPPORT, 0)
    rec.status = RecommendationStatus.FINAL
    _show_in_public(rec, head, now)
    session.commit()
