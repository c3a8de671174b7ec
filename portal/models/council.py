"""The council's side of a recommendation: handover, answers (drafts and immutable versions),
answer templates, implementation (updates, milestones, sub-items) and follower notices."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import AnswerStatus, ImplementationStatus

if TYPE_CHECKING:
    from .accounts import User
    from .assemblies import Assembly
    from .people import Body
    from .recommendations import Recommendation


class Handover(Base):
    """The secretariat's record that an assembly's recommendations went to a body on a date.

    The answer due date is computed then and stored once, in `Assembly.answer_due`."""

    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), unique=True
    )
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="RESTRICT"), index=True)
    handed_over_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assembly: Mapped[Assembly] = relationship(backref=backref("handover", uselist=False))
    body: Mapped[Body] = relationship()


class AnswerFields:
    """What an answer says: its status, plain-language text and the decision record."""

    status: Mapped[AnswerStatus] = mapped_column(
        enum_column(AnswerStatus), default=AnswerStatus.PENDING
    )
    text: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")  # the deciding body
    decided_on: Mapped[date | None]  # the meeting date
    agenda_url: Mapped[str] = mapped_column(String(500), default="")
    journal_number: Mapped[str] = mapped_column(String(80), default="")
    vote: Mapped[str] = mapped_column(String(200), default="")
    budget_line: Mapped[str] = mapped_column(String(300), default="")


class CouncilAnswer(AnswerFields, Base):
    """The council's case for one recommendation: the *published* answer (a copy of its latest
    version, version 0 = not answered yet) and the current state of implementation."""

    __tablename__ = "council_answer"
    # The front page lists the latest answers.
    __table_args__ = (Index("ix_council_answer_decided_on", "decided_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None]
    implementation: Mapped[ImplementationStatus] = mapped_column(
        enum_column(ImplementationStatus), default=ImplementationStatus.NOT_STARTED
    )
    progress: Mapped[int] = mapped_column(default=0)  # percent; computed when there are sub-items
    implementation_note: Mapped[str | None] = mapped_column(Text)  # the reason when stopped
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="answer")
    draft: Mapped[AnswerDraft | None] = relationship(
        back_populates="answer", uselist=False, cascade="all, delete-orphan"
    )
    versions: Mapped[list[AnswerVersion]] = relationship(
        order_by="AnswerVersion.number", cascade="all, delete-orphan", passive_deletes=True
    )
    updates: Mapped[list[ImplementationUpdate]] = relationship(
        order_by="ImplementationUpdate.id", cascade="all, delete-orphan", passive_deletes=True
    )
    milestones: Mapped[list[Milestone]] = relationship(
        order_by="(Milestone.due_on, Milestone.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    items: Mapped[list[ImplementationItem]] = relationship(
        order_by="ImplementationItem.id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.version > 0


class AnswerDraft(AnswerFields, Base):
    """The council staff's private working copy of an answer, until it is published."""

    __tablename__ = "answer_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("council_answer.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    answer: Mapped[CouncilAnswer] = relationship(back_populates="draft")
    author: Mapped[User | None] = relationship()


class AnswerVersion(AnswerFields, Base):
    """One published version of an answer; never updated after insert (amendments add one)."""

    __tablename__ = "answer_version"
    __table_args__ = (UniqueConstraint("answer_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("council_answer.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class AnswerTemplate(Base):
    """A reusable answer text (and status) for similar recommendations."""

    __tablename__ = "answer_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[AnswerStatus] = mapped_column(enum_column(AnswerStatus))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImplementationUpdate(Base):
    """One dated report on implementation (status, progress, note); immutable history."""

    __tablename__ = "implementation_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("council_answer.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ImplementationStatus] = mapped_column(enum_column(ImplementationStatus))
    progress: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Milestone(Base):
    """A dated step of implementation; `done_on` is set when it was reached."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("council_answer.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    done_on: Mapped[date | None]


class ImplementationItem(Base):
    """A part of the work whose progress rolls up into the recommendation's (weighted or not)."""

    __tablename__ = "implementation_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("council_answer.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int | None]
    progress: Mapped[int] = mapped_column(default=0)


class FollowerNotice(Base):
    """That followers were told something once (e.g. an answer is overdue): never twice."""

    __tablename__ = "follower_notice"
    __table_args__ = (UniqueConstraint("recommendation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
