"""Queue an e-mail in the caller's transaction (the job queue delivers the outbox)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import OutboxEmail


def queue(session: Session, to: str, subject: str, body: str) -> OutboxEmail:
    """Add an outbox row; it is sent only if the action that wrote it commits."""
    email = OutboxEmail(to=to, subject=subject[:200], body=body)
    session.add(email)
    return email
