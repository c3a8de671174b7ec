"""E-mail: SMTP settings from one URL, delivery of outbox rows (claimed once, retried with backoff).

Domain code never sends: it adds `OutboxEmail(to=…, subject=…, body=…, language=…)` rows in its
own transaction. After commit a job delivers each row (portal/jobs.py); a periodic sweep picks up
rows whose job was lost. Texts are written in the recipient's language (`in_language`), and links
are built from BASE_URL (`external_url`), never from a request's Host header.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .config import ConfigError
from .i18n import LOCALES
from .models import OutboxEmail, OutboxStatus

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8 … minutes (doubling) until MAIL_MAX_ATTEMPTS
# A claim older than this belonged to a worker that died (MAIL_STUCK_SECONDS; longer than any
# SMTP conversation, whose timeout is 30 s by default).
STUCK_SENDING = timedelta(minutes=10)
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str = ""
    password: str = ""
    starttls: bool = False
    tls: bool = False  # smtps:// — TLS from the first byte
    timeout: float = 30.0


def parse_smtp_url(url: str) -> SmtpSettings | None:
    """`smtp://user:pass@host:port?starttls=true` (or `smtps://…`) → settings; "" → None (no SMTP).

    User name and password are percent-decoded (write `@` as `%40`, `:` as `%3A`). The port
    defaults to 25 (smtp) or 465 (smtps); `timeout=` (seconds) is optional.
    """
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError("PORTAL_SMTP_URL must look like smtp://user:password@host:port")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise ConfigError(f"PORTAL_SMTP_URL: unknown option(s) {', '.join(sorted(unknown))}")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        timeout = float(query.get("timeout", "30"))
    except ValueError as error:
        raise ConfigError(f"PORTAL_SMTP_URL: {error}") from error
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=query.get("starttls", "").lower() in _TRUE,
        tls=parts.scheme == "smtps",
        timeout=timeout,
    )


def external_url(path: str) -> str:
    """An absolute link for e-mails: BASE_URL + path (the request's Host header is never used)."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return base + "/" + path.lstrip("/")


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Render texts (gettext) in `language` ("da" or "en"), whatever the current request's is."""
    with force_locale(LOCALES.get(language, "da")):
        yield


def message_id(mail: OutboxEmail, sender: str) -> str:
    """The same Message-ID every time one outbox row is sent: should a row be sent twice (the
    worker died after the server took it, before it was marked sent), mail programs see one
    message twice and can drop the copy."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "samling.invalid"
    return f"<outbox-{mail.id}.{int(mail.created_at.timestamp())}@{domain}>"


def send(settings: SmtpSettings, sender: str, mail: OutboxEmail) -> None:
    """Hand one message to the SMTP server (STARTTLS and login when configured)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = message_id(mail, sender)
    message.set_content(mail.body)
    message["Content-Language"] = mail.language  # after set_content, which clears Content-*
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.tls:
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        if settings.starttls:
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)


@dataclass(frozen=True)
class Delivery:
    """How this portal delivers: SMTP (or none), the sender, and the retry limit."""

    smtp: SmtpSettings | None
    sender: str
    development: bool  # without SMTP, development counts rows as sent (see the dev outbox page)
    max_attempts: int


def delivery_settings() -> Delivery:
    """The current app's delivery settings."""
    config = current_app.config
    return Delivery(
        smtp=parse_smtp_url(str(config.get("SMTP_URL", ""))),
        sender=str(config.get("MAIL_FROM", "")),
        development=config.get("ENV") == "development",
        max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", 5)),
    )


class MailNotConfigured(RuntimeError):
    """Production without PORTAL_SMTP_URL: nothing can be delivered."""


