"""The council's answer to recommendations, and the audit trail of consequential actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import AnswerStatus, ImplementationStatus

if TYPE_CHECKING:
    from .recommendations import Recommendation


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
