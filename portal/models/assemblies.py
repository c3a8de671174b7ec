"""An assembly and what belongs to it in public: phases, meetings, materials, members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
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
    in_scope_en: Mapped[str | None] = mapped_column(Text)
    out_of_scope: Mapped[str] = mapped_column(Text, default="")
    out_of_scope_en: Mapped[str | None] = mapped_column(Text)
    commissioned_by: Mapped[str] = mapped_column(String(200))
    commissioned_by_en: Mapped[str | None] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))  # the independent organiser
    operator_en: Mapped[str | None] = mapped_column(String(200))
    seats: Mapped[int]
    municipality: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[AssemblyStatus] = mapped_column(enum_column(AssemblyStatus))
    answer_promise: Mapped[str] = mapped_column(Text, default="")  # how the council will answer
    answer_promise_en: Mapped[str | None] = mapped_column(Text)
    # Weeks from the handover to the council's answer; the due date is set from it at handover.
    answer_weeks: Mapped[int | None]
    answer_due: Mapped[date | None]
    contact: Mapped[str] = mapped_column(Text, default="")  # for the press and residents
    contact_en: Mapped[str | None] = mapped_column(Text)
    # What members commit to: meeting dates and hours, time in all, compensation.
    meeting_schedule: Mapped[str] = mapped_column(Text, default="")
    meeting_schedule_en: Mapped[str | None] = mapped_column(Text)
    time_commitment: Mapped[str] = mapped_column(Text, default="")
    time_commitment_en: Mapped[str | None] = mapped_column(Text)
    compensation: Mapped[str] = mapped_column(Text, default="")
    compensation_en: Mapped[str | None] = mapped_column(Text)
    draw_on: Mapped[date | None]  # when the draw is
    reply_by: Mapped[date | None]  # drawn people answer by this date
    illustrative_note: Mapped[str | None] = mapped_column(Text)  # shown when texts are examples
    # Public input waits for a moderator before it is shown.
    premoderation: Mapped[bool] = mapped_column(default=False)
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
    """A dated step of the timeline; a kind may recur (two comment rounds), never overlapping."""

    __tablename__ = "phase"
    # The list of assemblies sorts by each one's first phase: min(starts_on) read from the index.
    __table_args__ = (Index("ix_phase_assembly_id_starts_on", "assembly_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    label: Mapped[str | None] = mapped_column(String(120))  # e.g. "Runde 2: de reviderede udkast"
    label_en: Mapped[str | None] = mapped_column(String(120))
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
    title_en: Mapped[str | None] = mapped_column(String(200))
    # Stored in UTC, entered and shown in Europe/Copenhagen; indexed for the front page's latest.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")  # step-free access, hearing loop …
    accessibility_en: Mapped[str | None] = mapped_column(Text)
    agenda: Mapped[str] = mapped_column(Text, default="")
    agenda_en: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    minutes_en: Mapped[str | None] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(default=True)

    assembly: Mapped[Assembly] = relationship(back_populates="meetings")
    materials: Mapped[list[Material]] = relationship(
        back_populates="meeting", order_by="Material.id", passive_deletes=True
    )


class Material(Base):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind))
    chosen_by: Mapped[ChosenBy] = mapped_column(enum_column(ChosenBy))
    source: Mapped[str] = mapped_column(String(200), default="")  # the expert's (speaker's) name
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(200))  # the name it is served under
    stored_name: Mapped[str | None] = mapped_column(String(80))  # the name under UPLOAD_DIR
    content_type: Mapped[str | None] = mapped_column(String(120))  # found from the content
    file_size: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str | None] = mapped_column(Text)
    # Web-accessibility law: an accessible version or a plain summary for documents,
    # captions (or a transcript in plain_summary) for videos.
    accessible_url: Mapped[str | None] = mapped_column(String(500))
    plain_summary: Mapped[str | None] = mapped_column(Text)
    plain_summary_en: Mapped[str | None] = mapped_column(Text)
    captions: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=True)
    published_on: Mapped[date | None]

    assembly: Mapped[Assembly] = relationship(back_populates="materials")
    meeting: Mapped[Meeting | None] = relationship(back_populates="materials")


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
    # Opted in to hear about answers and implementation after the assembly ends (by e-mail to
    # the member's account, which outlives the blanking of sign-up contact data).
    stay_informed: Mapped[bool] = mapped_column(default=False)

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
