"""Demo relations: the council's body, the lokaludvalg and its person, the assemblies' facilitator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Assembly,
    Body,
    BodyMembership,
    EligiblePostcode,
    Facilitator,
    Organisation,
    OrganisationKind,
    OrganisationPerson,
    User,
)
from . import content as c

BODY = "Teknik- og Miljøudvalget"
LOKALUDVALG = "Østerbro Lokaludvalg"
# Indre Østerbro's postcodes: only residents there could sign up for its assembly.
OESTERBRO_POSTCODES = ("2100", "2150")


def _one(session: Session, model: type, **where: object) -> object | None:
    return session.scalar(select(model).filter_by(**where))


def load_people(session: Session, users: dict[str, User]) -> None:
    """Add the demo's bodies, organisations, facilitators and postcodes unless they exist."""
    body = session.scalar(select(Body).where(Body.name == BODY))
    if body is None:
        body = Body(name=BODY)
        session.add(body)
        session.flush()
    council = users["council@example.org"]
    if _one(session, BodyMembership, body_id=body.id, user_id=council.id) is None:
        session.add(BodyMembership(body_id=body.id, user_id=council.id))
    org = session.scalar(select(Organisation).where(Organisation.name == LOKALUDVALG))
    if org is None:
        org = Organisation(
            name=LOKALUDVALG, kind=OrganisationKind.LOKALUDVALG, district="Østerbro", verified=True
        )
        session.add(org)
        session.flush()
    person = users["lokaludvalg@example.org"]
    if _one(session, OrganisationPerson, organisation_id=org.id, user_id=person.id) is None:
        session.add(OrganisationPerson(organisation_id=org.id, user_id=person.id))
    secretariat = users["secretariat@example.org"]
    for assembly in session.scalars(select(Assembly)):
        if _one(session, Facilitator, assembly_id=assembly.id, user_id=secretariat.id) is None:
            session.add(Facilitator(assembly_id=assembly.id, user_id=secretariat.id))
    groent = session.scalar(select(Assembly).where(Assembly.slug == c.GROENT_BYLIV["slug"]))
    if groent is not None and _one(session, EligiblePostcode, assembly_id=groent.id) is None:
        session.add_all(
            EligiblePostcode(assembly_id=groent.id, postcode=p) for p in OESTERBRO_POSTCODES
        )
