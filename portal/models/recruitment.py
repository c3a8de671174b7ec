"""Recruitment and selection: invitations, registrations, quotas, draws (audit records) and the outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow


class OutboxStatus(StrEnum):
    QUEUED = "queued"  # waiting for (another) delivery attempt
    SENDING = "sending"  # claimed by a delivery job right now
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; the error is shown to the secretariat


class RecruitmentMode(StrEnum):
    OPEN = "open"  # everyone in the area may sign up
    INVITATION = "invitation"  # only holders of a personal code from the invitation lottery


class RegistrantStatus(StrEnum):
    REGISTERED = "registered"
    WITHDRAWN = "withdrawn"
    DRAWN = "drawn"  # selected by the draw, waiting for confirmation
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class RunKind(StrEnum):
    DRAW = "draw"
    REPLACEMENT = "replacement"


class RunStatus(StrEnum):
    RUNNING = "running"
    READY = "ready"  # lottery computed, fingerprint published, waiting for the public seed
    DRAWN = "drawn"
    FAILED = "failed"


class Recruitment(Base):
    """How an assembly recruits: mode, household rule, privacy retention."""

    __tablename__ = "recruitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), unique=True
    )
    mode: Mapped[RecruitmentMode] = mapped_column(
        enum_column(RecruitmentMode), default=RecruitmentMode.OPEN
    )
    household_rule: Mapped[bool] = mapped_column(default=True)
    retention_days: Mapped[int] = mapped_column(default=90)
    replacement_closes_on: Mapped[datetime | None]
    blanked_at: Mapped[datetime | None]


class QuotaTarget(Base):
    """One value of one selection category: population share and the panel's min/max."""

    __tablename__ = "quota_target"
    __table_args__ = (UniqueConstraint("assembly_id", "category", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    population_share: Mapped[float | None] = mapped_column(Float)
    min_count: Mapped[int] = mapped_column(default=0)
    max_count: Mapped[int] = mapped_column(default=0)


class InvitationBatch(Base):
    """One seeded invitation lottery over a register extract (an audit record)."""

    __tablename__ = "invitation_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    seed: Mapped[str] = mapped_column(String(200))
    register_digest: Mapped[str] = mapped_column(String(64))
    register_size: Mapped[int]
    invited: Mapped[int]
    spread_column: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="batch", order_by="Invitation.id", cascade="all, delete-orphan"
    )


class Invitation(Base):
    """One invited household with its personal registration code."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("invitation_batch.id", ondelete="CASCADE"), index=True
    )
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20), unique=True)
    household_key: Mapped[str] = mapped_column(String(200))
    # The register row as given (address, district …): needed for the mail merge; blanked later.
    register_row: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    used_at: Mapped[datetime | None]

    batch: Mapped[InvitationBatch] = relationship(back_populates="invitations")


ACTIVE_EMAIL_INDEX = "uq_registrant_active_email"
ACTIVE_EMAIL_WHERE = "status != 'withdrawn' AND blanked_at IS NULL"


class Registrant(Base):
    """A resident who signed up for the draw. Personal fields are for the secretariat only."""

    __tablename__ = "registrant"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    # Public, pseudonymous id used in published draw inputs (never the database id).
    public_id: Mapped[str] = mapped_column(String(16))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL")
    )
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    household_key: Mapped[str] = mapped_column(String(64), index=True)  # hash of the address
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    access_needs: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[list[int]] = mapped_column(JSON, default=list)  # meeting numbers
    consent_at: Mapped[datetime]
    status: Mapped[RegistrantStatus] = mapped_column(
        enum_column(RegistrantStatus), default=RegistrantStatus.REGISTERED
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)  # receipt / withdraw / confirm link
    language: Mapped[str] = mapped_column(String(8), default="da")  # for e-mails to the person
    blanked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("assembly_id", "public_id"),
        # One active sign-up per e-mail per assembly, enforced by the database (concurrent
        # submits): withdrawn and blanked rows do not count, so a person may sign up again.
        Index(
            ACTIVE_EMAIL_INDEX,
            "assembly_id",
            "email",
            unique=True,
            sqlite_where=text(ACTIVE_EMAIL_WHERE),
            postgresql_where=text(ACTIVE_EMAIL_WHERE),
        ),
    )


class SelectionRun(Base):
    """One draw or replacement: inputs digest, code version, parameters, fingerprint, seed, result."""

    __tablename__ = "selection_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assembly.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RunKind] = mapped_column(enum_column(RunKind))
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus), default=RunStatus.RUNNING)
    code_version: Mapped[str] = mapped_column(String(80))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inputs_digest: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # anonymised CSV texts
    pool_size: Mapped[int] = mapped_column(default=0)
    panel_size: Mapped[int] = mapped_column(default=0)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    min_probability: Mapped[float | None] = mapped_column(Float)
    lottery: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    fingerprint_published_at: Mapped[datetime | None]
    seed: Mapped[str | None] = mapped_column(String(200))
    seed_entered_at: Mapped[datetime | None]
    result: Mapped[list[str] | None] = mapped_column(JSON)  # public ids of the drawn panel
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the job that computes the lottery, then renewed while it works; a running run whose
    # heartbeat stops is failed by the periodic check (portal/recruitment/draws.py).
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    # The database, not only Python, allows one current draw per assembly: running, ready (the
    # fingerprint is public) or drawn. Failed runs do not count; replacement runs are separate.
    __table_args__ = (
        Index(
            "uq_selection_run_one_current_draw",
            "assembly_id",
            unique=True,
            sqlite_where=text("kind = 'draw' AND status IN ('running', 'ready', 'drawn')"),
            postgresql_where=text("kind = 'draw' AND status IN ('running', 'ready', 'drawn')"),
        ),
    )


class RateEvent(Base):
    """One counted action from an address (registrations), for a per-address limit."""

    __tablename__ = "rate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxEmail(Base):
    """An e-mail to send: added in the domain's transaction, delivered by a job after commit."""

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="da")  # the text's language
    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Personal data (address, body with a personal link) is blanked after the retention period.
    blanked_at: Mapped[datetime | None]
