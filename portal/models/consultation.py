"""What the public says about published drafts, and what the assembly did with it.

Residents' comments (on a recommendation or one paragraph of the public version they read),
organisations' formal consultation responses (høringssvar), reports and moderation, and the
response ledger: a public disposition for every comment thread and every response.

Every input is tied to the public revision it was written on (`revision_id`) and, for comments,
the paragraph number in that revision, so it never drifts when the text changes later.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import (
    CommentStatus,
    DispositionKind,
    DispositionState,
    ModerationAction,
    ModerationReason,
    ResponsePosition,
)

if TYPE_CHECKING:
    from .accounts import User
    from .people import Organisation
    from .recommendations import Recommendation, RecommendationRevision


class Comment(Base):
    """A resident's comment on a published draft (whole recommendation or one paragraph), or a
    reply in a thread (`parent_id` set; replies take the thread root's revision and paragraph)."""

    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_rec_paragraph", "recommendation_id", "paragraph"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    # The public version the comment was written on ("Udkast 1").
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation_revision.id", ondelete="RESTRICT"), index=True
    )
    # 1-based paragraph of that revision's text; None = the whole recommendation.
    paragraph: Mapped[int | None]
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    # The comment round (a public-comment phase) it was written in.
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="SET NULL"))
    # None once the author deleted their account: shown as "a former participant".
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)  # as typed (plain text)
    text_html: Mapped[str] = mapped_column(Text, default="")  # from portal/sanitize.py
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.VISIBLE
    )
    # The moderator's public reason while hidden (see ModerationEvent for the history).
    moderation_reason: Mapped[ModerationReason | None] = mapped_column(
        enum_column(ModerationReason)
    )
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    appeal_text: Mapped[str | None] = mapped_column(Text)  # one appeal per hidden comment
    appealed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship()
    recommendation: Mapped[Recommendation] = relationship()
    revision: Mapped[RecommendationRevision] = relationship()


class CommentEdit(Base):
    """The text a comment had before an edit (edits keep history; never updated)."""

    __tablename__ = "comment_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResponseEdit(Base):
    """What a consultation response said before an edit (never updated; edits keep history)."""

    __tablename__ = "response_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[ResponsePosition] = mapped_column(enum_column(ResponsePosition))
    text: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsultationResponse(Base):
    """An organisation's formal consultation response (høringssvar), filed by one of its people,
    on one recommendation or (recommendation_id None) on the assembly's whole draft."""

    __tablename__ = "consultation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revision.id", ondelete="RESTRICT")
    )
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[ResponsePosition] = mapped_column(enum_column(ResponsePosition))
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text, default="")
    # Optional PDF, stored outside static/ under a generated name.
    attachment_path: Mapped[str | None] = mapped_column(String(200))
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_size: Mapped[int | None]
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.VISIBLE
    )
    moderation_reason: Mapped[ModerationReason | None] = mapped_column(
        enum_column(ModerationReason)
    )
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    appeal_text: Mapped[str | None] = mapped_column(Text)
    appealed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship()
    revision: Mapped[RecommendationRevision | None] = relationship()


# Exactly one of comment_id / response_id is set on the rows that refer to an input.
_ONE_INPUT = "(comment_id IS NULL) <> (response_id IS NULL)"


class Report(Base):
    """Someone's report of a comment or response to the moderators."""

    __tablename__ = "report"
    __table_args__ = (CheckConstraint(_ONE_INPUT, name="one_input"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator dealt with it (hid, kept or approved the input).
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)


class ModerationEvent(Base):
    """One moderation action on a comment or response (immutable; the public reason is copied
    onto the input while it is hidden)."""

    __tablename__ = "moderation_event"
    __table_args__ = (CheckConstraint(_ONE_INPUT, name="one_input"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[ModerationAction] = mapped_column(enum_column(ModerationAction))
    reason: Mapped[ModerationReason | None] = mapped_column(enum_column(ModerationReason))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Disposition(Base):
    """What the assembly did with one comment thread (its root comment) or one response.

    Immutable rows: the newest RECORDED row of an input is its public disposition (changing it
    adds a row, so the history stays); PROPOSED rows are members' suggestions in the workspace,
    which a facilitator turns into a recorded one.
    """

    __tablename__ = "disposition"
    __table_args__ = (CheckConstraint(_ONE_INPUT, name="one_input"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[DispositionState] = mapped_column(enum_column(DispositionState))
    kind: Mapped[DispositionKind] = mapped_column(enum_column(DispositionKind))
    rationale: Mapped[str] = mapped_column(Text)
    # The revision of the recommendation the input influenced, where there is one.
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revision.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revision: Mapped[RecommendationRevision | None] = relationship()
