"""Who someone is to the portal: staff roles, and relations to bodies, organisations and assemblies.

Staff kinds (admin, secretariat, council) are roles of an account; everything else a person is
(a member of an assembly, its facilitator, a council user of a body, a person of an organisation)
is a relation, so one account can be several of these at once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import Role

if TYPE_CHECKING:
    from .accounts import User
    from .assemblies import Assembly


class OrganisationKind(StrEnum):
    LOKALUDVALG = "lokaludvalg"
    ASSOCIATION = "association"
    OTHER = "other"


class UserRole(Base):
    """One staff role held by one account."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))


class Body(Base):
    """A political body that answers recommendations (e.g. Teknik- og Miljøudvalget)."""

    __tablename__ = "body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seats: Mapped[list[BodyMembership]] = relationship(
        back_populates="body", cascade="all, delete-orphan", order_by="BodyMembership.id"
    )


class BodyMembership(Base):
    """A council user working for a body."""

    __tablename__ = "body_membership"
    __table_args__ = (UniqueConstraint("body_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    body: Mapped[Body] = relationship(back_populates="seats")
    user: Mapped[User] = relationship()


class Organisation(Base):
    """A lokaludvalg or another organisation that gives input in a district."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    district: Mapped[str] = mapped_column(String(120), default="")
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    people: Mapped[list[OrganisationPerson]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationPerson.id",
    )


class OrganisationPerson(Base):
    """An account that acts for an organisation."""

    __tablename__ = "organisation_person"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="people")
    user: Mapped[User] = relationship()


class Facilitator(Base):
    """An account that facilitates one assembly (and so may enter its workspace)."""

    __tablename__ = "facilitator"
    __table_args__ = (UniqueConstraint("assembly_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    assembly: Mapped[Assembly] = relationship()
    user: Mapped[User] = relationship()


class EligiblePostcode(Base):
    """A postcode whose residents may sign up for an assembly (none listed: no restriction)."""

    __tablename__ = "eligible_postcode"
    __table_args__ = (UniqueConstraint("assembly_id", "postcode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    postcode: Mapped[str] = mapped_column(String(4))
