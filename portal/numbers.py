"""Numbers typed by people or put in URLs: ASCII digits only, and never larger than a column holds."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest id the database holds on every backend (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1


def parse_int(raw: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """An integer from user input, or None: "²", "١", "-1", "1e3" and "99999999999999999999" are not."""
    text = "" if raw is None else str(raw).strip()
    if not text or len(text) > 12 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_ints(raws: list[Any]) -> list[int]:
    """The valid integers among several values (e.g. ticked checkboxes); others are dropped."""
    values = (parse_int(raw) for raw in raws)
    return [value for value in values if value is not None]


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: an id that fits the database, or the route does not match (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
