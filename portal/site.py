"""Who runs this installation (one municipality): read and change its identity and privacy text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import Invalid
from .models import SiteSettings, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
# A logo or contact page: an https address, or a path on this site (never //host or javascript:).
URL = re.compile(r"^(https://[^\s\"'<>]+|/(?!/)[^\s\"'<>]*)$")

FIELDS = (
    "municipality",
    "logo_url",
    "contact_email",
    "contact_phone",
    "contact_url",
    "data_controller",
    "privacy_text",
    "privacy_text_en",
)


def get_site_settings(session: Session) -> SiteSettings:
    """The installation's settings; before an admin saves any, an unsaved blank row."""
    settings = session.scalar(select(SiteSettings).order_by(SiteSettings.id).limit(1))
    return settings if settings is not None else blank_site_settings()


def blank_site_settings() -> SiteSettings:
    """Settings with nothing filled in (never added to a session)."""
    return SiteSettings(**{name: "" for name in FIELDS})


@dataclass
class SiteForm:
    municipality: str
    logo_url: str
    contact_email: str
    contact_phone: str
    contact_url: str
    data_controller: str
    privacy_text: str
    privacy_text_en: str

    @classmethod
    def from_form(cls, form: Any) -> SiteForm:
        """Read the posted fields, trimmed."""
        return cls(**{name: str(form.get(name, "")).strip() for name in FIELDS})


def _problems(form: SiteForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 2 <= len(form.municipality) <= 120:
        errors["municipality"] = str(_l("Skriv kommunens navn (2–120 tegn)."))
    if not 2 <= len(form.data_controller) <= 200:
        errors["data_controller"] = str(_l("Skriv, hvem der er dataansvarlig (2–200 tegn)."))
    if form.contact_email and not (
        EMAIL.match(form.contact_email) and len(form.contact_email) <= 254
    ):
        errors["contact_email"] = str(_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."))
    if form.contact_phone and not PHONE.match(form.contact_phone):
        errors["contact_phone"] = str(_l("Skriv et telefonnummer med cifre, fx 33 66 33 66."))
    for name in ("logo_url", "contact_url"):
        value = getattr(form, name)
        if value and not (URL.match(value) and len(value) <= 500):
            errors[name] = str(_l("Skriv en adresse, der begynder med https:// eller /."))
    if not (form.contact_email or form.contact_phone or form.contact_url) and not errors.get(
        "contact_email"
    ):
        errors["contact_email"] = str(
            _l("Skriv mindst én måde at kontakte kommunen på: e-mail, telefon eller en side.")
        )
    if not 20 <= len(form.privacy_text) <= 20000:
        errors["privacy_text"] = str(_l("Skriv privatlivsteksten (mindst 20 tegn)."))
    if len(form.privacy_text_en) > 20000:
        errors["privacy_text_en"] = str(_l("Teksten er for lang (højst 20.000 tegn)."))
    return errors


def update_site_settings(
    session: Session, actor: User, now: datetime, form: SiteForm
) -> SiteSettings:
    """An admin changes who runs the site; every field is checked, and the change is audited."""
    errors = _problems(form)
    if errors:
        raise Invalid(errors)
    settings = session.scalar(select(SiteSettings).order_by(SiteSettings.id).limit(1))
    if settings is None:
        settings = SiteSettings(**{name: getattr(form, name) for name in FIELDS})
        session.add(settings)
        changed = list(FIELDS)
    else:
        changed = [n for n in FIELDS if getattr(settings, n) != getattr(form, n)]
        for name in changed:
            setattr(settings, name, getattr(form, name))
    settings.updated_at = now
    audit.record(
        session, "site.settings", "site_settings", now, actor=actor, detail=", ".join(changed)
    )
    session.commit()
    return settings


def paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines, for templates to show as paragraphs (autoescaped)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