def _claim(session: Session, outbox_id: int, now: datetime) -> bool:
    """Exactly one job sends a row: the conditional UPDATE's row count decides who."""
    claimed = session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == outbox_id,
            OutboxEmail.status == OutboxStatus.QUEUED,
            or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
        )
        .values(status=OutboxStatus.SENDING, attempts=OutboxEmail.attempts + 1, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def _describe(error: Exception) -> str:
    """The error as the secretariat sees it (it may name the address; logs get only the kind)."""
    if isinstance(error, smtplib.SMTPResponseException):
        raw = error.smtp_error
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return f"SMTP {error.smtp_code}: {text}"[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(f"SMTP {code}" for code, _msg in error.recipients.values())
        return f"Recipient refused ({codes})"
    return f"{type(error).__name__}: {error}"[:1000]


def _record(session: Session, outbox_id: int, **values: Any) -> None:
    """Write a delivery's outcome; the UPDATE opens its transaction (on SQLite it waits for the
    write lock instead of failing on a snapshot that another worker's commit made stale)."""
    session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == outbox_id, OutboxEmail.status == OutboxStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def deliver(
    session: Session, outbox_id: int, now: datetime, settings: Delivery
) -> timedelta | None:
    """Send one queued row once; on failure retry later (doubling delays), then give up as failed.

    Returns the delay before the next attempt, or None when there is nothing more to do. Without
    SMTP in development the row counts as sent: it is read on the development outbox page.
    """
    if not _claim(session, outbox_id, now):
        return None
    mail = session.get(OutboxEmail, outbox_id)
    assert mail is not None
    session.commit()  # end the read before the (slow) send; every write below starts afresh
    try:
        if settings.smtp is not None:
            send(settings.smtp, settings.sender, mail)
        elif not settings.development:
            raise MailNotConfigured("PORTAL_SMTP_URL is not set: e-mail cannot leave the portal")
    except (smtplib.SMTPException, OSError, MailNotConfigured) as error:
        kind = f"{type(error).__name__} {getattr(error, 'smtp_code', '')}".strip()
        if mail.attempts >= settings.max_attempts or isinstance(error, MailNotConfigured):
            _record(
                session,
                outbox_id,
                status=OutboxStatus.FAILED,
                next_attempt_at=None,
                last_error=_describe(error),
            )
            log.error(
                "e-mail failed for good: outbox %d, attempt %d, %s", outbox_id, mail.attempts, kind
            )
            return None
        delay: timedelta = FIRST_RETRY * 2 ** (mail.attempts - 1)
        _record(
            session,
            outbox_id,
            status=OutboxStatus.QUEUED,
            next_attempt_at=now + delay,
            last_error=_describe(error),
        )
        log.warning(
            "e-mail not delivered: outbox %d, attempt %d, %s; retry in %s",
            outbox_id,
            mail.attempts,
            kind,
            delay,
        )
        return delay
    _record(
        session,
        outbox_id,
        status=OutboxStatus.SENT,
        sent_at=now,
        last_error="",
        next_attempt_at=None,
    )
    log.info("e-mail sent: outbox %d (assembly %s)", outbox_id, mail.assembly_id)
    return None


def due_for_delivery(
    session: Session, now: datetime, stuck_after: timedelta = STUCK_SENDING
) -> list[int]:
    """Rows to (re)deliver: queued and due, or claimed by a worker that died mid-send.

    A row claimed longer than `stuck_after` ago is queued again: it is delivered at least once. If
    the worker died after the SMTP server accepted the message but before the row was marked
    sent, it goes out a second time (with the same Message-ID); see docs/operations.md.
    """
    session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.status == OutboxStatus.SENDING,
            OutboxEmail.next_attempt_at < now - stuck_after,
        )
        .values(status=OutboxStatus.QUEUED)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return list(
        session.scalars(
            select(OutboxEmail.id)
            .where(
                OutboxEmail.status == OutboxStatus.QUEUED,
                or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
            )
            .order_by(OutboxEmail.id)
            .limit(500)
        )
    )


def blank_old_mail(session: Session, now: datetime, days: int) -> int:
    """Retention: sent and failed e-mails lose their address and body (personal links) after `days`."""
    cutoff = now - timedelta(days=days)
    result = session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.blanked_at.is_(None),
            or_(
                (OutboxEmail.status == OutboxStatus.SENT) & (OutboxEmail.sent_at < cutoff),
                (OutboxEmail.status == OutboxStatus.FAILED) & (OutboxEmail.created_at < cutoff),
            ),
        )
        .values(to="", body="", last_error="", blanked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_outbox(session: Session, assembly_id: int | None, limit: int = 200) -> list[OutboxEmail]:
    """The newest e-mails (of one assembly, or all when None) with their delivery state."""
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    if assembly_id is not None:
        query = query.where(OutboxEmail.assembly_id == assembly_id)
    return list(session.scalars(query))


def links_in(body: str) -> list[str]:
    """The portal's own links in an e-mail's text (those starting with BASE_URL)."""
    base = str(current_app.config["BASE_URL"]).rstrip("/") + "/"
    return [word for word in body.split() if word.startswith(base)]


def dev_outbox_enabled() -> bool:
    """The development outbox page exists only in development with no SMTP configured."""
    config = current_app.config
    return config.get("ENV") == "development" and not str(config.get("SMTP_URL", "")).strip()
