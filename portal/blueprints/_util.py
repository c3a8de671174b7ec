"""Small helpers shared by the blueprints."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..errors import Invalid


def safe_next(target: str | None, default: str = "/") -> str:
    """Only redirect to a path on this site (never to another host).

    Browsers read a backslash as a slash ("/\\evil.example" is "//evil.example") and drop tabs
    and newlines, so targets holding either are refused too.
    """
    if not target:
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def require_confirmation(form: Any, message: str, field: str = "confirm") -> None:
    """An irreversible action goes ahead only with its "yes, I am sure" box ticked (works without JS)."""
    if form.get(field) != "yes":
        raise Invalid({field: message})
