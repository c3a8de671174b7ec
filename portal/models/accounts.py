"""Users, their roles and what protects their sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .enums import Role
from .people import UserRole

# A password hash no password matches: accounts invited but without a password yet.
UNUSABLE_PASSWORD = "!unset"


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped to end every session of this user on every device (flask-login's alternative id).
    session_epoch: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # When the person proved the address is theirs (a signup link, or a set-password link);
    # "verified" means exactly this, never proof of residence. Unverified accounts cannot post.
    email_verified_at: Mapped[datetime | None]
    # Optional, chosen by residents at sign-up from the configured list (portal/people/residents.py).
    district: Mapped[str] = mapped_column(String(120), default="")
    # The language the portal's e-mails to this person are written in ("da" or "en"): the one
    # they signed up or last logged in with, or chose on their account page.
    language: Mapped[str] = mapped_column(String(2), default="da")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    @property
    def has_password(self) -> bool:
        return self.password_hash != UNUSABLE_PASSWORD

    @property
    def role(self) -> Role | None:
        """The highest staff role (admin, secretariat, council) or None; kept so code written for
        the old single `role` column (`User(role=Role.ADMIN)`) still works."""
        return next((r for r in Role if r in self.roles), None)

    @role.setter
    def role(self, value: Role | None) -> None:
        self.set_roles({value} if value else set())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def has_role(self, *roles: Role) -> bool:
        """True for holders of one of the roles; admins hold every role."""
        held = self.roles
        return Role.ADMIN in held or bool(held.intersection(roles))

    def set_roles(self, roles: set[Role] | frozenset[Role]) -> None:
        """Replace the account's staff roles."""
        keep = [r for r in self.role_rows if r.role in roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(roles - have)]


# One account per e-mail address, whatever its case (the portal also stores it lower-case).
Index("uq_user_email_lower", func.lower(User.email), unique=True)


class LoginAttempt(Base):
    """A failed login: from an address, for an e-mail address as typed, and from a known device
    (or "") — counted by the throttle of ADR 0102 and pruned as it ages."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    device: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
