"""Accounts: log in (throttled, never locked), server-side sessions, change password, end sessions.

ADR 0102: failed logins slow down further guesses (doubling delays per e-mail and address, per
device, per account and per address) instead of locking anyone out; a browser that logged in to an
account before (its signed device cookie) is judged only by its own failures, so an attacker can
slow guessing down but cannot keep the owner out. Every answer is the same whether or not the
account exists, and takes about as long (an unknown address is checked against a dummy hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .errors import Invalid, LoginRefused
from .models import LoginAttempt, LoginSession, Role, User
from .numbers import parse_int
from .passwords import hash_password, password_problem, verify_password

WRONG = _l("E-mail eller adgangskode er forkert.")
SESSION_DAYS = 30  # a login session older than this has ended, whatever the browser keeps
DEVICE_SALT = "samling.device"


EMAIL_LANGUAGES = ("da", "en")


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


@dataclass(frozen=True)
class LoginLimits:
    """How many failures are free before each further try must wait (1 s, 2 s, 4 s … up to the
    window), per e-mail and address (or per known device), per account and per address."""

    free_failures: int = 5
    free_per_account: int = 20
    free_per_address: int = 20
    window_minutes: int = 15

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    def delay(self, failures: int, free: int) -> timedelta:
        """The wait after `failures` failures of one kind: none while free, then doubling."""
        if failures < free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(failures - free, 30)), self.window)


@cache
def _dummy_hash(kind: str) -> str:
    """A hash of the same kind as real ones, checked for unknown accounts (equal timing)."""
    return hash_password(secrets.token_urlsafe(16), kind)


def _wait(
    session: Session, email: str, address: str, device: str, now: datetime, limits: LoginLimits
) -> timedelta:
    """How long this e-mail must still wait from this address or device (zero: go ahead)."""
    keys: list[tuple[ColumnElement[bool], int]]
    if device:
        keys = [
            (and_(LoginAttempt.device == device, LoginAttempt.email == email), limits.free_failures)
        ]
    else:
        unknown = LoginAttempt.device == ""
        keys = [
            (
                and_(unknown, LoginAttempt.address == address, LoginAttempt.email == email),
                limits.free_failures,
            ),
            (and_(unknown, LoginAttempt.email == email), limits.free_per_account),
            (and_(unknown, LoginAttempt.address == address), limits.free_per_address),
        ]
    longest = timedelta(0)
    for condition, free in keys:
        count, latest = session.execute(
            select(func.count(), func.max(LoginAttempt.created_at)).where(condition)
        ).one()
        if count and latest is not None:
            longest = max(longest, latest + limits.delay(count, free) - now)
    return longest


def _throttled(wait: timedelta) -> LoginRefused:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return LoginRefused(
        str(
            _l(
                "For mange forkerte forsøg. Vent %(s)d sekunder, og prøv igen.",
                s=seconds,
            )
        )
    )


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str,
    now: datetime,
    *,
    limits: LoginLimits | None = None,
    device: tuple[int, str] | None = None,
    hash_kind: str = "argon2id",
    language: str = "",
) -> User:
    """Return the user for a correct password, unless this e-mail must wait (throttled).

    `device` is the (user id, device id) of a valid device cookie; it counts only for its own
    account. An empty field is asked for and not counted as a failure. `language`, the page's,
    becomes the language of the person's e-mails.
    """
    limits = limits or LoginLimits()
    missing: dict[str, str] = {}
    if not email.strip():
        missing["email"] = str(_l("Skriv din e-mailadresse."))
    if not password:
        missing["password"] = str(_l("Skriv din adgangskode."))
    if missing:
        raise Invalid(missing)
    typed = email.strip().lower()[:254]
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - limits.window))
    user = get_user_by_email(session, typed)
    known_device = device[1][:64] if device and user is not None and device[0] == user.id else ""
    wait = _wait(session, typed, address, known_device, now, limits)
    if wait > timedelta(0):
        session.commit()
        raise _throttled(wait)
    usable = user is not None and user.active and user.has_password
    stored = user.password_hash if user is not None and usable else _dummy_hash(hash_kind)
    if not (verify_password(stored, password) and usable):
        session.add(LoginAttempt(address=address, email=typed, device=known_device, created_at=now))
        session.commit()
        raise LoginRefused(str(WRONG))
    assert user is not None
    mine = LoginAttempt.device == known_device if known_device else LoginAttempt.address == address
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == typed, mine))
    user.last_login_at = now
    if language in EMAIL_LANGUAGES:
        user.language = language
    session.commit()
    return user


def set_email_language(session: Session, user: User, language: str) -> None:
    """The language the portal writes its e-mails to this person in."""
    if language not in EMAIL_LANGUAGES:
        raise Invalid({"language": str(_l("Vælg dansk eller engelsk."))})
    user.language = language
    session.commit()


def device_token(secret: str, user: User, device_id: str = "") -> str:
    """A signed device cookie: this browser logged in to this account (ADR 0102)."""
    payload = {"u": user.id, "d": device_id or secrets.token_urlsafe(16)}
    return URLSafeSerializer(secret, salt=DEVICE_SALT).dumps(payload)


def read_device_token(secret: str, raw: str) -> tuple[int, str] | None:
    """The (user id, device id) of a genuine device cookie, else None."""
    if not raw:
        return None
    try:
        payload = URLSafeSerializer(secret, salt=DEVICE_SALT).loads(raw)
        return int(payload["u"]), str(payload["d"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, now: datetime) -> str:
    """A new server-side session for a login; returns the token the session cookie carries."""
    token = secrets.token_urlsafe(32)
    session.execute(
        delete(LoginSession).where(
            LoginSession.user_id == user.id,
            LoginSession.created_at < now - timedelta(days=SESSION_DAYS),
        )
    )
    session.add(LoginSession(user_id=user.id, token_hash=_digest(token), created_at=now))
    session.commit()
    return token


def end_session(session: Session, token: str) -> None:
    """Log out: the session's row goes, so its cookie (or a copy of it) no longer works."""
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        session.commit()


