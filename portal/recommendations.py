"""Co-editing recommendations: immutable revisions without lost updates, proposals, diffs,
support on the consent scale, minority statements, and publishing drafts and finals.

Recommendation.title/text/rationale hold what the public sees: they follow the latest revision
while the recommendation is only in the workspace, and change only when a facilitator publishes
once it is public. The workspace always works on the latest revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .assemblies import SupportCounts, support_counts
from .db import is_unique_violation
from .diffing import Segment, has_changes, merge3, word_diff
from .errors import Conflict, Forbidden, Invalid, NotFound, PhaseClosed
from .models import (
    Member,
    MinoritySigner,
    MinorityStatement,
    Recommendation,
    RecommendationProposal,
    RecommendationRevision,
    RecommendationStatus,
    SupportLevel,
    SupportVote,
)
from .phases import Feature
from .workspace import Workspace, require_phase

FIELDS = ("title", "text", "rationale")
FINAL_LABEL = "Endelig"


@dataclass(frozen=True)
class Draft:
    """What a person typed into the recommendation form."""

    title: str
    text: str
    rationale: str = ""
    message: str = ""

    def cleaned(self) -> Draft:
        """Trimmed and checked; raises Invalid with every field's problem at once."""
        d = Draft(*(v.strip() for v in (self.title, self.text, self.rationale, self.message)))
        errors: dict[str, str] = {}
        if not d.title:
            errors["title"] = str(_l("Giv anbefalingen en overskrift."))
        elif len(d.title) > 200:
            errors["title"] = str(_l("Overskriften er for lang (højst 200 tegn)."))
        if not d.text:
            errors["text"] = str(_l("Skriv anbefalingens tekst."))
        if len(d.text) > 20_000 or len(d.rationale) > 20_000:
            errors["text"] = str(_l("Teksten er for lang."))
        if len(d.message) > 200:
            errors["message"] = str(_l("Beskeden er for lang (højst 200 tegn)."))
        if errors:
            raise Invalid(errors)
        return d


@dataclass
class FieldDiffs:
    title: list[Segment]
    text: list[Segment]
    rationale: list[Segment]

    @property
    def changed(self) -> bool:
        return any(has_changes(s) for s in (self.title, self.text, self.rationale))


def diff_fields(
    old: Draft | RecommendationRevision, new: Draft | RecommendationRevision
) -> FieldDiffs:
    return FieldDiffs(*(word_diff(getattr(old, f), getattr(new, f)) for f in FIELDS))


@dataclass
class MergeView:
    """Everything the merge page shows when a save was based on an older revision."""

    recommendation: Recommendation
    base: RecommendationRevision | None
    latest: RecommendationRevision
    mine: Draft
    diffs: FieldDiffs  # latest → mine
    merged: Draft  # a suggestion: both sides' edits where they do not touch the same words
    clean: bool  # True when the suggestion holds every edit of both sides
    errors: dict[str, str] = field(default_factory=dict)


# --- queries -------------------------------------------------------------------------------


def list_recommendations(session: Session, ws: Workspace) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.assembly_id == ws.assembly.id)
            .options(selectinload(Recommendation.revisions))
            .order_by(Recommendation.number)
        ).all()
    )


def get_recommendation(session: Session, ws: Workspace, number: int) -> Recommendation:
    rec = session.scalar(
        select(Recommendation)
        .where(Recommendation.assembly_id == ws.assembly.id, Recommendation.number == number)
        .options(
            selectinload(Recommendation.revisions).selectinload(RecommendationRevision.author),
            selectinload(Recommendation.minority_statements)
            .selectinload(MinorityStatement.signers)
            .selectinload(MinoritySigner.member),
        )
    )
    if rec is None:
        raise NotFound(number)
    return rec


def latest(rec: Recommendation) -> RecommendationRevision:
    """The current revision (history is a line, so the one with the highest id)."""
    if not rec.revisions:
        raise NotFound(rec.id)
    return rec.revisions[-1]


