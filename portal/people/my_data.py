"""Download my data: everything the portal holds about an account, as JSON and as CSV.

`collect` is the one place that gathers it; a new kind of personal data (replies, consultation
responses …) is added there and appears in both downloads.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import csvsafe
from ..models import Assembly, Comment, Member, Recommendation, User
from .facilitators import facilitated_by
from .organisations import organisations_of
from .staff import bodies_of


def _when(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def collect(session: Session, user: User) -> dict[str, Any]:
    """The account's fields, roles, relations and everything it wrote, as plain data."""
    memberships = session.execute(
        select(Member, Assembly)
        .join(Assembly, Assembly.id == Member.assembly_id)
        .where(Member.user_id == user.id)
        .order_by(Assembly.slug)
    ).all()
    comments = session.execute(
        select(Comment, Recommendation, Assembly)
        .join(Recommendation, Recommendation.id == Comment.recommendation_id)
        .join(Assembly, Assembly.id == Recommendation.assembly_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "district": user.district,
            "email_verified_at": _when(user.email_verified_at),
            "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at),
        },
        "roles": sorted(str(r) for r in user.roles),
        "memberships": [
            {"assembly": a.slug, "name": f"{m.first_name} {m.last_name}", "status": str(m.status)}
            for m, a in memberships
        ],
        "facilitates": [a.slug for a in facilitated_by(session, user)],
        "organisations": [o.name for o in organisations_of(session, user)],
        "council_bodies": [b.name for b in bodies_of(session, user)],
        "comments": [
            {
                "id": c.id,
                "assembly": a.slug,
                "recommendation": r.number,
                "recommendation_title": r.title,
                "text": c.text,
                "status": str(c.status),
                "created_at": _when(c.created_at),
            }
            for c, r, a in comments
        ],
    }


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data: dict[str, Any]) -> str:
    """One row per value: section, item (the comment's id, the list's position), field, value."""
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(["section", "item", "field", "value"])
    for field, value in data["account"].items():
        writer.writerow(["account", "", field, value])
    for section in ("roles", "facilitates", "organisations", "council_bodies"):
        for index, value in enumerate(data[section], start=1):
            writer.writerow([section, index, "", value])
    for index, membership in enumerate(data["memberships"], start=1):
        for field, value in membership.items():
            writer.writerow(["memberships", index, field, value])
    for comment in data["comments"]:
        for field, value in comment.items():
            if field != "id":
                writer.writerow(["comments", comment["id"], field, value])
    return out.getvalue()
