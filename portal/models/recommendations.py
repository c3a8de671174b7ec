"""Recommendations, their immutable revisions, support votes and minority statements."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import RecommendationStatus, SupportLevel

if TYPE_CHECKING:
    from .accounts import User
    from .assemblies import Assembly, Member
    from .council import CouncilAnswer


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("assembly_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus), default=RecommendationStatus.WORKING
    )
    # Counts frozen when the final round closes; None while support is still open.
    support_count: Mapped[int | None]
    can_live_with_count: Mapped[int | None]
    cannot_support_count: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Indexed: the front page shows the latest published recommendations.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    assembly: Mapped[Assembly] = relationship(back_populates="recommendations")
    revisions: Mapped[list[RecommendationRevision]] = relationship(
        back_populates="recommendation",
        order_by="RecommendationRevision.id",
        foreign_keys="RecommendationRevision.recommendation_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    minority_statements: Mapped[list[MinorityStatement]] = relationship(
        back_populates="recommendation",
        order_by="MinorityStatement.id",
        cascade="all, delete-orphan",
    )
    answer: Mapped[CouncilAnswer | None] = relationship(
        back_populates="recommendation", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.status != RecommendationStatus.WORKING

    @property
    def public_minority_statements(self) -> list[MinorityStatement]:
        return [s for s in self.minority_statements if s.published_at is not None]

    @property
    def support_total(self) -> int:
        return sum(
            c or 0
            for c in (self.support_count, self.can_live_with_count, self.cannot_support_count)
        )


class RecommendationRevision(Base):
    """One saved version of a recommendation; never updated after insert (but for public_label).

    History is a line: a revision has at most one child, so two saves based on the same
    revision cannot both succeed (the database refuses the second: no lost update).
    """

    __tablename__ = "recommendation_revision"
    __table_args__ = (UniqueConstraint("recommendation_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revision.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    # Set when the revision was published for the public (e.g. "Udkast 1").
    public_label: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(
        back_populates="revisions", foreign_keys=[recommendation_id]
    )
    author: Mapped[User | None] = relationship()


class SupportVote(Base):
    """A member's current position on a recommendation (consent scale)."""

    __tablename__ = "support_vote"
    __table_args__ = (UniqueConstraint("recommendation_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    level: Mapped[SupportLevel] = mapped_column(enum_column(SupportLevel))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MinorityStatement(Base):
    __tablename__ = "minority_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the statement was published with its recommendation; None while members-only.
    published_at: Mapped[datetime | None]

    recommendation: Mapped[Recommendation] = relationship(back_populates="minority_statements")
    signers: Mapped[list[MinoritySigner]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="MinoritySigner.id"
    )

    @property
    def signer_count(self) -> int:
        return len(self.signers)


class MinoritySigner(Base):
    __tablename__ = "minority_signer"
    __table_args__ = (UniqueConstraint("statement_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("minority_statement.id", ondelete="CASCADE")
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)

    statement: Mapped[MinorityStatement] = relationship(back_populates="signers")
    member: Mapped[Member] = relationship()
