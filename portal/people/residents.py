"""Residents' own accounts: sign up, verify the e-mail address, reset the password, delete.

No answer tells whether an address has an account: sign-up and reset requests always get the same
page; an address that already has an account is told so by e-mail (with a reset link) instead of
getting a second account. "Verified" means the person opened a link sent to the address — never
proof of residence. Links are signed and expire (the set-password links of ADR 0009, and
verification links made the same way); every e-mail goes through the outbox in the reader's
language with links from BASE_URL.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..accounts import get_user_by_email
from ..db import serialize_on
from ..errors import Invalid
from ..mail import in_language
from ..models import (
    AuditEvent,
    LoginAttempt,
    OutboxEmail,
    OutboxStatus,
    RateEvent,
    Role,
    User,
)
from ..passwords import hash_password, password_problem, verify_password
from .tokens import EXPIRED, LinkSettings

VERIFY_SALT = "samling.verify-email"
VERIFY_PATH = "/account/verify/"  # the route in blueprints/residents.py
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX = 120


def district_choices(raw: str) -> list[str]:
    """The configured districts ("|"-separated) a resident may choose from."""
    return [d.strip() for d in raw.split("|") if d.strip()]


def can_post(user: Any) -> bool:
    """Whether this visitor may post input: a logged-in, active account with a verified e-mail.

    Callers (comments, replies, consultation responses) check this on the server; an unverified
    account can log in and read, and is shown how to verify.
    """
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "active", False)
        and getattr(user, "email_verified_at", None) is not None
    )


FORMER_PARTICIPANT = _l("en tidligere deltager")


def author_name(author: User | None) -> str:
    """The name shown by authored content: the author's, or "a former participant" once the
    account is deleted (the author link is then empty)."""
    return author.display_name if author is not None else str(FORMER_PARTICIPANT)


@dataclass(frozen=True)
class SignupForm:
    email: str
    display_name: str
    district: str
    password: str
    consent: bool
    honeypot: str = ""


def _check_rate(session: Session, scope: str, address: str, now: datetime, limit: int) -> None:
    """At most `limit` requests of a kind per address per hour (counted in the database)."""
    serialize_on(session, f"{scope}:{address}")
    window = now - timedelta(hours=1)
    session.execute(delete(RateEvent).where(RateEvent.created_at < window))
    count = session.scalar(
        select(func.count())
        .select_from(RateEvent)
        .where(RateEvent.scope == scope, RateEvent.address == address)
    )
    if (count or 0) >= limit:
        raise Invalid({"form": str(_l("For mange forsøg fra din adresse. Prøv igen om en time."))})
    session.add(RateEvent(scope=scope, address=address, created_at=now))


def _validate(form: SignupForm, districts: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    email = form.email.strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = str(_l("Skriv en gyldig e-mailadresse."))
    name = form.display_name.strip()
    if not name:
        errors["display_name"] = str(_l("Skriv det navn, andre skal se."))
    elif len(name) > NAME_MAX:
        errors["display_name"] = str(_l("Teksten er for lang (højst %(n)d tegn).", n=NAME_MAX))
    if form.district and form.district not in districts:
        errors["district"] = str(_l("Vælg en bydel fra listen, eller lad feltet være tomt."))
    problem = password_problem(form.password, email)
    if problem:
        errors["password"] = problem
    if not form.consent:
        errors["consent"] = str(
            _l("Du skal acceptere husreglerne og privatlivspolitikken for at oprette en konto.")
        )
    return errors


def _queue(session: Session, to: str, subject: str, body: str, language: str) -> None:
    session.add(OutboxEmail(to=to, subject=subject[:200], body=body, language=language))


def _email_fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.email}|{user.active}".encode()).hexdigest()[:20]


def verification_link(links: LinkSettings, user: User, now: datetime) -> str:
    """An absolute, signed link that proves the address when opened (expires after links.hours)."""
    payload = {"u": user.id, "t": int(now.timestamp()), "f": _email_fingerprint(user)}
    return links.url(VERIFY_PATH + URLSafeSerializer(links.secret, salt=VERIFY_SALT).dumps(payload))


def _send_verification(
    session: Session, user: User, links: LinkSettings, now: datetime, language: str
) -> None:
    with in_language(language):
        body = "\n\n".join(
            [
                str(_l("Kære %(name)s", name=user.display_name)),
                str(_l("Tak fordi du har oprettet en konto på Samling.")),
                str(
                    _l(
                        "Bekræft din e-mailadresse med dette link (det virker i %(h)d timer):",
                        h=links.hours,
                    )
                ),
                verification_link(links, user, now),
                str(
                    _l(
                        "Når adressen er bekræftet, kan du kommentere. Har du ikke oprettet en "
                        "konto, kan du se bort fra denne e-mail."
                    )
                ),
            ]
        )
        subject = str(_l("Bekræft din e-mailadresse til Samling"))
    _queue(session, user.email, subject, body, language)


def _send_already_registered(
    session: Session, user: User, links: LinkSettings, now: datetime, language: str
) -> None:
    with in_language(language):
        body = "\n\n".join(
            [
                str(_l("Kære %(name)s", name=user.display_name)),
                str(
                    _l(
                        "Nogen (forhåbentlig dig) har prøvet at oprette en konto på Samling med "
                        "denne e-mailadresse. Du har allerede en konto, så der er ikke oprettet "
                        "en ny."
                    )
                ),
                str(
                    _l(
                        "Har du glemt din adgangskode, kan du vælge en ny her (linket virker i "
                        "%(h)d timer og kun én gang):",
                        h=links.hours,
                    )
                ),
                links.password_link(user, now),
                str(_l("Var det ikke dig, kan du se bort fra denne e-mail.")),
            ]
        )
        subject = str(_l("Du har allerede en konto på Samling"))
    _queue(session, user.email, subject, body, language)


def sign_up(
    session: Session,
    form: SignupForm,
    address: str,
    now: datetime,
    links: LinkSettings,
    *,
    districts: list[str],
    limit: int = 5,
    hash_kind: str = "argon2id",
    language: str = "da",
) -> None:
    """Create an unverified resident account and e-mail a verification link.

    A filled-in honeypot (a bot) is accepted silently and nothing happens; an address that already
    has an account gets an e-mail saying so (with a reset link) and no new account. The caller
    shows the same page in every case, so the answer never tells whether an address is in use.
    """
    if form.honeypot.strip():
        return
    errors = _validate(form, districts)
    if errors:
        raise Invalid(errors)
    _check_rate(session, "signup", address, now, limit)
    email = form.email.strip().lower()
    existing = get_user_by_email(session, email)
    if existing is not None:
        if existing.active:
            _send_already_registered(session, existing, links, now, language)
        session.commit()
        return
    user = User(
        email=email,
        display_name=form.display_name.strip(),
        district=form.district,
        password_hash=hash_password(form.password, hash_kind),
        created_at=now,
        language=language if language in ("da", "en") else "da",
    )
    session.add(user)
    session.flush()
    _send_verification(session, user, links, now, language)
    session.commit()


def verify_email(session: Session, links: LinkSettings, token: str, now: datetime) -> User:
    """Mark the address of a valid, unexpired verification link as verified (again is harmless)."""
    try:
        payload = URLSafeSerializer(links.secret, salt=VERIFY_SALT).loads(token)
        user_id, issued, fingerprint = int(payload["u"]), int(payload["t"]), str(payload["f"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Invalid({"form": str(EXPIRED)}) from None
    user = session.get(User, user_id)
    too_old = now.timestamp() - issued > timedelta(hours=links.hours).total_seconds()
    if user is None or too_old or _email_fingerprint(user) != fingerprint:
        raise Invalid({"form": str(EXPIRED)})
    if user.email_verified_at is None:
        user.email_verified_at = now
        audit.record(session, "account.email_verified", f"user #{user.id}", now, actor=user)
    session.commit()
    return user


def resend_verification(
    session: Session,
    user: User,
    address: str,
    now: datetime,
    links: LinkSettings,
    *,
    limit: int = 5,
    language: str = "da",
) -> None:
    """Send a new verification link to an unverified account (rate-limited per address)."""
    if user.email_verified_at is not None:
        raise Invalid({"form": str(_l("Din e-mailadresse er allerede bekræftet."))})
    _check_rate(session, "verify", address, now, limit)
    _send_verification(session, user, links, now, language)
    session.commit()


def request_password_reset(
    session: Session,
    email: str,
    address: str,
    now: datetime,
    links: LinkSettings,
    *,
    limit: int = 5,
    language: str = "da",
) -> None:
    """E-mail a single-use, expiring set-password link if the address has an active account.

    The caller shows the same page whether or not it has one.
    """
    typed = email.strip().lower()
    if not EMAIL_PATTERN.match(typed) or len(typed) > 254:
        raise Invalid({"email": str(_l("Skriv en gyldig e-mailadresse."))})
    _check_rate(session, "reset", address, now, limit)
    user = get_user_by_email(session, typed)
    if user is not None and user.active:
        with in_language(language):
            body = "\n\n".join(
                [
                    str(_l("Kære %(name)s", name=user.display_name)),
                    str(_l("Der er bedt om en ny adgangskode til din konto på Samling.")),
                    str(
                        _l(
                            "Vælg din adgangskode her (linket virker i %(h)d timer og kun én "
                            "gang):",
                            h=links.hours,
                        )
                    ),
                    links.password_link(user, now),
                    str(
                        _l(
                            "Når du har valgt en ny adgangskode, er du logget ud alle steder. "
                            "Bad du ikke om det, kan du se bort fra denne e-mail."
                        )
                    ),
                ]
            )
            subject = str(_l("Nulstil din adgangskode til Samling"))
        _queue(session, user.email, subject, body, language)
    session.commit()


STAFF_ROLES = (Role.ADMIN, Role.SECRETARIAT, Role.COUNCIL)


def delete_account(
    session: Session, user: User, password: str, confirmed: bool, now: datetime
) -> None:
    """Delete the account and its personal data; what the person wrote stays, without a name.

    The user row is deleted (not anonymised in place): comments, posts and other authored rows
    point to it with ON DELETE SET NULL and show "a former participant"; roles, relations and
    sessions go with it (ON DELETE CASCADE). E-mails to the address still in the outbox lose
    their address and text, and the audit trail's mentions of the address become the account
    number. Staff accounts are removed by an administrator instead.
    """
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, password):
        errors["password"] = str(_l("Adgangskoden er forkert."))
    if not confirmed:
        errors["confirm"] = str(_l("Sæt kryds for at bekræfte, at kontoen skal slettes."))
    if any(role in user.roles for role in STAFF_ROLES):
        errors["form"] = str(
            _l(
                "Konti med en rolle som administrator, i sekretariatet eller i rådet slettes af "
                "en administrator. Kontakt sekretariatet."
            )
        )
    if errors:
        raise Invalid(errors)
    email, number = user.email, f"user #{user.id}"
    session.execute(  # not yet sent: never will be (there is no one to send it to)
        update(OutboxEmail)
        .where(OutboxEmail.to == email, OutboxEmail.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.FAILED, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.to == email)
        .values(to="", body="", last_error="", blanked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.subject == email)
        .values(subject=number)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    session.delete(user)
    audit.record(session, "account.deleted", number, now)
    session.commit()
