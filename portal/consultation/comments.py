"""Residents' comments on published drafts: on a recommendation or one paragraph of the version
they read, replies in threads, edits (with history) until the round closes, lists and counts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from .. import audit
from ..assemblies import Page
from ..errors import Forbidden, Invalid, NotFound, PhaseClosed
from ..models import (
    Assembly,
    Comment,
    CommentEdit,
    CommentStatus,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    User,
)
from ..phases import Feature, local_date
from ..sanitize import plain_text_to_html
from .paragraphs import current_public_revision, split_paragraphs
from .rules import require_can_post, require_open, round_still_open

MAX_COMMENT = 5000


class Order(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    MOST_REPLIED = "most_replied"


@dataclass
class Thread:
    """A root comment with its (visible) replies."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass
class CommentPage(Page[Thread]):
    """One page of comment threads, in the order the reader chose."""

    order: Order = Order.NEWEST

    @property
    def threads(self) -> list[Thread]:
        return self.items


def _clean_text(text: str, field_name: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid({field_name: str(_l("Skriv din kommentar."))})
    if len(text) > MAX_COMMENT:
        raise Invalid(
            {field_name: str(_l("Teksten er for lang (højst %(n)d tegn).", n=MAX_COMMENT))}
        )
    return text


def commentable_revision(rec: Recommendation) -> RecommendationRevision:
    """The public version comments are written on: only published drafts take comments."""
    revision = current_public_revision(rec)
    if rec.status != RecommendationStatus.DRAFT or revision is None:
        raise PhaseClosed(str(_l("Denne anbefaling tager ikke imod kommentarer.")))
    return revision


def create_comment(
    session: Session,
    actor: User,
    rec: Recommendation,
    text: str,
    now: datetime,
    *,
    paragraph: int | None = None,
    parent_id: int | None = None,
) -> Comment:
    """A verified account comments while a comment round is open: on the whole recommendation,
    on paragraph n of the public version, or as a reply (which takes its thread's version and
    paragraph). Pre-moderated assemblies hold it as PENDING until a moderator approves it."""
    require_can_post(actor)
    assembly: Assembly = rec.assembly
    phase = require_open(assembly, Feature.COMMENT, local_date(now))
    revision = commentable_revision(rec)
    text = _clean_text(text)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.recommendation_id != rec.id:
            raise NotFound("comment")
        if parent.parent_id is not None:  # one level of threads: answer the thread's root
            parent = session.get(Comment, parent.parent_id)
            assert parent is not None
        if parent.status != CommentStatus.VISIBLE:
            raise Invalid({"text": str(_l("Kommentaren kan ikke besvares."))})
    elif paragraph is not None and not 1 <= paragraph <= len(split_paragraphs(revision.text)):
        raise Invalid({"paragraph": str(_l("Afsnittet findes ikke."))})
    comment = Comment(
        recommendation_id=rec.id,
        revision_id=parent.revision_id if parent else revision.id,
        paragraph=parent.paragraph if parent else paragraph,
        parent_id=parent.id if parent else None,
        phase_id=phase.id,
        author_id=actor.id,
        text=text,
        text_html=plain_text_to_html(text),
        status=CommentStatus.PENDING if assembly.premoderation else CommentStatus.VISIBLE,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    audit.record(session, "comment.create", f"comment:{comment.id}", now, actor=actor)
    session.commit()
    return comment


def can_edit(comment: Comment, user: User | None, assembly: Assembly, now: datetime) -> bool:
    """The author may edit while the round the comment was written in is still open."""
    if user is None or comment.author_id != user.id or comment.status == CommentStatus.HIDDEN:
        return False
    return round_still_open(assembly, comment.phase_id, local_date(now))


def edit_comment(
    session: Session, actor: User, comment: Comment, text: str, now: datetime
) -> Comment:
    """The author changes their comment until its round closes; the old text is kept."""
    assembly = comment.recommendation.assembly
    if comment.author_id != actor.id:
        raise Forbidden()
    if not can_edit(comment, actor, assembly, now):
        require_open(assembly, Feature.COMMENT, local_date(now))
        raise PhaseClosed(str(_l("Kommentaren kan ikke længere rettes.")))
    text = _clean_text(text)
    if text == comment.text:
        return comment
    session.add(CommentEdit(comment_id=comment.id, text=comment.text, created_at=now))
    comment.text = text
    comment.text_html = plain_text_to_html(text)
    comment.edited_at = now
    audit.record(session, "comment.edit", f"comment:{comment.id}", now, actor=actor)
    session.commit()
    return comment


def get_comment(session: Session, comment_id: int) -> Comment:
    comment = session.scalar(
        select(Comment)
        .where(Comment.id == comment_id)
        .options(selectinload(Comment.recommendation).selectinload(Recommendation.assembly))
    )
    if comment is None:
        raise NotFound("comment")
    return comment


def edit_history(session: Session, comment: Comment) -> list[CommentEdit]:
    """Earlier texts of a comment, oldest first."""
    return list(
        session.scalars(
            select(CommentEdit).where(CommentEdit.comment_id == comment.id).order_by(CommentEdit.id)
        )
    )


def _shown_to(query: Select[Comment], viewer: User | None) -> Select[Comment]:
    """The public sees visible and hidden comments (hidden ones as the moderator's reason);
    pending ones only their authors see."""
    if viewer is None:
        return query.where(Comment.status != CommentStatus.PENDING)
    return query.where(or_(Comment.status != CommentStatus.PENDING, Comment.author_id == viewer.id))


def list_threads(
    session: Session,
    rec: Recommendation,
    viewer: User | None,
    *,
    order: Order = Order.NEWEST,
    page: int = 1,
    size: int = 10,
    paragraph: int | None = None,
    revision_id: int | None = None,
) -> CommentPage:
    """One page of a recommendation's threads (optionally of one paragraph of one version), in
    a fixed number of queries however many comments there are."""
    roots = _shown_to(
        select(Comment).where(Comment.recommendation_id == rec.id, Comment.parent_id.is_(None)),
        viewer,
    )
    if paragraph is not None:
        roots = roots.where(Comment.paragraph == paragraph, Comment.revision_id == revision_id)
    total = session.scalar(select(func.count()).select_from(roots.subquery())) or 0
    reply = aliased(Comment)
    replies = (
        select(func.count(reply.id))
        .where(reply.parent_id == Comment.id, reply.status == CommentStatus.VISIBLE)
        .correlate(Comment)
        .scalar_subquery()
    )
    ordering = {
        Order.NEWEST: (Comment.created_at.desc(), Comment.id.desc()),
        Order.OLDEST: (Comment.created_at.asc(), Comment.id.asc()),
        Order.MOST_REPLIED: (replies.desc(), Comment.created_at.desc(), Comment.id.desc()),
    }[order]
    page = max(1, min(page, max(1, math.ceil(total / size))))
    items = list(
        session.scalars(
            roots.options(selectinload(Comment.author), selectinload(Comment.revision))
            .order_by(*ordering)
            .limit(size)
            .offset((page - 1) * size)
        )
    )
    threads = {c.id: Thread(c) for c in items}
    if threads:
        for answer in session.scalars(
            _shown_to(select(Comment).where(Comment.parent_id.in_(threads)), viewer)
            .options(selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        ):
            threads[answer.parent_id or 0].replies.append(answer)
    return CommentPage(list(threads.values()), page, size, total, order)


def paragraph_counts(session: Session, revision: RecommendationRevision) -> dict[int | None, int]:
    """Comments (with replies) per paragraph of one public version; None = the whole text.
    Comments on other versions never count here: paragraph 3 then is not paragraph 3 now."""
    rows = session.execute(
        select(Comment.paragraph, func.count())
        .where(Comment.revision_id == revision.id, Comment.status != CommentStatus.PENDING)
        .group_by(Comment.paragraph)
    ).all()
    return {paragraph: n for paragraph, n in rows}
