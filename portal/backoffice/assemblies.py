"""Creating and editing assemblies: texts in Danish (English optional), the slug, the status."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..errors import Invalid, NotFound
from ..models import Assembly, AssemblyStatus, Meeting, User
from ..people.facilitators import ensure_facilitator
from . import forms
from .forms import Form

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = frozenset({"new"})  # /secretariat/assemblies/new is the creation form
DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "’": ""})


@dataclass(frozen=True)
class TextField:
    name: str
    label: LazyString
    required: bool = False
    multiline: bool = True
    english: bool = True  # has an optional English column `<name>_en`
    max_length: int = 4000
    hint: LazyString | None = None


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("title", _l("Titel"), required=True, multiline=False, max_length=200),
    TextField("summary", _l("Kort beskrivelse"), required=True),
    TextField("remit", _l("Spørgsmålet fra politikerne (opgaven)"), required=True),
    TextField("in_scope", _l("Til debat")),
    TextField("out_of_scope", _l("Ikke til debat")),
    TextField("commissioned_by", _l("Bestilt af"), required=True, multiline=False, max_length=200),
    TextField(
        "operator",
        _l("Gennemføres af (den uafhængige procesleder)"),
        required=True,
        multiline=False,
        max_length=200,
    ),
    TextField(
        "municipality",
        _l("Kommune"),
        required=True,
        multiline=False,
        english=False,
        max_length=120,
    ),
    TextField("region", _l("Region"), multiline=False, english=False, max_length=120),
    TextField("answer_promise", _l("Sådan svarer politikerne")),
    TextField(
        "contact",
        _l("Kontakt for presse og borgere"),
        hint=_l("Navn, e-mail og telefon, som pressen og borgerne kan bruge."),
    ),
    TextField(
        "meeting_schedule",
        _l("Mødedatoer og tidspunkter"),
        hint=_l("Fx: fire lørdage kl. 10–16 i marts og april."),
    ),
    TextField("time_commitment", _l("Tidsforbrug for medlemmerne")),
    TextField("compensation", _l("Honorar eller kompensation")),
)

# Legal moves; a published assembly never goes back to planned.
TRANSITIONS: dict[AssemblyStatus, frozenset[AssemblyStatus]] = {
    AssemblyStatus.PLANNED: frozenset({AssemblyStatus.ACTIVE}),
    AssemblyStatus.ACTIVE: frozenset({AssemblyStatus.CONCLUDED}),
    AssemblyStatus.CONCLUDED: frozenset({AssemblyStatus.ACTIVE}),
}


def list_all_assemblies(session: Session) -> list[Assembly]:
    """Every assembly whatever its status, planned first, then newest (the secretariat's list)."""
    order = {AssemblyStatus.PLANNED: 0, AssemblyStatus.ACTIVE: 1, AssemblyStatus.CONCLUDED: 2}
    rows = session.scalars(select(Assembly).options(selectinload(Assembly.phases))).all()
    return sorted(rows, key=lambda a: (order[a.status], -a.id))


def get_any_assembly(session: Session, slug: str) -> Assembly:
    """One assembly in any status, with its timeline, meetings and materials (staff only)."""
    assembly = session.scalar(
        select(Assembly)
        .where(Assembly.slug == slug)
        .options(
            selectinload(Assembly.phases),
            selectinload(Assembly.meetings).selectinload(Meeting.materials),
            selectinload(Assembly.materials),
        )
    )
    if assembly is None:
        raise NotFound(slug)
    return assembly


def slugify(title: str) -> str:
    """A URL name from a title: Danish letters spelt out, lower case, words joined by hyphens."""
    ascii_text = (
        unicodedata.normalize("NFKD", title.translate(DANISH))
        .encode("ascii", "ignore")
        .decode()
        .replace("'", "")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "borgersamling"


def _unique_slug(session: Session, base: str) -> str:
    taken = set(session.scalars(select(Assembly.slug).where(Assembly.slug.like(f"{base}%"))))
    taken |= RESERVED
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _choose_slug(session: Session, wanted: str, title: str, errors: dict[str, str]) -> str:
    if not wanted:
        return _unique_slug(session, slugify(title))
    if not SLUG_PATTERN.match(wanted) or len(wanted) > 80:
        errors["slug"] = str(
            _l("Brug kun små bogstaver a–z, tal og bindestreger, fx trafik-i-indre-by.")
        )
    elif (
        wanted in RESERVED
        or session.scalar(select(Assembly.id).where(Assembly.slug == wanted)) is not None
    ):
        errors["slug"] = str(_l("Den webadresse er allerede i brug. Vælg en anden."))
    return wanted


def _read(form: Form, errors: dict[str, str]) -> dict[str, object]:
    """Every editable value from the form, checked; messages go into errors."""
    values: dict[str, object] = {}
    for spec in TEXT_FIELDS:
        names = [spec.name] + ([f"{spec.name}_en"] if spec.english else [])
        for name in names:
            value = forms.text(form, name)
            if len(value) > spec.max_length:
                errors[name] = str(_l("Højst %(n)d tegn.", n=spec.max_length))
            values[name] = value if name == spec.name else (value or None)
        if spec.required and not values[spec.name]:
            errors[spec.name] = str(_l("Udfyld feltet på dansk."))
    if values["region"] == "":
        values["region"] = None
    values["seats"] = forms.whole_number(form, "seats", 1, 1000, errors)
    values["answer_weeks"] = forms.whole_number(form, "answer_weeks", 1, 104, errors, False)
    values["draw_on"] = forms.day(form, "draw_on", errors)
    values["reply_by"] = forms.day(form, "reply_by", errors)
    draw_on, reply_by = values["draw_on"], values["reply_by"]
    if draw_on and reply_by and reply_by < draw_on:  # type: ignore[operator]
        errors["reply_by"] = str(_l("Svarfristen skal ligge efter lodtrækningen."))
    return values


def create_assembly(session: Session, form: Form, actor: User, now: datetime) -> Assembly:
    """A new assembly, planned (not public); its slug is chosen now and never changes."""
    errors: dict[str, str] = {}
    values = _read(form, errors)
    slug = _choose_slug(session, forms.text(form, "slug"), str(values["title"]), errors)
    if errors:
        raise Invalid(errors)
    assembly = Assembly(slug=slug, status=AssemblyStatus.PLANNED, **values)
    session.add(assembly)
    session.flush()
    # Whoever creates an assembly facilitates its workspace until the secretariat says otherwise.
    ensure_facilitator(session, assembly, actor)
    audit.record(session, "assembly.create", f"assembly:{slug}", now, actor=actor)
    session.commit()
    return assembly


def update_assembly(
    session: Session, assembly: Assembly, form: Form, actor: User, now: datetime
) -> list[str]:
    """Save the edited texts and facts (never the slug); returns the names of changed fields."""
    errors: dict[str, str] = {}
    values = _read(form, errors)
    if errors:
        raise Invalid(errors)
    changed = [k for k, v in values.items() if getattr(assembly, k) != v]
    for name in changed:
        setattr(assembly, name, values[name])
    if changed:
        audit.record(
            session,
            "assembly.update",
            f"assembly:{assembly.slug}",
            now,
            actor=actor,
            detail=", ".join(changed),
        )
    session.commit()
    return changed


def change_status(
    session: Session, assembly: Assembly, target: str, actor: User, now: datetime
) -> None:
    """Publish, conclude or reopen; once published an assembly cannot return to planned."""
    try:
        wanted = AssemblyStatus(target)
    except ValueError:
        wanted = None
    if wanted is None or wanted not in TRANSITIONS[assembly.status]:
        raise Invalid(
            {"status": str(_l("En offentliggjort borgersamling kan ikke blive planlagt igen."))}
            if wanted == AssemblyStatus.PLANNED
            else {"status": str(_l("Den statusændring er ikke mulig."))}
        )
    before = assembly.status
    assembly.status = wanted
    audit.record(
        session,
        "assembly.status",
        f"assembly:{assembly.slug}",
        now,
        actor=actor,
        detail=f"{before.value} → {wanted.value}",
    )
    session.commit()