def end_sessions_of(session: Session, user: User, keep_token: str = "") -> None:
    """Delete the user's sessions (all, or all but the one with `keep_token`) and bump the epoch."""
    condition = LoginSession.user_id == user.id
    if keep_token:
        condition = and_(condition, LoginSession.token_hash != _digest(keep_token))
    session.execute(delete(LoginSession).where(condition))
    user.session_epoch += 1


def end_all_sessions(session: Session, user: User) -> None:
    """Log the user out on every device (their session rows go and the epoch moves on)."""
    end_sessions_of(session, user)
    session.commit()


def load_session_user(session: Session, session_id: str, token: str, now: datetime) -> User | None:
    """The user of a session id "user:epoch" whose session token is still on the server."""
    user_part, _, epoch_part = session_id.partition(":")
    user_id, epoch = parse_int(user_part), parse_int(epoch_part)
    if user_id is None or epoch is None or not token:
        return None
    user = session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == user_id,
            LoginSession.token_hash == _digest(token),
            LoginSession.created_at > now - timedelta(days=SESSION_DAYS),
        )
    )
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def create_user(
    session: Session,
    email: str,
    display_name: str,
    password: str,
    role: Role | None = None,
    *,
    hash_kind: str = "argon2id",
    check_password: bool = True,
) -> User:
    """Create an account (with a staff role, or none for residents); one per e-mail address."""
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = str(_l("Skriv en gyldig e-mailadresse."))
    elif get_user_by_email(session, email) is not None:
        errors["email"] = str(_l("Der findes allerede en konto med den e-mailadresse."))
    problem = password_problem(password, email) if check_password else None
    if problem:
        errors["password"] = problem
    if errors:
        raise Invalid(errors)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password, hash_kind),
    )
    user.set_roles({role} if role else set())
    session.add(user)
    session.commit()
    return user


def change_password(
    session: Session,
    user: User,
    current: str,
    new: str,
    *,
    keep_token: str = "",
    hash_kind: str = "argon2id",
) -> None:
    """Set a new password after checking the current one; every session but `keep_token`'s ends."""
    if not verify_password(user.password_hash, current):
        raise Invalid({"current_password": str(_l("Den nuværende adgangskode er forkert."))})
    problem = password_problem(new, user.email)
    if problem:
        raise Invalid({"new_password": problem})
    user.password_hash = hash_password(new, hash_kind)
    end_sessions_of(session, user, keep_token)
    session.commit()
