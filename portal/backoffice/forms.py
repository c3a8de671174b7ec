"""Reading form values for back-office commands: trimmed text, bounded numbers, ISO dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

Form = Mapping[str, str]
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def text(form: Form, name: str) -> str:
    """The field's text without surrounding blanks ('' when missing)."""
    return (form.get(name) or "").strip()


def optional(form: Form, name: str) -> str | None:
    """The field's text, or None when left empty."""
    return text(form, name) or None


def whole_number(
    form: Form, name: str, low: int, high: int, errors: dict[str, str], required: bool = True
) -> int | None:
    """A whole number between low and high; a message in errors otherwise."""
    raw = text(form, name)
    if not raw and not required:
        return None
    if raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    errors[name] = str(_l("Skriv et helt tal mellem %(low)d og %(high)d.", low=low, high=high))
    return None


def day(form: Form, name: str, errors: dict[str, str], required: bool = False) -> date | None:
    """A date written YYYY-MM-DD (what <input type=date> sends)."""
    raw = text(form, name)
    if not raw:
        if required:
            errors[name] = str(_l("Skriv en dato."))
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = str(_l("Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-03-14."))
        return None


def clock(form: Form, name: str, errors: dict[str, str]) -> time | None:
    """A time of day written HH:MM."""
    raw = text(form, name)
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        pass
    errors[name] = str(_l("Skriv klokkeslættet som TT:MM, fx 18:30."))
    return None


def copenhagen(on: date, at: time) -> datetime:
    """A local Danish date and time as an aware datetime (stored as UTC by the models)."""
    return datetime.combine(on, at, COPENHAGEN)


def web_address(form: Form, name: str, errors: dict[str, str]) -> str | None:
    """An http(s) address, or None when empty; other schemes (javascript: …) are refused."""
    raw = text(form, name)
    if not raw:
        return None
    if not raw.lower().startswith(("https://", "http://")) or len(raw) > 500 or " " in raw:
        errors[name] = str(_l("Skriv en fuld webadresse, der begynder med https://."))
        return None
    return raw
