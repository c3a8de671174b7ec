"""Paragraphs of a published version, and which published versions a recommendation has."""

from __future__ import annotations

import re

from ..models import Recommendation, RecommendationRevision

_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


def split_paragraphs(text: str) -> list[str]:
    """The text's paragraphs: blocks separated by blank lines, stripped, empty ones dropped.
    Paragraph n (1-based) of a revision is item n-1; a comment stores that n."""
    return [block.strip() for block in _BLANK_LINE.split(text or "") if block.strip()]


def public_revisions(rec: Recommendation) -> list[RecommendationRevision]:
    """The versions the public has seen ("Udkast 1", "Udkast 2", "Endelig"), oldest first."""
    return [r for r in rec.revisions if r.public_label]


def current_public_revision(rec: Recommendation) -> RecommendationRevision | None:
    """The version the public reads now (the newest published one)."""
    published = public_revisions(rec)
    return published[-1] if published else None
