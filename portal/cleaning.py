"""What comes in from outside: NUL characters never reach the database.

PostgreSQL refuses NUL in text, and no person means one, so form fields and query arguments lose
them on arrival (the rest of what was typed is kept); a path containing one names nothing (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _clean(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, dict):
        return (
            (k, item)
            for k, v in mapping.items()
            for item in (v if isinstance(v, (list, tuple)) else [v])
        )
    return mapping  # type: ignore[no-any-return]


class NoNulMultiDict(ImmutableMultiDict[str, Any]):
    """Form fields and query arguments without NUL characters (in names or values)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(_clean(k), _clean(v)) for k, v in _pairs(mapping)])


class PortalRequest(Request):
    parameter_storage_class = NoNulMultiDict


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest

    @app.before_request
    def _no_nul_in_paths() -> None:
        if "\x00" in request.path:
            abort(404)
