"""The demo seed: three assemblies from public facts and one account per role (idempotent)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AnswerStatus,
    Assembly,
    AssemblyStatus,
    ChosenBy,
    CouncilAnswer,
    GroupMembership,
    ImplementationStatus,
    Material,
    MaterialKind,
    Meeting,
    MinoritySigner,
    MinorityStatement,
    Phase,
    PhaseKind,
    Post,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    Role,
    SiteSettings,
    SupportLevel,
    SupportVote,
    Thread,
    User,
    WorkingGroup,
)
from ..passwords import hash_password
from ..phases import local_date
from ..sanitize import markdown_to_html
from . import content as c
from . import pools, recorded, selection_phase

DEMO_PASSWORD = "demo-adgangskode"
DEMO_ACCOUNTS = [
    ("admin@example.org", "Administrator", Role.ADMIN, None),
    ("secretariat@example.org", "Sekretariatet", Role.SECRETARIAT, None),
    ("member@example.org", "Mette Medlem", Role.MEMBER, None),
    ("member2@example.org", "Mads Medlem", Role.MEMBER, None),
    ("lokaludvalg@example.org", "Østerbro Lokaludvalg", Role.COMMITTEE, "Østerbro Lokaludvalg"),
    ("council@example.org", "Teknik- og Miljøudvalget", Role.COUNCIL, None),
    ("resident@example.org", "Rasmus Borger", Role.RESIDENT, None),
]


def load_demo(session: Session, now: datetime | None = None, hash_kind: str = "argon2id") -> None:
    """Create the demo accounts and assemblies unless they exist; dates are relative to now."""
    now = now or datetime.now(UTC)
    today = local_date(now)
    users = _accounts(session, hash_kind)
    if session.scalar(select(SiteSettings.id)) is None:
        session.add(SiteSettings(**c.SITE))
    if (
        session.scalar(select(Assembly.id).where(Assembly.slug == c.MIDDELALDERBYEN["slug"]))
        is None
    ):
        _middelalderbyen(session, users["secretariat@example.org"])
    if session.scalar(select(Assembly.id).where(Assembly.slug == c.GROENT_BYLIV["slug"])) is None:
        _groent_byliv(session, today, users["member@example.org"], users["secretariat@example.org"])
    if session.scalar(select(Assembly.id).where(Assembly.slug == c.BAEREDYGTIGT["slug"])) is None:
        _baeredygtigt(session, today)
    session.flush()
    _groent_workspace(session, now, users)
    selection_phase.add_selection_phase_assembly(session, today)
    session.flush()


def _accounts(session: Session, hash_kind: str) -> dict[str, User]:
    users = {}
    for email, name, role, committee in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=name,
                role=role,
                committee_name=committee,
                password_hash=hash_password(DEMO_PASSWORD, hash_kind),
            )
            session.add(user)
        users[email] = user
    session.flush()
    return users


def _phases(assembly: Assembly, start: date, lengths: list[tuple[PhaseKind, int]]) -> None:
    day = start
    for kind, days in lengths:
        assembly.phases.append(
            Phase(kind=kind, starts_on=day, ends_on=day + timedelta(days=days - 1))
        )
        day += timedelta(days=days)


def _recommendation(
    number: int,
    title: str,
    text: str,
    status: RecommendationStatus,
    label: str,
    when: datetime,
    author: User | None = None,
) -> Recommendation:
    rec = Recommendation(
        number=number, title=title, text=text, status=status, created_at=when, updated_at=when
    )
    rec.revisions.append(
        RecommendationRevision(
            title=title,
            text=text,
            message="Første udkast",
            public_label=label,
            created_at=when,
            author=author,
        )
    )
    return rec


def _middelalderbyen(session: Session, secretariat: User) -> None:
    assembly = Assembly(
        status=AssemblyStatus.CONCLUDED,
        answer_due=date(2020, 6, 30),
        illustrative_note=c.ILLUSTRATIVE,
        **c.MIDDELALDERBYEN,
    )
    _phases(
        assembly,
        date(2019, 5, 1),
        [
            (PhaseKind.RECRUITMENT, 45),
            (PhaseKind.SELECTION, 14),
            (PhaseKind.LEARNING, 30),
            (PhaseKind.DELIBERATION, 30),
            (PhaseKind.DRAFTING, 30),
            (PhaseKind.FINAL, 14),
            (PhaseKind.COUNCIL_ANSWER, 120),
            (PhaseKind.FOLLOW_UP, 540),
        ],
    )
    session.add(assembly)
    members = recorded.drawn_members(
        session,
        assembly,
        pools.MIDDELALDERBYEN_QUOTAS,
        240,
        "4 1 6 3 2 5 (terninger, 28. juni 2019)",
        secretariat,
        datetime(2019, 6, 28, 14, tzinfo=UTC),
        district_key="Bydel",
    )
    for i, (title, place) in enumerate(c.MIDDELALDERBYEN_MEETINGS, start=1):
        start = datetime.combine(date(2019, 8, 31) + timedelta(weeks=3 * (i - 1)), time(8), UTC)
        assembly.meetings.append(
            Meeting(
                number=i,
                title=title,
                place=place,
                starts_at=start,
                ends_at=start + timedelta(hours=7),
                agenda=f"Program for møde {i}: {title.lower()}.",
                minutes="Referat offentliggjort efter mødet.",
            )
        )
    for title, kind, chosen, source in c.MIDDELALDERBYEN_MATERIALS:
        assembly.materials.append(
            Material(
                title=title,
                kind=MaterialKind(kind),
                chosen_by=ChosenBy(chosen),
                source=source,
                summary=f"{title}. Materialet blev gennemgået på et møde.",
                published_on=date(2019, 9, 15),
            )
        )
    handed_over = datetime(2019, 11, 30, 12, tzinfo=UTC)
    for number, row in enumerate(c.MIDDELALDERBYEN_RECOMMENDATIONS, start=1):
        title, text, answer, answer_text, yes, live, no = row
        rec = _recommendation(
            number, title, text, RecommendationStatus.FINAL, "Endelig", handed_over
        )
        rec.support_count, rec.can_live_with_count, rec.cannot_support_count = yes, live, no
        rec.answer = CouncilAnswer(
            status=AnswerStatus(answer),
            text=answer_text,
            decided_by="Teknik- og Miljøudvalget",
            decided_on=date(2020, 3, 2),
            due_on=date(2020, 6, 30),
            implementation=ImplementationStatus.IN_PROGRESS
            if answer in ("adopted", "adopted_later", "partly")
            else ImplementationStatus.NOT_STARTED,
        )
        if number in c.MIDDELALDERBYEN_MINORITY:
            statement = MinorityStatement(
                text=c.MIDDELALDERBYEN_MINORITY[number], published_at=handed_over
            )
            statement.signers = [MinoritySigner(member=m) for m in members[: no or 2]]
            rec.minority_statements.append(statement)
        assembly.recommendations.append(rec)
    session.add(assembly)


def _groent_byliv(session: Session, today: date, member_user: User, secretariat: User) -> None:
    assembly = Assembly(
        status=AssemblyStatus.ACTIVE,
        answer_due=today + timedelta(days=150),
        illustrative_note=c.ILLUSTRATIVE,
        **c.GROENT_BYLIV,
    )
    _phases(
        assembly,
        today - timedelta(days=150),
        [
            (PhaseKind.RECRUITMENT, 30),
            (PhaseKind.SELECTION, 10),
            (PhaseKind.LEARNING, 35),
            (PhaseKind.DELIBERATION, 35),
            (PhaseKind.DRAFTING, 30),
            (PhaseKind.PUBLIC_COMMENT, 31),
            (PhaseKind.FINAL, 21),
            (PhaseKind.COUNCIL_ANSWER, 60),
            (PhaseKind.FOLLOW_UP, 365),
        ],
    )
    session.add(assembly)
    drawn_at = datetime.combine(today - timedelta(days=115), time(14), UTC)
    members = recorded.drawn_members(
        session,
        assembly,
        pools.GROENT_QUOTAS,
        150,
        "2 2 5 6 1 4 (terninger)",
        secretariat,
        drawn_at,
        district_key="Område",
    )
    members[0].user = member_user
    members[0].first_name, members[0].last_name = "Mette", "Medlem"
    first = today - timedelta(days=110)
    for i in range(1, 5):
        start = datetime.combine(first + timedelta(weeks=3 * (i - 1)), time(9), UTC)
        assembly.meetings.append(
            Meeting(
                number=i,
                title=f"Møde {i}",
                place="Østerbrohuset",
                starts_at=start,
                ends_at=start + timedelta(hours=6),
                agenda="Oplæg, gruppedrøftelser og opsamling.",
            )
        )
    assembly.materials.append(
        Material(
            title="Grønne byrum på Østerbro i tal",
            kind=MaterialKind.REPORT,
            chosen_by=ChosenBy.ORGANISERS,
            source="Teknik- og Miljøforvaltningen",
            summary="Kortlægning af træer, gårde og pladser.",
        )
    )
    published = datetime.combine(today - timedelta(days=4), time(10), UTC)
    levels = [SupportLevel.SUPPORT] * 3 + [SupportLevel.CAN_LIVE_WITH, SupportLevel.CANNOT_SUPPORT]
    for number, (title, text) in enumerate(c.GROENT_RECOMMENDATIONS, start=1):
        rec = _recommendation(
            number, title, text, RecommendationStatus.DRAFT, "Udkast 1", published, member_user
        )
        assembly.recommendations.append(rec)
        if number in c.GROENT_MINORITY:
            statement = MinorityStatement(text=c.GROENT_MINORITY[number], published_at=published)
            statement.signers = [MinoritySigner(member=m) for m in members[-3:]]
            rec.minority_statements.append(statement)
    session.add(assembly)
    session.flush()
    for rec in assembly.recommendations:
        for i, member in enumerate(members):
            session.add(
                SupportVote(
                    recommendation_id=rec.id,
                    member_id=member.id,
                    level=levels[(i + rec.number) % len(levels)],
                )
            )


def _groent_workspace(session: Session, now: datetime, users: dict[str, User]) -> None:
    """The members' workspace: a second member account, a group, threads, an unpublished edit."""
    assembly = session.scalar(select(Assembly).where(Assembly.slug == c.GROENT_BYLIV["slug"]))
    if assembly is None or len(assembly.members) < 2:
        return
    second = assembly.members[1]
    if second.user_id is None:
        second.user = users["member2@example.org"]
        second.first_name, second.last_name = "Mads", "Medlem"
    if session.scalar(select(Thread.id).where(Thread.assembly_id == assembly.id)) is not None:
        return
    mette, mads = users["member@example.org"], users["member2@example.org"]
    facilitator = users["secretariat@example.org"]
    meeting = assembly.meetings[-1] if assembly.meetings else None
    group = WorkingGroup(
        assembly_id=assembly.id, meeting=meeting, name=c.GROENT_GROUP, created_at=now
    )
    group.memberships = [GroupMembership(member=m) for m in assembly.members[:6]]
    session.add(group)
    for i, (title, posts, for_group, pinned) in enumerate(c.GROENT_THREADS):
        when = now - timedelta(days=6 - i, hours=3)
        thread = Thread(
            assembly_id=assembly.id,
            group=group if for_group else None,
            author=facilitator,
            title=title,
            pinned=pinned,
            closed=False,
            post_count=0,
            created_at=when,
            last_post_at=when,
        )
        session.add(thread)
        for j, text in enumerate(posts):
            at = when + timedelta(minutes=40 * j)
            author = (facilitator, mette, mads)[j % 3]
            thread.posts.add(
                Post(author=author, text=text, text_html=markdown_to_html(text), created_at=at)
            )
            thread.post_count += 1
            thread.last_post_at = at
    first = assembly.recommendations[0] if assembly.recommendations else None
    if first is not None and len(first.revisions) == 1:
        title, text, message = c.GROENT_REVISION
        first.revisions.append(
            RecommendationRevision(
                parent_id=first.revisions[0].id,
                author=mads,
                title=title,
                text=text,
                message=message,
                created_at=now - timedelta(days=1),
            )
        )


