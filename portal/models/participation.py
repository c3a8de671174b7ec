"""What others say about an assembly's work: comments, local committees' input, the council's answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import AnswerStatus, CommentStatus, ImplementationStatus

if TYPE_CHECKING:
    from .accounts import User
    from .recommendations import Recommendation


class Comment(Base):
    """A resident's comment on a published draft recommendation."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.VISIBLE
    )
    # How the assembly dealt with the comment: what happened to the resident's input.
    outcome: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class CommitteeInput(Base):
    """A local committee's (lokaludvalg) formal, labelled input on a recommendation."""

    __tablename__ = "committee_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    committee_name: Mapped[str] = mapped_column(String(160))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouncilAnswer(Base):
    """The council's answer to one recommendation: what it does now, later, or not, and why."""

    __tablename__ = "council_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[AnswerStatus] = mapped_column(
        enum_column(AnswerStatus), default=AnswerStatus.PENDING
    )
    text: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(index=True)  # the front page's latest answers
    due_on: Mapped[date | None]
    implementation: Mapped[ImplementationStatus] = mapped_column(
        enum_column(ImplementationStatus), default=ImplementationStatus.NOT_STARTED
    )
    implementation_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="answer")


class AuditEvent(Base):
    """An immutable record of a consequential action (who, what, when)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
