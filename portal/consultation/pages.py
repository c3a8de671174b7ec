"""What the public recommendation page and the comment forms show of the comment phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import (
    ConsultationResponse,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    User,
)
from ..people.residents import can_post
from ..phases import Feature, local_date
from .comments import CommentPage, Order, list_threads, paragraph_counts
from .paragraphs import current_public_revision, public_revisions, split_paragraphs
from .responses import editable_ids, list_responses, organisations_for
from .rules import Window, window


@dataclass
class RecommendationInput:
    revision: RecommendationRevision | None  # the public version comments are written on now
    paragraphs: list[str]
    counts: dict[int | None, int]
    comments: CommentPage
    responses: list[ConsultationResponse]
    comment_window: Window
    response_window: Window
    viewer_can_post: bool
    viewer_organisations: bool
    accepts_comments: bool  # a published draft (final recommendations take none)
    editable_response_ids: frozenset[int]  # the viewer's own, while their round is open

    @property
    def comments_open(self) -> bool:
        return self.accepts_comments and self.comment_window.open

    @property
    def responses_open(self) -> bool:
        return self.accepts_comments and self.response_window.open

    def is_current(self, revision_id: int) -> bool:
        return self.revision is not None and revision_id == self.revision.id


def recommendation_input(
    session: Session,
    rec: Recommendation,
    viewer: User | None,
    now: datetime,
    *,
    order: Order = Order.NEWEST,
    page: int = 1,
    size: int = 10,
) -> RecommendationInput:
    """Paragraphs of the public version with comment counts, one page of threads, the
    organisations' responses, and whether (and until when) input is accepted."""
    revision = current_public_revision(rec)
    today = local_date(now)
    filed = list_responses(session, rec.assembly, rec, viewer)
    return RecommendationInput(
        revision=revision,
        paragraphs=split_paragraphs(revision.text if revision else rec.text),
        counts=paragraph_counts(session, revision) if revision else {},
        comments=list_threads(session, rec, viewer, order=order, page=page, size=size),
        responses=filed,
        comment_window=window(rec.assembly, Feature.COMMENT, today),
        response_window=window(rec.assembly, Feature.COMMITTEE_INPUT, today),
        viewer_can_post=can_post(viewer),
        viewer_organisations=bool(viewer and organisations_for(session, viewer)),
        accepts_comments=rec.status == RecommendationStatus.DRAFT and revision is not None,
        editable_response_ids=editable_ids(filed, viewer, rec.assembly, today),
    )


def get_public_revision(rec: Recommendation, revision_id: int) -> RecommendationRevision:
    """One version the public has seen (old drafts stay readable, so old comments keep their
    context); never a members-only revision."""
    found = next((r for r in public_revisions(rec) if r.id == revision_id), None)
    if found is None:
        raise NotFound(f"revision {revision_id}")
    return found
