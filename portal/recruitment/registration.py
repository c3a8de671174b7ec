"""Recruitment: quotas, the registration form's rules, receipts and withdrawal."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import mail
from ..db import is_unique_violation, serialize_on
from ..errors import Invalid, NotFound, PhaseClosed
from ..labels import quota_text
from ..models import (
    ACTIVE_EMAIL_INDEX,
    Assembly,
    Invitation,
    OutboxEmail,
    PhaseKind,
    RateEvent,
    Recruitment,
    RecruitmentMode,
    Registrant,
    RegistrantStatus,
)
from ..numbers import parse_int, parse_ints
from ..phases import Feature, allows, local_date
from .commitment import commitment_lines
from .eligibility import postcode_problem
from .quotas import categories, list_quotas

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE = re.compile(r"^[0-9]{4}$")
MAX_MEETINGS = 100  # availability is a list of meeting numbers
_DUPLICATE_EMAIL = _l("Der er allerede en tilmelding med den e-mailadresse.")
PHONE = re.compile(r"^\+?[\d\s().-]+$")


def _name_problem(value: str) -> bool:
    """A name needs at least two letters ("Bo" is a name; "B" or "12" is not)."""
    return sum(ch.isalpha() for ch in value) < 2 or len(value) > 80


def _phone_problem(value: str) -> bool:
    """A phone number, when given: digits (8 to 15) with spaces, dashes, brackets or a leading +."""
    digits = sum(ch.isdigit() for ch in value)
    return bool(value) and not (PHONE.match(value) and 8 <= digits <= 15)


def get_recruitment(session: Session, assembly: Assembly) -> Recruitment:
    """The assembly's recruitment settings (created with defaults on first use)."""
    recruitment = session.scalar(select(Recruitment).where(Recruitment.assembly_id == assembly.id))
    if recruitment is None:
        recruitment = Recruitment(assembly_id=assembly.id)
        session.add(recruitment)
        session.flush()
    return recruitment


def household_key(address: str, postcode: str) -> str:
    """A stable hash of a normalised address: same household, same key; the address is not in it."""
    text = unicodedata.normalize("NFKC", f"{address} {postcode}").casefold()
    text = re.sub(r"[^\w]+", " ", text).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class RegistrationForm:
    code: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    postcode: str
    answers: dict[str, str]
    access_needs: str
    availability: list[int]
    consent: bool
    honeypot: str

    @classmethod
    def from_form(cls, form: Any, category_names: list[str]) -> RegistrationForm:
        """Read the posted fields (a MultiDict); answers are `answer-<category>`."""
        availability = [v for v in parse_ints(form.getlist("availability")) if v <= MAX_MEETINGS]
        return cls(
            code=form.get("code", ""),
            first_name=form.get("first_name", ""),
            last_name=form.get("last_name", ""),
            email=form.get("email", ""),
            phone=form.get("phone", ""),
            address=form.get("address", ""),
            postcode=form.get("postcode", ""),
            answers={c: form.get(f"answer-{c}", "") for c in category_names},
            access_needs=form.get("access_needs", ""),
            availability=availability,
            consent=form.get("consent") == "yes",
            honeypot=form.get("website", ""),
        )


def _check_rate(session: Session, address: str, now: datetime, limit: int) -> None:
    """At most `limit` sign-ups per address per hour, exactly, also under concurrent submits."""
    serialize_on(session, f"register:{address}")
    window = now - timedelta(hours=1)
    session.execute(delete(RateEvent).where(RateEvent.created_at < window))
    count = (
        session.scalar(
            select(func.count())
            .select_from(RateEvent)
            .where(RateEvent.scope == "register", RateEvent.address == address)
        )
        or 0
    )
    if count >= limit:
        raise Invalid(
            {"form": str(_l("For mange tilmeldinger fra din adresse. Prøv igen om en time."))}
        )
    session.add(RateEvent(scope="register", address=address, created_at=now))


