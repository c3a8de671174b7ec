"""A recommendation's story, from draft to done, as dated events for its public timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import ImplementationStatus, Recommendation
from ..phases import local_date


@dataclass
class Event:
    on: date
    kind: str  # drafted, comment, final, handover, answered, amended, milestone, done, stopped
    data: dict[str, Any] = field(default_factory=dict)


def story(rec: Recommendation, comment_count: int, handover: Any) -> list[Event]:
    """Every public step of the recommendation in date order (stable for equal dates)."""
    events: list[Event] = []
    if rec.revisions:
        events.append(Event(local_date(rec.revisions[0].created_at), "drafted"))
    published = [r for r in rec.revisions if r.public_label]
    drafts = [r for r in published if not r.public_label or r.public_label != "Endelig"]
    for revision in drafts:
        events.append(
            Event(
                local_date(revision.created_at),
                "comment",
                {"label": revision.public_label, "comments": comment_count},
            )
        )
    final = next((r for r in published if r.public_label == "Endelig"), None)
    if final is not None:
        events.append(
            Event(
                local_date(final.created_at),
                "final",
                {
                    "support": rec.support_count or 0,
                    "total": rec.support_total,
                    "minority": len(rec.public_minority_statements),
                },
            )
        )
    if handover is not None:
        events.append(Event(handover.handed_over_on, "handover", {"handover": handover}))
    answer = rec.answer
    if answer is not None:
        for version in answer.versions:
            kind = "answered" if version.number == 1 else "amended"
            events.append(Event(local_date(version.published_at), kind, {"version": version}))
        for milestone in answer.milestones:
            if milestone.done_on:
                events.append(Event(milestone.done_on, "milestone", {"milestone": milestone}))
        last = answer.updates[-1] if answer.updates else None
        if last is not None and answer.implementation in (
            ImplementationStatus.DONE,
            ImplementationStatus.STOPPED,
        ):
            kind = "done" if answer.implementation == ImplementationStatus.DONE else "stopped"
            events.append(Event(local_date(last.created_at), kind, {"note": last.note}))
    return sorted(events, key=lambda e: e.on)
