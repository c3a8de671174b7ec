"""Organisations (lokaludvalg and others): created by the secretariat or admins, with their people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..accounts import get_user_by_email
from ..errors import Invalid, NotFound
from ..models import Organisation, OrganisationKind, OrganisationPerson, User
from .facilitators import require_secretariat
from .staff import check_new_account, new_account, send_password_link
from .tokens import LinkSettings


@dataclass
class OrganisationForm:
    name: str
    kind: str
    district: str
    verified: bool


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation with its people, by name."""
    return list(
        session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.people).selectinload(OrganisationPerson.user))
            .order_by(Organisation.name)
        )
    )


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation")
    return organisation


def organisations_of(session: Session, user: User) -> list[Organisation]:
    """The organisations a person acts for."""
    return list(
        session.scalars(
            select(Organisation)
            .join(OrganisationPerson)
            .where(OrganisationPerson.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def _checked(session: Session, form: OrganisationForm, current: Organisation | None) -> None:
    errors: dict[str, str] = {}
    name = form.name.strip()
    if not name or len(name) > 160:
        errors["name"] = str(_l("Skriv organisationens navn."))
    else:
        same = session.scalar(
            select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
        )
        if same is not None and (current is None or same != current.id):
            errors["name"] = str(_l("Der findes allerede en organisation med det navn."))
    if form.kind not in set(OrganisationKind):
        errors["kind"] = str(_l("Vælg en slags organisation."))
    if len(form.district.strip()) > 120:
        errors["district"] = str(_l("Teksten er for lang (højst %(n)d tegn).", n=120))
    if errors:
        raise Invalid(errors)


def save_organisation(
    session: Session,
    actor: User,
    now: datetime,
    form: OrganisationForm,
    organisation: Organisation | None = None,
) -> Organisation:
    """Create an organisation or change its name, kind, district and verified badge."""
    require_secretariat(actor)
    _checked(session, form, organisation)
    created = organisation is None
    if organisation is None:
        organisation = Organisation(created_at=now)
        session.add(organisation)
    organisation.name = form.name.strip()
    organisation.kind = OrganisationKind(form.kind)
    organisation.district = form.district.strip()
    organisation.verified = form.verified
    action = "organisation.created" if created else "organisation.updated"
    detail = f"verified={form.verified}"
    audit.record(session, action, organisation.name, now, actor=actor, detail=detail)
    session.commit()
    return organisation


def add_person(
    session: Session,
    actor: User,
    now: datetime,
    links: LinkSettings,
    organisation: Organisation,
    email: str,
    name: str,
) -> User:
    """Add a person by e-mail: an existing account is linked; a new one is invited."""
    require_secretariat(actor)
    user = get_user_by_email(session, email)
    if user is None:
        clean_email, clean_name = check_new_account(session, email, name)
        user = new_account(session, clean_email, clean_name, now)
        send_password_link(session, user, links, now, invited=True)
    elif any(p.user_id == user.id for p in organisation.people):
        raise Invalid({"email": str(_l("Personen hører allerede til organisationen."))})
    organisation.people.append(OrganisationPerson(user_id=user.id))
    audit.record(
        session, "organisation.person_added", organisation.name, now, actor=actor, detail=user.email
    )
    session.commit()
    return user


def remove_person(
    session: Session, actor: User, now: datetime, organisation: Organisation, person_id: int
) -> None:
    """Remove a person from the organisation (their account stays)."""
    require_secretariat(actor)
    row = next((p for p in organisation.people if p.id == person_id), None)
    if row is None:
        raise NotFound("person")
    email = row.user.email
    organisation.people.remove(row)
    audit.record(
        session, "organisation.person_removed", organisation.name, now, actor=actor, detail=email
    )
    session.commit()