def get_revision(rec: Recommendation, revision_id: int | None) -> RecommendationRevision:
    for revision in rec.revisions:
        if revision.id == revision_id:
            return revision
    raise NotFound(revision_id)


def list_proposals(session: Session, rec: Recommendation) -> list[RecommendationProposal]:
    return list(
        session.scalars(
            select(RecommendationProposal)
            .where(RecommendationProposal.recommendation_id == rec.id)
            .options(selectinload(RecommendationProposal.author))
            .order_by(RecommendationProposal.id.desc())
        ).all()
    )


def get_proposal(session: Session, rec: Recommendation, proposal_id: int) -> RecommendationProposal:
    proposal = session.get(RecommendationProposal, proposal_id)
    if proposal is None or proposal.recommendation_id != rec.id:
        raise NotFound(proposal_id)
    return proposal


# --- editing -------------------------------------------------------------------------------


def _require_editable(ws: Workspace, rec: Recommendation, now: datetime) -> None:
    require_phase(ws, Feature.EDIT_RECOMMENDATIONS, now)
    if rec.status == RecommendationStatus.FINAL:
        raise PhaseClosed(_l("Anbefalingen er endelig og kan ikke længere ændres."))


def create_recommendation(
    session: Session, ws: Workspace, draft: Draft, now: datetime
) -> Recommendation:
    """Any member (or facilitator) starts a recommendation while editing is open.

    The number is the assembly's highest plus one; when a concurrent post took that number
    (the database's unique constraint says so), the insert is retried with the next one.
    """
    require_phase(ws, Feature.EDIT_RECOMMENDATIONS, now)
    d = draft.cleaned()
    for _attempt in range(NUMBER_ATTEMPTS):
        rec = _new_recommendation(session, ws, d, now)
        try:
            with session.begin_nested():
                session.add(rec)
        except IntegrityError as error:
            if not is_unique_violation(
                error, "uq_recommendation_assembly_id", "recommendation", ["assembly_id", "number"]
            ):
                raise
            continue
        session.commit()
        return rec
    raise Conflict(str(_l("Mange opretter anbefalinger lige nu. Prøv igen.")))


NUMBER_ATTEMPTS = 50


def _new_recommendation(session: Session, ws: Workspace, d: Draft, now: datetime) -> Recommendation:
    number = (
        session.scalar(
            select(func.max(Recommendation.number)).where(
                Recommendation.assembly_id == ws.assembly.id
            )
        )
        or 0
    ) + 1
    rec = Recommendation(
        assembly_id=ws.assembly.id,
        number=number,
        title=d.title,
        text=d.text,
        rationale=d.rationale,
        created_at=now,
        updated_at=now,
    )
    rec.revisions.append(
        RecommendationRevision(
            title=d.title,
            text=d.text,
            rationale=d.rationale,
            message=d.message or str(_l("Første udkast")),
            author=ws.actor,
            created_at=now,
        )
    )
    return rec


def merge_view(rec: Recommendation, base_id: int | None, mine: Draft) -> MergeView:
    """Both versions, what differs, and a merged suggestion from the common base."""
    head = latest(rec)
    base = next((r for r in rec.revisions if r.id == base_id), None)
    merged: dict[str, str] = {}
    clean = base is not None
    for name in FIELDS:
        result = (
            merge3(getattr(base, name), getattr(mine, name), getattr(head, name)) if base else None
        )
        clean = clean and result is not None
        merged[name] = result if result is not None else getattr(mine, name)
    return MergeView(
        recommendation=rec,
        base=base,
        latest=head,
        mine=mine,
        diffs=diff_fields(head, mine),
        merged=Draft(merged["title"], merged["text"], merged["rationale"], mine.message),
        clean=clean,
    )


