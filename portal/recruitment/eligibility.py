"""Who may sign up: an assembly's list of postcodes (an empty list means no restriction)."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid
from ..models import Assembly, EligiblePostcode, User
from ..people.facilitators import require_secretariat

POSTCODE = re.compile(r"^\d{4}$")
RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


def list_postcodes(session: Session, assembly: Assembly) -> list[str]:
    """The postcodes that may sign up, in order."""
    return list(
        session.scalars(
            select(EligiblePostcode.postcode)
            .where(EligiblePostcode.assembly_id == assembly.id)
            .order_by(EligiblePostcode.postcode)
        )
    )


def parse_postcodes(text: str) -> list[str]:
    """Postcodes separated by commas, spaces or lines; "1000-1499" is a range."""
    codes: set[str] = set()
    bad: list[str] = []
    for token in re.split(r"[,;\s]+", re.sub(r"\s*-\s*", "-", text)):
        token = token.strip()
        if not token:
            continue
        span = RANGE.match(token)
        if span and int(span.group(1)) <= int(span.group(2)) <= int(span.group(1)) + 2000:
            codes.update(f"{n:04d}" for n in range(int(span.group(1)), int(span.group(2)) + 1))
        elif POSTCODE.match(token):
            codes.add(token)
        else:
            bad.append(token)
    if bad:
        raise Invalid({"postcodes": str(_l("Ikke et postnummer: %(v)s", v=", ".join(bad[:5])))})
    return sorted(codes)


def save_postcodes(
    session: Session, actor: User, now: datetime, assembly: Assembly, text: str
) -> list[str]:
    """Replace the assembly's eligible postcodes (the secretariat's setting; audited)."""
    require_secretariat(actor)
    codes = parse_postcodes(text)
    session.execute(delete(EligiblePostcode).where(EligiblePostcode.assembly_id == assembly.id))
    session.add_all(EligiblePostcode(assembly_id=assembly.id, postcode=c) for c in codes)
    audit.record(
        session,
        "eligibility.saved",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{len(codes)} postcodes",
    )
    session.commit()
    return codes


def postcode_problem(session: Session, assembly: Assembly, postcode: str) -> str | None:
    """Why this postcode may not sign up for the assembly, or None when it may."""
    codes = list_postcodes(session, assembly)
    if not codes or postcode.strip() in codes:
        return None
    return str(
        _l(
            "Postnummer %(p)s hører ikke til området for %(title)s. Kun borgere i området kan "
            "tilmelde sig.",
            p=postcode.strip(),
            title=assembly.title,
        )
    )


def compact(codes: list[str]) -> str:
    """Postcodes written back as ranges where they run on ("2100-2150, 8000")."""
    parts: list[str] = []
    numbers = [int(c) for c in codes]
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(f"{numbers[i]:04d}" if i == j else f"{numbers[i]:04d}-{numbers[j]:04d}")
        i = j + 1
    return ", ".join(parts)