def _baeredygtigt(session: Session, today: date) -> None:
    assembly = Assembly(status=AssemblyStatus.ACTIVE, answer_due=None, **c.BAEREDYGTIGT)
    for i, (place, weeks) in enumerate(
        [
            ("Odense Rådhus", 10),
            ("Christiansborg, Landstingssalen", 13),
            ("Odense Rådhus", 16),
            ("Københavns Rådhus", 19),
            ("Christiansborg, Landstingssalen", 22),
        ],
        start=1,
    ):
        start = datetime.combine(today + timedelta(weeks=weeks), time(9), UTC)
        assembly.meetings.append(
            Meeting(
                number=i,
                title=f"Weekendmøde {i}",
                place=place,
                starts_at=start,
                ends_at=start + timedelta(hours=7),
                agenda="Program følger.",
            )
        )
    _phases(
        assembly,
        today - timedelta(days=14),
        [
            (PhaseKind.RECRUITMENT, 45),
            (PhaseKind.SELECTION, 14),
            (PhaseKind.LEARNING, 42),
            (PhaseKind.DELIBERATION, 42),
            (PhaseKind.DRAFTING, 28),
            (PhaseKind.PUBLIC_COMMENT, 21),
            (PhaseKind.FINAL, 14),
            (PhaseKind.COUNCIL_ANSWER, 90),
            (PhaseKind.FOLLOW_UP, 365),
        ],
    )
    session.add(assembly)
    session.flush()
    pools.add_quotas(session, assembly, pools.BAEREDYGTIGT_QUOTAS)
    opened = datetime.combine(today - timedelta(days=14), time(8), UTC)
    pools.add_pool(
        session,
        assembly,
        pools.BAEREDYGTIGT_QUOTAS,
        320,
        random.Random(66),
        opened,
        region_key="Region",
    )


def demo_summary(session: Session) -> dict[str, Any]:
    """Counts a person can check after seeding."""
    return {
        a.slug: {"members": len(a.members), "recommendations": len(a.recommendations)}
        for a in session.scalars(select(Assembly)).all()
    }
