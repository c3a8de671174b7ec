"""An assembly and what belongs to it in public: phases, meetings, materials, members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import (
    AssemblyStatus,
    ChosenBy,
    DisplayConsent,
    MaterialKind,
    MemberStatus,
    PhaseKind,
)

if TYPE_CHECKING:
    from .accounts import User
    from .recommendations import Recommendation


class Assembly(Base):
    __tablename__ = "assembly"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str | None] = mapped_column(Text)
    remit: Mapped[str] = mapped_column(Text)  # the question put by the politicians
    remit_en: Mapped[str | None] = mapped_column(Text)
    in_scope: Mapped[str] = mapped_column(Text, default="")
    out_of_scope: Mapped[str] = mapped_column(Text, default="")
    commissioned_by: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))  # the independent organiser
    seats: Mapped[int]
    municipality: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[AssemblyStatus] = mapped_column(enum_column(AssemblyStatus))
    answer_promise: Mapped[str] = mapped_column(Text, default="")  # how the council will answer
    answer_due: Mapped[date | None]
    illustrative_note: Mapped[str | None] = mapped_column(Text)  # shown when texts are examples
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phases: Mapped[list[Phase]] = relationship(
        back_populates="assembly", order_by="Phase.starts_on", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="assembly", order_by="Meeting.starts_at", cascade="all, delete-orphan"
    )
    materials: Mapped[list[Material]] = relationship(
        back_populates="assembly", order_by="Material.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[Member]] = relationship(
        back_populates="assembly", order_by="Member.id", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="assembly", order_by="Recommendation.number", cascade="all, delete-orphan"
    )

    @property
    def year(self) -> int | None:
        return self.phases[0].starts_on.year if self.phases else None


class Phase(Base):
    __tablename__ = "phase"
    __table_args__ = (UniqueConstraint("assembly_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    kind: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)

    assembly: Mapped[Assembly] = relationship(back_populates="phases")


class Meeting(Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str | None] = mapped_column(Text)

    assembly: Mapped[Assembly] = relationship(back_populates="meetings")


class Material(Base):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind))
    chosen_by: Mapped[ChosenBy] = mapped_column(enum_column(ChosenBy))
    source: Mapped[str] = mapped_column(String(200), default="")  # speaker or author
    url: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date | None]

    assembly: Mapped[Assembly] = relationship(back_populates="materials")


class Member(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    district: Mapped[str] = mapped_column(String(120))
    consent: Mapped[DisplayConsent] = mapped_column(
        enum_column(DisplayConsent), default=DisplayConsent.HIDDEN
    )
    status: Mapped[MemberStatus] = mapped_column(
        enum_column(MemberStatus), default=MemberStatus.ACTIVE
    )
    # Category → value as used in the draw (gender, age band …); public only as aggregates.
    profile: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    registrant_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrant.id", ondelete="SET NULL")
    )
    joined_on: Mapped[date | None]

    assembly: Mapped[Assembly] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()

    @property
    def public_name(self) -> str | None:
        """The name this member agreed to show, or None when hidden."""
        if self.consent == DisplayConsent.FULL_NAME:
            return f"{self.first_name} {self.last_name}"
        if self.consent == DisplayConsent.FIRST_NAME_DISTRICT:
            return f"{self.first_name}, {self.district}"
        return None
