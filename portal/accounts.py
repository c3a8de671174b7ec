"""Accounts: log in with limits per account and per address, change password, end sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .errors import Invalid, LoginRefused
from .models import LoginAttempt, Role, User
from .numbers import parse_int
from .passwords import hash_password, password_problem, verify_password

WRONG = _l("E-mail eller adgangskode er forkert.")


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str,
    now: datetime,
    *,
    max_failures: int = 5,
    lock_minutes: int = 15,
    max_per_address: int = 20,
) -> User:
    """Return the user for a correct password, unless the account or the address is locked out.

    An empty field is not a wrong password: it is asked for, and not counted as a failure.
    """
    missing: dict[str, str] = {}
    if not email.strip():
        missing["email"] = str(_l("Skriv din e-mailadresse."))
    if not password:
        missing["password"] = str(_l("Skriv din adgangskode."))
    if missing:
        raise Invalid(missing)
    window_start = now - timedelta(minutes=lock_minutes)
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < window_start))
    from_address = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.address == address)
    )
    if (from_address or 0) >= max_per_address:
        session.commit()
        raise LoginRefused(
            str(
                _l(
                    "For mange forsøg fra din adresse. Vent %(m)d minutter, og prøv igen.",
                    m=lock_minutes,
                )
            )
        )
    user = get_user_by_email(session, email)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        session.commit()
        raise LoginRefused(
            str(
                _l(
                    "Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen om %(m)d minutter.",
                    m=lock_minutes,
                )
            )
        )
    if user is None or not user.active or not verify_password(user.password_hash, password):
        session.add(
            LoginAttempt(address=address, email=email.strip().lower()[:254], created_at=now)
        )
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
        session.commit()
        raise LoginRefused(str(WRONG))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.commit()
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
    session: Session, user: User, current: str, new: str, *, hash_kind: str = "argon2id"
) -> None:
    """Set a new password after checking the current one; every other session ends."""
    if not verify_password(user.password_hash, current):
        raise Invalid({"current_password": str(_l("Den nuværende adgangskode er forkert."))})
    problem = password_problem(new, user.email)
    if problem:
        raise Invalid({"new_password": problem})
    user.password_hash = hash_password(new, hash_kind)
    user.session_epoch += 1
    session.commit()


def end_all_sessions(session: Session, user: User) -> None:
    """Log the user out on every device (their session ids stop matching)."""
    user.session_epoch += 1
    session.commit()


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user of a session id "user:epoch", if the epoch is still current."""
    user_part, _, epoch_part = session_id.partition(":")
    user_id, epoch = parse_int(user_part), parse_int(epoch_part)
    if user_id is None or epoch is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user
