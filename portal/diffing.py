"""Word-level diffs and a cautious three-way merge of texts (pure functions, no HTML).

A diff is a list of (op, text) segments with op in "equal", "insert", "delete"; templates
render them as <ins>/<del> with autoescaping, so user text never becomes markup here.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
Segment = tuple[Op, str]

# A word or a punctuation mark with the whitespace after it (so shared spaces never split a
# changed passage into pieces); joining the tokens gives the text back exactly.
_TOKEN = re.compile(r"\s+|\w+\s*|[^\w\s]\s*", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[Segment]:
    """What changed from old to new, word by word, as merged segments."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []

    def add(op: Op, words: list[str]) -> None:
        if not words:
            return
        text = "".join(words)
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def has_changes(segments: list[Segment]) -> bool:
    return any(op != "equal" for op, _ in segments)


_Change = tuple[int, int, list[str]]


def _changes(base: list[str], other: list[str]) -> list[_Change]:
    return [
        (i1, i2, other[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes()
        if tag != "equal"
    ]


def _clash(x: _Change, y: _Change) -> bool:
    """Two edits of the same base touch the same words (or insert at the same place)."""
    (a1, a2, _), (b1, b2, _) = x, y
    if a1 == b1:
        return True
    if a1 == a2:  # x inserts: a clash when it lands strictly inside what y replaces
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def merge3(base: str, ours: str, theirs: str) -> str | None:
    """Both sides' edits of base applied together, or None when they touch the same words."""
    b = tokens(base)
    mine, other = _changes(b, tokens(ours)), _changes(b, tokens(theirs))
    combined: list[_Change] = list(mine)
    for change in other:
        same = [m for m in mine if m == change]
        if same:
            continue  # both made the identical edit
        if any(_clash(change, m) for m in mine):
            return None
        combined.append(change)
    combined.sort(key=lambda c: (c[0], c[1]))
    out: list[str] = []
    position = 0
    for start, end, replacement in combined:
        out.extend(b[position:start])
        out.extend(replacement)
        position = end
    out.extend(b[position:])
    return "".join(out)
