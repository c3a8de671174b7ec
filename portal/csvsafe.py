"""CSV files a spreadsheet opens safely: a text cell that could start a formula gets a quote first.

Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula (and some strip a leading
tab or carriage return first), so a sign-up named `=HYPERLINK(...)` could act when the secretariat
opens an export (CSV injection). Every CSV the portal writes goes through `writer` here. Numbers
stay numbers: an int, a float or a text that is just a number (`-3`, `+1.5`) is written as it is,
so the draw's published inputs can still be read back by `python -m portal.selection`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> str | int | float:
    """The value as a CSV cell; text that a spreadsheet would run as a formula starts with '."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    if text.startswith(TRIGGERS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer that neutralises every cell it writes."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: IO[str], **options: Any) -> SafeWriter:
    """A CSV writer for `out` (options as for csv.writer) whose cells cannot become formulas."""
    return SafeWriter(out, **options)
