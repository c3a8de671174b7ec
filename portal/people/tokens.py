"""Set-password links: signed, expiring, single use.

The token names the user, the moment it was made and a fingerprint of the current password hash
and session epoch; setting a password changes the hash, so a used link stops working. The time is
in the payload (not itsdangerous' own clock) so tests and the portal's pinned clock agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from .. import audit
from ..accounts import end_sessions_of
from ..errors import Invalid
from ..models import User
from ..passwords import hash_password, password_problem

SALT = "samling.set-password"
PATH = "/account/set-password/"  # the route in blueprints/account.py


@dataclass(frozen=True)
class LinkSettings:
    """What building and checking links needs from the configuration."""

    secret: str
    base_url: str
    hours: int

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def password_link(self, user: User, now: datetime) -> str:
        """The absolute set-password link for an e-mail."""
        return self.url(PATH + make_token(self.secret, user, now))


def _fingerprint(user: User) -> str:
    text = f"{user.password_hash}|{user.session_epoch}|{user.active}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def make_token(secret: str, user: User, now: datetime) -> str:
    """A signed token that lets its holder set this user's password once."""
    payload = {"u": user.id, "t": int(now.timestamp()), "f": _fingerprint(user)}
    return URLSafeSerializer(secret, salt=SALT).dumps(payload)


EXPIRED = _l("Linket er udløbet eller allerede brugt. Bed om et nyt.")


def user_for_token(session: Session, settings: LinkSettings, token: str, now: datetime) -> User:
    """The user a valid, unexpired, unused token belongs to; otherwise Invalid."""
    try:
        payload = URLSafeSerializer(settings.secret, salt=SALT).loads(token)
        user_id, issued, fingerprint = int(payload["u"]), int(payload["t"]), str(payload["f"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Invalid({"form": str(EXPIRED)}) from None
    user = session.get(User, user_id)
    too_old = now.timestamp() - issued > timedelta(hours=settings.hours).total_seconds()
    if user is None or too_old or not user.active or _fingerprint(user) != fingerprint:
        raise Invalid({"form": str(EXPIRED)})
    return user


def set_password_with_token(
    session: Session,
    settings: LinkSettings,
    token: str,
    password: str,
    now: datetime,
    *,
    hash_kind: str = "argon2id",
) -> User:
    """Set the password of a valid link's user; the link (and every session) ends with it, and
    the e-mail address counts as verified (the link was opened from it)."""
    user = user_for_token(session, settings, token, now)
    problem = password_problem(password, user.email)
    if problem:
        raise Invalid({"password": problem})
    user.password_hash = hash_password(password, hash_kind)
    end_sessions_of(session, user)
    if user.email_verified_at is None:  # the link reached them: the address is theirs
        user.email_verified_at = now
    audit.record(session, "account.password_set", user.email, now, actor=user)
    session.commit()
    return user
