"""The secretariat's view of who registered and who was drawn: filtered, and exported as CSV.

Personal data is shown only while it is kept (blanked rows never appear). Access needs may be
health data (GDPR art. 9): they are shown only for drawn and seated people, whose meetings must be
planned, and left out of exports unless the exporter asks for them (recorded in the audit event).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, csvsafe
from ..assemblies import Page
from ..models import Assembly, Registrant, RegistrantStatus, User
from ..recruitment.quotas import categories, list_quotas
from .facilitators import require_secretariat

PLANNING = frozenset({RegistrantStatus.DRAWN, RegistrantStatus.CONFIRMED})


@dataclass
class Filters:
    status: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: dict[str, str], category_names: list[str]) -> Filters:
        """Read ?status=…&answer-<category>=… (unknown values are ignored)."""
        status = args.get("status", "")
        return cls(
            status=status if status in set(RegistrantStatus) else "",
            answers={c: args[f"answer-{c}"] for c in category_names if args.get(f"answer-{c}")},
        )

    def describe(self) -> str:
        parts = [f"status={self.status}"] if self.status else []
        parts += [f"{k}={v}" for k, v in sorted(self.answers.items())]
        return " ".join(parts) or "all"


def category_values(session: Session, assembly: Assembly) -> dict[str, list[str]]:
    """The quota categories and their values, for the filter form."""
    return categories(list_quotas(session, assembly))


def list_registrants(
    session: Session, actor: User, assembly: Assembly, filters: Filters
) -> list[Registrant]:
    """Registrants whose personal data is still kept, matching the filters."""
    require_secretariat(actor)
    query = select(Registrant).where(
        Registrant.assembly_id == assembly.id, Registrant.blanked_at.is_(None)
    )
    if filters.status:
        query = query.where(Registrant.status == RegistrantStatus(filters.status))
    rows = session.scalars(
        query.order_by(Registrant.last_name, Registrant.first_name, Registrant.id)
    )
    return [r for r in rows if all(r.answers.get(k) == v for k, v in filters.answers.items())]


def page_of(rows: list[Registrant], number: int, size: int = 50) -> Page[Registrant]:
    """One page of the filtered list (the export always holds the whole list)."""
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    return Page(rows[(number - 1) * size : number * size], number, size, len(rows))


def shows_access_needs(registrant: Registrant) -> bool:
    """Access needs are for planning the meetings of people who were drawn or took a seat."""
    return registrant.status in PLANNING


def export_csv(
    session: Session,
    actor: User,
    now: datetime,
    assembly: Assembly,
    filters: Filters,
    *,
    include_access_needs: bool,
) -> str:
    """The filtered list as CSV; every export is an audit event saying what it held."""
    rows = list_registrants(session, actor, assembly, filters)
    names = list(category_values(session, assembly))
    header = ["id", "fornavn", "efternavn", "e-mail", "telefon", "adresse", "postnummer", "status"]
    header += names + ["tilgængelighed (møder)"]
    if include_access_needs:
        header.append("særlige behov")
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        line = [r.public_id, r.first_name, r.last_name, r.email, r.phone, r.address, r.postcode]
        line += [r.status.value] + [r.answers.get(n, "") for n in names]
        line.append(" ".join(str(n) for n in r.availability))
        if include_access_needs:
            line.append(r.access_needs if shows_access_needs(r) else "")
        writer.writerow(line)
    detail = (
        f"rows={len(rows)} filters={filters.describe()} "
        f"access_needs={'yes' if include_access_needs else 'no'}"
    )
    audit.record(session, "registrants.exported", assembly.slug, now, actor=actor, detail=detail)
    session.commit()
    return out.getvalue()