def save_revision(
    session: Session,
    ws: Workspace,
    rec: Recommendation,
    base_revision_id: int | None,
    draft: Draft,
    now: datetime,
) -> RecommendationRevision:
    """Save a new revision, but only on top of the current one: never a lost update.

    A save based on an older revision raises Conflict with a MergeView; so does the rare case
    where another save lands between our check and our insert (the database refuses two
    children of one revision).
    """
    _require_editable(ws, rec, now)
    d = draft.cleaned()
    head = latest(rec)
    if base_revision_id != head.id:
        raise Conflict(
            str(_l("Anbefalingen er blevet ændret imens.")), merge_view(rec, base_revision_id, d)
        )
    if not diff_fields(head, d).changed:
        raise Invalid({"text": str(_l("Du har ikke ændret noget."))})
    revision = RecommendationRevision(
        recommendation_id=rec.id,
        parent_id=head.id,
        author=ws.actor,
        title=d.title,
        text=d.text,
        rationale=d.rationale,
        message=d.message,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(revision)
    except IntegrityError:
        session.expire(rec)
        raise Conflict(
            str(_l("Anbefalingen er blevet ændret imens.")), merge_view(rec, base_revision_id, d)
        ) from None
    if rec.status == RecommendationStatus.WORKING:
        rec.title, rec.text, rec.rationale = d.title, d.text, d.rationale
    rec.updated_at = now
    session.commit()
    return revision


def create_proposal(
    session: Session,
    ws: Workspace,
    rec: Recommendation,
    base_revision_id: int | None,
    draft: Draft,
    now: datetime,
) -> RecommendationProposal:
    """Keep one's version for the others to see, without changing the recommendation."""
    _require_editable(ws, rec, now)
    d = draft.cleaned()
    base = next((r for r in rec.revisions if r.id == base_revision_id), None)
    proposal = RecommendationProposal(
        recommendation_id=rec.id,
        base_revision=base,
        author=ws.actor,
        title=d.title,
        text=d.text,
        rationale=d.rationale,
        message=d.message,
        created_at=now,
    )
    session.add(proposal)
    session.commit()
    return proposal


# --- support -------------------------------------------------------------------------------


@dataclass
class SupportView:
    counts: SupportCounts
    mine: SupportLevel | None
    frozen: bool
    open: bool  # the actor can vote now


def get_support(session: Session, ws: Workspace, rec: Recommendation, now: datetime) -> SupportView:
    mine = None
    if ws.member is not None:
        mine = session.scalar(
            select(SupportVote.level).where(
                SupportVote.recommendation_id == rec.id, SupportVote.member_id == ws.member.id
            )
        )
    frozen = rec.support_count is not None
    can_vote = ws.member is not None and not frozen and ws.allows(Feature.SUPPORT, now)
    return SupportView(support_counts(session, [rec])[rec.id], mine, frozen, can_vote)


def set_support(
    session: Session, ws: Workspace, rec: Recommendation, level: str, now: datetime
) -> SupportVote:
    """A member states (or changes) their position until the final count is frozen."""
    if ws.member is None:
        raise Forbidden()
    require_phase(ws, Feature.SUPPORT, now)
    if rec.support_count is not None or rec.status == RecommendationStatus.FINAL:
        raise PhaseClosed(_l("Den endelige optælling er lukket."))
    try:
        chosen = SupportLevel(level)
    except ValueError:
        raise Invalid({"level": str(_l("Vælg en af mulighederne."))}) from None
    vote = _find_vote(session, rec, ws.member)
    if vote is None:
        try:
            with session.begin_nested():
                vote = SupportVote(
                    recommendation_id=rec.id, member_id=ws.member.id, level=chosen, updated_at=now
                )
                session.add(vote)
        except IntegrityError as error:
            # The same member's concurrent vote was stored first: change that one instead.
            if not is_unique_violation(
                error,
                "uq_support_vote_recommendation_id",
                "support_vote",
                ["recommendation_id", "member_id"],
            ):
                raise
            vote = _find_vote(session, rec, ws.member)
            if vote is None:
                raise
    vote.level, vote.updated_at = chosen, now
    session.commit()
    return vote


def _find_vote(session: Session, rec: Recommendation, member: Member) -> SupportVote | None:
    return session.scalar(
        select(SupportVote).where(
            SupportVote.recommendation_id == rec.id, SupportVote.member_id == member.id
        )
    )
