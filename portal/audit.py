"""The audit trail: one immutable row per consequential action (who, what, when)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .models import AuditEvent, User


def record(
    session: Session,
    action: str,
    subject: str,
    now: datetime,
    *,
    actor: User | None = None,
    detail: str = "",
) -> None:
    """Add an audit event to the caller's transaction (it commits with the action it records)."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            action=action,
            subject=subject,
            detail=detail,
            created_at=now,
        )
    )
