"""CSV readers for quotas (three header dialects) and respondents, with precise errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import SelectionInputError
from .model import Instance, Person, Quota

# The three quota headers in use: Nature 2021 replication data, and the Sortition
# Foundation's current and older headers. Each maps to (category, value) columns.
QUOTA_HEADERS: tuple[tuple[str, str], ...] = (
    ("category", "feature"),
    ("feature", "value"),
    ("category", "name"),
)
POPULATION_COLUMN = "population_share"


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number, cells) for each non-blank row; BOM tolerated."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SelectionInputError(f"cannot open file: {exc.strerror}", file=str(path)) from None
    with handle:
        reader = csv.reader(handle)
        line = 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield line, [c.strip() for c in cells]
                line = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as exc:
            raise SelectionInputError(
                f"not a readable CSV file: {exc}", file=str(path), line=line
            ) from None


def _int_cell(raw: str, *, file: str, line: int, column: str) -> int:
    """Parse a non-negative integer cell."""
    try:
        value = int(raw)
    except ValueError:
        raise SelectionInputError(
            f"expected a whole number, got {raw!r}", file=file, line=line, column=column
        ) from None
    if value < 0:
        raise SelectionInputError(
            f"must not be negative, got {value}", file=file, line=line, column=column
        )
    return value


def read_quotas(path: str | Path) -> tuple[Quota, ...]:
    """Read a quota CSV in any of the three headers; min <= max, no duplicate values."""
    path = Path(path)
    file = str(path)
    rows = _rows(path)
    try:
        _, header = next(rows)
    except StopIteration:
        raise SelectionInputError("the quota file is empty", file=file, line=1) from None
    lower = [h.lower() for h in header]
    dialect = next((d for d in QUOTA_HEADERS if d[0] in lower and d[1] in lower), None)
    if dialect is None:
        expected = " or ".join(f"{a},{b},min,max" for a, b in QUOTA_HEADERS)
        raise SelectionInputError(f"unknown header; expected {expected}", file=file, line=1)
    for needed in ("min", "max"):
        if needed not in lower:
            raise SelectionInputError(
                f"missing column {needed!r}", file=file, line=1, column=needed
            )
    cat_i, val_i = lower.index(dialect[0]), lower.index(dialect[1])
    min_i, max_i = lower.index("min"), lower.index("max")
    pop_i = lower.index(POPULATION_COLUMN) if POPULATION_COLUMN in lower else None
    quotas: list[Quota] = []
    seen: set[tuple[str, str]] = set()
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        cat, val = cells[cat_i], cells[val_i]
        for idx, what in ((cat_i, cat), (val_i, val)):
            if not what:
                raise SelectionInputError("empty cell", file=file, line=line, column=header[idx])
        lo = _int_cell(cells[min_i], file=file, line=line, column=header[min_i])
        hi = _int_cell(cells[max_i], file=file, line=line, column=header[max_i])
        if lo > hi:
            raise SelectionInputError(
                f"min {lo} is greater than max {hi} for {cat} {val}",
                file=file,
                line=line,
                column=header[min_i],
            )
        if (cat, val) in seen:
            raise SelectionInputError(
                f"duplicate quota for {cat} {val}", file=file, line=line, column=header[val_i]
            )
        seen.add((cat, val))
        share = _share(cells[pop_i], file, line, header[pop_i]) if pop_i is not None else None
        quotas.append(Quota(cat, val, lo, hi, share))
    if not quotas:
        raise SelectionInputError("the quota file has no quota rows", file=file, line=2)
    return tuple(quotas)


def _share(raw: str, file: str, line: int, column: str) -> float | None:
    """Population share as a fraction in [0, 1]; blank means unknown."""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise SelectionInputError(
            f"population share must be a fraction between 0 and 1, got {raw!r}",
            file=file,
            line=line,
            column=column,
        )
    return value


def read_respondents(
    path: str | Path,
    quotas: Sequence[Quota],
    *,
    address_columns: Sequence[str] = (),
) -> tuple[Person, ...]:
    """Read the pool: every quota category is a column, every value is a known quota value."""
    path = Path(path)
    file = str(path)
    rows = _rows(path)
    try:
        _, header = next(rows)
    except StopIteration:
        raise SelectionInputError("the respondents file is empty", file=file, line=1) from None
    values: dict[str, set[str]] = {}
    for q in quotas:
        values.setdefault(q.category, set()).add(q.value)
    for needed in [*values, *address_columns]:
        if needed not in header:
            raise SelectionInputError(
                f"missing column {needed!r} (columns are: {', '.join(header)})",
                file=file,
                line=1,
                column=needed,
            )
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise SelectionInputError("duplicate column", file=file, line=1, column=dup)
    id_i = header.index("id") if "id" in header else None
    people: list[Person] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) > len(header):
            raise SelectionInputError(
                f"row has {len(cells)} cells but the header has {len(header)}", file=file, line=line
            )
        cells = cells + [""] * (len(header) - len(cells))
        record = dict(zip(header, cells, strict=True))
        pid = record["id"] if id_i is not None else str(len(people))
        if not pid:
            raise SelectionInputError("empty id", file=file, line=line, column="id")
        if pid in seen:
            raise SelectionInputError(
                f"duplicate id {pid!r} (first on line {seen[pid]})",
                file=file,
                line=line,
                column="id",
            )
        seen[pid] = line
        features: dict[str, str] = {}
        for cat, allowed in values.items():
            val = record[cat]
            if val not in allowed:
                raise SelectionInputError(
                    f"unknown value {val!r}; the quotas know {', '.join(sorted(allowed))}",
                    file=file,
                    line=line,
                    column=cat,
                )
            features[cat] = val
        address = tuple(record[c] for c in address_columns) if address_columns else None
        extra = {h: record[h] for h in header if h not in values and h != "id"}
        people.append(Person(pid, features, address, extra))
    if not people:
        raise SelectionInputError("the pool is empty: no respondents", file=file, line=2)
    return tuple(people)


def load_instance(
    quotas_path: str | Path,
    respondents_path: str | Path,
    k: int,
    *,
    address_columns: Sequence[str] = (),
) -> Instance:
    """Read both files and check the panel size against the pool."""
    quotas = read_quotas(quotas_path)
    people = read_respondents(respondents_path, quotas, address_columns=address_columns)
    if k <= 0:
        raise SelectionInputError(f"panel size must be positive, got {k}")
    return Instance(people, quotas, k, household_rule=bool(address_columns))
