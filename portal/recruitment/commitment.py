"""What a member commits to, in words for the sign-up and seat-offer e-mails."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _

from ..i18n import LOCALES
from ..models import Assembly


def long_date(day: date, language: str) -> str:
    """A date as e-mails write it ("12. juli 2019", "12 July 2019"); needs no app or request."""
    return format_date(day, "long", locale=LOCALES.get(language, "da"))


def _text(assembly: Assembly, attr: str, language: str) -> str:
    english = getattr(assembly, f"{attr}_en", None) if language == "en" else None
    return str(english or getattr(assembly, attr) or "").strip()


def commitment_lines(assembly: Assembly, language: str) -> list[str]:
    """Meetings, time, compensation, draw date, reply deadline and contact, as the assembly states
    them (call inside `mail.in_language(language)`); empty when none is set."""
    rows = [
        (_("Møder"), _text(assembly, "meeting_schedule", language)),
        (_("Tidsforbrug"), _text(assembly, "time_commitment", language)),
        (_("Honorar"), _text(assembly, "compensation", language)),
        (_("Lodtrækning"), long_date(assembly.draw_on, language) if assembly.draw_on else ""),
        (
            _("Svarfrist for de udtrukne"),
            long_date(assembly.reply_by, language) if assembly.reply_by else "",
        ),
        (_("Kontakt"), _text(assembly, "contact", language)),
    ]
    lines = [f"{label}: {value}" for label, value in rows if value]
    return ["", _("Hvis du bliver medlem:"), *lines] if lines else []