def register(
    session: Session,
    assembly: Assembly,
    form: RegistrationForm,
    address: str,
    now: datetime,
    *,
    per_address_limit: int = 10,
    language: str = "da",
    receipt_link: Callable[[str], str] | None = None,
) -> Registrant:
    """Sign a resident up for the draw: open phase, valid answers, consent, no duplicates.

    With `receipt_link`, a confirmation e-mail with the personal receipt link (the way to
    withdraw) goes into the outbox in the same transaction.
    """
    if not allows(assembly, Feature.REGISTER, local_date(now)):
        raise PhaseClosed(str(_l("Tilmeldingen er lukket.")))
    if form.honeypot:
        raise Invalid({"form": str(_l("Tilmeldingen kunne ikke modtages."))})
    recruitment = get_recruitment(session, assembly)
    quotas = categories(list_quotas(session, assembly))
    errors: dict[str, str] = {}
    invitation = None
    if recruitment.mode == RecruitmentMode.INVITATION:
        invitation = session.scalar(
            select(Invitation).where(
                Invitation.assembly_id == assembly.id, Invitation.code == form.code.strip().upper()
            )
        )
        if invitation is None:
            errors["code"] = str(_l("Koden findes ikke. Den står i dit invitationsbrev."))
        elif invitation.used_at is not None:
            errors["code"] = str(_l("Koden er allerede brugt."))
    for name, value, message in (
        ("first_name", form.first_name, _l("Skriv dit fornavn (mindst 2 bogstaver).")),
        ("last_name", form.last_name, _l("Skriv dit efternavn (mindst 2 bogstaver).")),
    ):
        if _name_problem(value.strip()):
            errors[name] = str(message)
    if _phone_problem(form.phone.strip()):
        errors["phone"] = str(
            _l("Skriv et telefonnummer med cifre, fx 12 34 56 78, eller lad feltet stå tomt.")
        )
    if not form.address.strip():
        errors["address"] = str(_l("Skriv din adresse."))
    elif len(form.address.strip()) > 200:
        errors["address"] = str(_l("Højst %(n)d tegn.", n=200))
    if not EMAIL.match(form.email.strip()) or len(form.email.strip()) > 254:
        errors["email"] = str(_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."))
    if not POSTCODE.match(form.postcode.strip()):
        errors["postcode"] = str(_l("Skriv et postnummer med fire cifre."))
    elif problem := postcode_problem(session, assembly, form.postcode):
        errors["postcode"] = problem
    for category, values in quotas.items():
        if form.answers.get(category) not in values:
            errors[f"answer-{category}"] = str(
                _l("Vælg en svarmulighed for %(c)s.", c=quota_text(category))
            )
    if not form.consent:
        errors["consent"] = str(_l("Du skal give samtykke, før vi kan behandle din tilmelding."))
    email = form.email.strip().lower()
    if "email" not in errors and session.scalar(
        select(Registrant.id).where(
            Registrant.assembly_id == assembly.id,
            Registrant.email == email,
            Registrant.status != RegistrantStatus.WITHDRAWN,
            Registrant.blanked_at.is_(None),
        )
    ):
        errors["email"] = str(_DUPLICATE_EMAIL)
    if errors:
        raise Invalid(errors)
    _check_rate(session, address, now, per_address_limit)
    if invitation is not None:
        _use_invitation(session, invitation, now)
    registrant = Registrant(
        assembly_id=assembly.id,
        public_id=secrets.token_hex(4),
        invitation_id=invitation.id if invitation else None,
        first_name=form.first_name.strip(),
        last_name=form.last_name.strip(),
        email=email,
        phone=form.phone.strip()[:40],
        address=form.address.strip(),
        postcode=form.postcode.strip(),
        household_key=household_key(form.address, form.postcode),
        answers={c: form.answers[c] for c in quotas},
        access_needs=form.access_needs.strip()[:2000],
        availability=sorted(set(form.availability)),
        consent_at=now,
        token=secrets.token_urlsafe(32),
        language=language if language in ("da", "en") else "da",
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(registrant)
    except IntegrityError as error:
        # Another sign-up with this e-mail committed between our check and our insert.
        if not is_unique_violation(
            error, ACTIVE_EMAIL_INDEX, "registrant", ["assembly_id", "email"]
        ):
            raise
        raise Invalid({"email": str(_DUPLICATE_EMAIL)}) from None
    if receipt_link is not None:
        session.add(confirmation_email(assembly, registrant, receipt_link(registrant.token), now))
    session.commit()
    return registrant


def confirmation_email(
    assembly: Assembly, registrant: Registrant, link: str, now: datetime
) -> OutboxEmail:
    """The sign-up's receipt by e-mail, in the language the person signed up in."""
    language = registrant.language
    with mail.in_language(language):
        title = (assembly.title_en or assembly.title) if language == "en" else assembly.title
        recruitment = next((p for p in assembly.phases if p.kind == PhaseKind.RECRUITMENT), None)
        lines = [
            _("Hej %(name)s", name=registrant.first_name),
            "",
            _("Tak for din tilmelding. Du er med i lodtrækningen til %(title)s.", title=title),
        ]
        if recruitment is not None:
            lines.append(
                _(
                    "Tilmeldingen lukker %(d)s. Derefter trækkes der lod, og de udtrukne får besked på e-mail.",
                    d=format_date(recruitment.ends_on, "long"),
                )
            )
        if assembly.meetings:
            lines += ["", _("Møderne:")]
            lines += [f"- {format_date(m.starts_at, 'full')}, {m.place}" for m in assembly.meetings]
        lines += commitment_lines(assembly, language)
        lines += [
            "",
            _("Se, hvad du har oplyst, eller træk din tilmelding tilbage:"),
            link,
            "",
            _("Linket er personligt. Gem denne e-mail."),
        ]
        subject = _("Kvittering for din tilmelding: %(title)s", title=title)
    return OutboxEmail(
        to=registrant.email,
        subject=subject[:200],
        body="\n".join(lines),
        language=language,
        assembly_id=assembly.id,
        created_at=now,
    )


def _use_invitation(session: Session, invitation: Invitation, now: datetime) -> None:
    """Mark the code used, unless a concurrent sign-up used it first (checked in the database)."""
    used = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise Invalid({"code": str(_l("Koden er allerede brugt."))})
    session.expire(invitation, ["used_at"])


def get_registrant_by_token(
    session: Session, token: str, assembly: Assembly | None = None
) -> Registrant:
    """The person a personal link belongs to; under an assembly's address, only that assembly's."""
    registrant = session.scalar(select(Registrant).where(Registrant.token == token))
    if registrant is None or registrant.blanked_at is not None:
        raise NotFound("registrant")
    if assembly is not None and registrant.assembly_id != assembly.id:
        raise NotFound("registrant")
    return registrant


def withdraw(session: Session, registrant: Registrant) -> None:
    """A registrant leaves the pool (only before being drawn; afterwards they decline)."""
    if registrant.status == RegistrantStatus.REGISTERED:
        registrant.status = RegistrantStatus.WITHDRAWN
        session.commit()
    elif registrant.status != RegistrantStatus.WITHDRAWN:
        raise Invalid(
            {
                "form": str(
                    _l("Du er allerede trukket ud. Brug linket i din e-mail for at takke nej.")
                )
            }
        )


def pool(session: Session, assembly: Assembly) -> list[Registrant]:
    """Everyone still registered for the draw."""
    return list(
        session.scalars(
            select(Registrant)
            .where(
                Registrant.assembly_id == assembly.id,
                Registrant.status == RegistrantStatus.REGISTERED,
            )
            .order_by(Registrant.id)
        )
    )


@dataclass
class PoolSummary:
    registered: int
    withdrawn: int
    households_with_several: int
    counts: dict[tuple[str, str], int]


def pool_summary(session: Session, assembly: Assembly) -> PoolSummary:
    """Counts for the secretariat and the public page (no personal data)."""
    rows = session.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)).all()
    active = [r for r in rows if r.status != RegistrantStatus.WITHDRAWN]
    counts: dict[tuple[str, str], int] = {}
    households: dict[str, int] = {}
    for r in active:
        households[r.household_key] = households.get(r.household_key, 0) + 1
        for c, v in r.answers.items():
            counts[(c, v)] = counts.get((c, v), 0) + 1
    return PoolSummary(
        registered=len(active),
        withdrawn=len(rows) - len(active),
        households_with_several=sum(1 for n in households.values() if n > 1),
        counts=counts,
    )


def seat_counts(session: Session, assembly: Assembly) -> dict[str, int]:
    """How many drawn people have confirmed, declined or not answered yet."""
    rows = session.execute(
        select(Registrant.status, func.count())
        .where(Registrant.assembly_id == assembly.id)
        .group_by(Registrant.status)
    ).all()
    return {RegistrantStatus(status).value: n for status, n in rows}


def update_settings(
    session: Session, assembly: Assembly, mode: str, household_rule: bool, retention_days: str
) -> Recruitment:
    """Open or invitation-only sign-up, the household rule and how long personal data is kept."""
    errors: dict[str, str] = {}
    if mode not in set(RecruitmentMode):
        errors["mode"] = str(_l("Vælg åben tilmelding eller tilmelding med kode."))
    days = parse_int(retention_days, minimum=1, maximum=730)
    if days is None:
        errors["retention_days"] = str(_l("Skriv et antal dage mellem 1 og 730."))
    if errors or days is None:
        raise Invalid(errors)
    settings = get_recruitment(session, assembly)
    settings.mode = RecruitmentMode(mode)
    settings.household_rule = household_rule
    settings.retention_days = days
    session.commit()
    return settings
