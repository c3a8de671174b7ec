"""The invitation lottery: draw households from a register extract, with a seed anyone can re-run."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import secrets
from collections import defaultdict
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, csvsafe
from ..errors import Invalid
from ..models import Assembly, Invitation, InvitationBatch, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper
FORBIDDEN_COLUMNS = {"cpr", "cpr_nr", "cprnr", "cpr-nummer", "personnummer"}


def _code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def read_register(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Parse the register extract; it needs a household column and must not hold CPR numbers."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise Invalid({"register": str(_l("Filen er tom."))})
    if FORBIDDEN_COLUMNS & {h.lower() for h in header}:
        raise Invalid(
            {"register": str(_l("Filen må ikke indeholde CPR-numre. Fjern kolonnen og prøv igen."))}
        )
    if "household" not in header:
        raise Invalid(
            {
                "register": str(
                    _l("Filen skal have en kolonne 'household' (adresse eller husstands-id).")
                )
            }
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not clean.get("household"):
            raise Invalid(
                {"register": str(_l("Linje %(n)d: kolonnen 'household' er tom.", n=line))}
            )
        rows.append(clean)
    if not rows:
        raise Invalid({"register": str(_l("Filen har ingen rækker."))})
    return header, rows


def _rank(seed: str, household: str) -> str:
    return hashlib.sha256(f"{seed}\n{household}".encode()).hexdigest()


def choose_households(
    rows: list[dict[str, str]], count: int, seed: str, spread: str | None
) -> list[str]:
    """The households drawn: lowest sha256(seed, household) first; spread keeps each group's share."""
    households: dict[str, str] = {}
    for row in rows:
        households.setdefault(row["household"], row.get(spread, "") if spread else "")
    count = min(count, len(households))
    if not spread:
        return sorted(households, key=lambda h: _rank(seed, h))[:count]
    groups: dict[str, list[str]] = defaultdict(list)
    for household, group in households.items():
        groups[group].append(household)
    # Largest-remainder apportionment of the invitations over the groups.
    exact = {g: count * len(hs) / len(households) for g, hs in groups.items()}
    quota = {g: math.floor(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: (-(exact[g] - quota[g]), g))[
        : count - sum(quota.values())
    ]:
        quota[g] += 1
    chosen: list[str] = []
    for g in sorted(groups):
        chosen += sorted(groups[g], key=lambda h: _rank(seed, h))[: quota[g]]
    return chosen


def draw_invitations(
    session: Session,
    assembly: Assembly,
    register_text: str,
    count: int,
    seed: str,
    spread: str | None,
    actor: User,
    now: datetime,
) -> InvitationBatch:
    """Record a seeded invitation lottery and create one personal code per drawn household."""
    errors = {}
    if count < 1:
        errors["count"] = str(_l("Skriv hvor mange husstande, der skal inviteres."))
    if not seed.strip():
        errors["seed"] = str(_l("Skriv et frø, fx resultatet af terningkast."))
    elif len(seed.strip()) > 200:
        errors["seed"] = str(_l("Højst %(n)d tegn.", n=200))
    header, rows = read_register(register_text)
    if spread and spread not in header:
        errors["spread"] = str(_l("Kolonnen %(c)s findes ikke i filen.", c=spread))
    if errors:
        raise Invalid(errors)
    chosen = choose_households(rows, count, seed.strip(), spread or None)
    first_row: dict[str, dict[str, str]] = {}
    for row in rows:
        first_row.setdefault(row["household"], row)
    batch = InvitationBatch(
        assembly_id=assembly.id,
        seed=seed.strip(),
        register_digest=hashlib.sha256(register_text.encode()).hexdigest(),
        register_size=len(rows),
        invited=len(chosen),
        spread_column=spread or None,
        created_by_id=actor.id,
        created_at=now,
    )
    batch.invitations = [
        Invitation(
            assembly_id=assembly.id, code=_code(), household_key=h, register_row=first_row[h]
        )
        for h in chosen
    ]
    session.add(batch)
    audit.record(
        session,
        "invitations.drawn",
        assembly.slug,
        now,
        actor=actor,
        detail=f"{len(chosen)} of {len(first_row)} households, seed {seed!r}",
    )
    session.commit()
    return batch


def list_batches(session: Session, assembly: Assembly) -> list[InvitationBatch]:
    return list(
        session.scalars(
            select(InvitationBatch)
            .where(InvitationBatch.assembly_id == assembly.id)
            .order_by(InvitationBatch.id.desc())
        )
    )


def mail_merge_csv(batch: InvitationBatch) -> str:
    """One row per invitation: the register's columns plus the personal code."""
    out = io.StringIO()
    columns = list(dict.fromkeys(k for inv in batch.invitations for k in inv.register_row))
    writer = csvsafe.writer(out)
    writer.writerow(["code", *columns])
    for inv in batch.invitations:
        writer.writerow([inv.code, *(inv.register_row.get(c, "") for c in columns)])
    return out.getvalue()
