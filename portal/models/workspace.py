"""The members' workspace: working groups per meeting, forum threads and posts, edit proposals.

Facilitators are a relation (portal/models/people.py: Facilitator), managed by the secretariat.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .assemblies import Meeting, Member
    from .recommendations import Recommendation, RecommendationRevision


class WorkingGroup(Base):
    """A group of members for one meeting (groups change between meetings)."""

    __tablename__ = "working_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting | None] = relationship()
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMembership.id"
    )


class GroupMembership(Base):
    __tablename__ = "group_membership"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    member: Mapped[Member] = relationship()


class Thread(Base):
    """A forum topic in an assembly's workspace, optionally for one working group."""

    __tablename__ = "thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_group.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[bool] = mapped_column(default=False)
    closed: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[WorkingGroup | None] = relationship()
    author: Mapped[User | None] = relationship()
    posts: WriteOnlyMapped[Post] = relationship(
        back_populates="thread", cascade="all, delete-orphan", passive_deletes=True
    )


class Post(Base):
    """A reply in a thread; text as written, text_html only from portal/sanitize.py."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author: Mapped[User | None] = relationship()


class RecommendationProposal(Base):
    """A member's version saved for the others instead of replacing the current text."""

    __tablename__ = "recommendation_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    base_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revision.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship()
    base_revision: Mapped[RecommendationRevision | None] = relationship()
    author: Mapped[User | None] = relationship()
