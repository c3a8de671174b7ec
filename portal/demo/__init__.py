"""The demo seed: three assemblies from public facts and one account per role (idempotent)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import config
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
from . import (
    consultation,
    council,
    ledger,
    office,
    overdue,
    people,
    pools,
    recorded,
    selection_phase,
)
from . import content as c

DEMO_PASSWORD = "demo-adgangskode"
# (e-mail, name, staff role); members, the lokaludvalg and the council's body are relations
# (portal/demo/people.py).
DEMO_ACCOUNTS: list[tuple[str, str, Role | None]] = [
    ("admin@example.org", "Administrator", Role.ADMIN),
    ("secretariat@example.org", "Sekretariatet", Role.SECRETARIAT),
    ("member@example.org", "Mette Medlem", None),
    ("member2@example.org", "Mads Medlem", None),
    ("lokaludvalg@example.org", "Østerbro Lokaludvalg", None),
    ("council@example.org", "Camilla Forvaltning", Role.COUNCIL),
    ("resident@example.org", "Rasmus Borger", None),
]


def load_demo(
    session: Session,
    now: datetime | None = None,
    hash_kind: str = "argon2id",
    upload_dir: str | None = None,
) -> None:
    """Create the demo accounts and assemblies unless they exist; dates are relative to now.
    Materials' files are written under upload_dir (the configured UPLOAD_DIR by default)."""
    now = now or datetime.now(UTC)
    today = local_date(now)
    uploads = upload_dir or str(config.load()["UPLOAD_DIR"])
    users = _accounts(session, hash_kind, now)
    if session.scalar(select(SiteSettings.id)) is None:
        session.add(SiteSettings(**c.SITE))
    if (
        session.scalar(select(Assembly.id).where(Assembly.slug == c.MIDDELALDERBYEN["slug"]))
        is None
    ):
        _middelalderbyen(session, users["secretariat@example.org"], uploads)
    if session.scalar(select(Assembly.id).where(Assembly.slug == c.GROENT_BYLIV["slug"])) is None:
        _groent_byliv(session, today, users["member@example.org"], users["secretariat@example.org"])
        groent = session.scalar(select(Assembly).where(Assembly.slug == c.GROENT_BYLIV["slug"]))
        if groent is not None:
            office.groent_details(groent, uploads, today)
    if session.scalar(select(Assembly.id).where(Assembly.slug == c.BAEREDYGTIGT["slug"])) is None:
        _baeredygtigt(session, today)
    overdue.add_overdue_assembly(session, today, users["secretariat@example.org"], uploads)
    session.flush()
    _groent_workspace(session, now, users)
    selection_phase.add_selection_phase_assembly(session, today)
    session.flush()
    people.load_people(session, users)
    session.flush()
    consultation.add_comment_phase(
        session, users, now, hash_password(DEMO_PASSWORD, hash_kind), uploads
    )
    session.flush()
    middelalder = session.scalar(select(Assembly).where(Assembly.slug == c.MIDDELALDERBYEN["slug"]))
    if middelalder is not None:
        ledger.add_middelalderbyen_input(session, middelalder, users["secretariat@example.org"])
        session.flush()
    council.load_council(session, users, today)
    session.flush()


def _accounts(session: Session, hash_kind: str, now: datetime) -> dict[str, User]:
    users = {}
    for email, name, role in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=name,
                password_hash=hash_password(DEMO_PASSWORD, hash_kind),
                # Demo people have confirmed their addresses, so they can comment at once.
                email_verified_at=now,
                district="Østerbro" if role is None else "",
            )
            user.set_roles({role} if role else set())
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


# Middelalderbyen 2019 in a believable order: sign-up in May–June, the draw on 28 June, a summer
# break (a gap in the timeline), five Saturday meetings from 31 August, the handover at the last
# meeting on 23 November, the committee's answers on 2 March 2020 (due 17 weeks after handover).
MIDDELALDERBYEN_PHASES = [
    (PhaseKind.RECRUITMENT, date(2019, 5, 1), date(2019, 6, 14)),
    (PhaseKind.SELECTION, date(2019, 6, 15), date(2019, 7, 12)),
    (PhaseKind.LEARNING, date(2019, 8, 31), date(2019, 9, 27)),
    (PhaseKind.DELIBERATION, date(2019, 9, 28), date(2019, 10, 18)),
    (PhaseKind.DRAFTING, date(2019, 10, 19), date(2019, 11, 8)),
    (PhaseKind.FINAL, date(2019, 11, 9), date(2019, 11, 23)),
    (PhaseKind.COUNCIL_ANSWER, date(2019, 11, 24), date(2020, 3, 21)),
    (PhaseKind.FOLLOW_UP, date(2020, 3, 22), date(2021, 9, 30)),
]
MIDDELALDERBYEN_HANDOVER = datetime(2019, 11, 23, 13, tzinfo=UTC)
MIDDELALDERBYEN_ANSWER_WEEKS = 17


def _middelalderbyen(session: Session, secretariat: User, upload_dir: str) -> None:
    due = MIDDELALDERBYEN_HANDOVER.date() + timedelta(weeks=MIDDELALDERBYEN_ANSWER_WEEKS)
    assembly = Assembly(
        status=AssemblyStatus.CONCLUDED,
        answer_due=due,
        answer_weeks=MIDDELALDERBYEN_ANSWER_WEEKS,
        draw_on=date(2019, 6, 28),
        reply_by=date(2019, 7, 12),
        meeting_schedule="Fem lørdage kl. 10–17 mellem 31. august og 23. november 2019.",
        time_commitment="Cirka 35 timer plus forberedelse.",
        compensation="Forplejning og et gavekort for hver mødedag.",
        illustrative_note=c.ILLUSTRATIVE,
        **c.MIDDELALDERBYEN,
    )
    for kind, starts_on, ends_on in MIDDELALDERBYEN_PHASES:
        assembly.phases.append(Phase(kind=kind, starts_on=starts_on, ends_on=ends_on))
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
    office.middelalderbyen_meetings(assembly)
    office.middelalderbyen_materials(assembly, c.MIDDELALDERBYEN_MATERIALS, upload_dir)
    handed_over = MIDDELALDERBYEN_HANDOVER
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


ADDRESSES = {
    "Odense Rådhus": "Flakhaven 2, 5000 Odense C",
    "Christiansborg, Landstingssalen": "Prins Jørgens Gård 1, 1240 København K",
    "Københavns Rådhus": "Rådhuspladsen 1, 1550 København V",
}


def _baeredygtigt(session: Session, today: date) -> None:
    assembly = Assembly(
        status=AssemblyStatus.ACTIVE,
        answer_due=None,
        answer_weeks=13,
        draw_on=today + timedelta(days=35),
        reply_by=today + timedelta(days=45),
        meeting_schedule="Fem weekender (lørdag og søndag kl. 10–17) i Odense og København.",
        time_commitment="Omkring 70 timer i alt over fire måneder.",
        compensation="Et honorar pr. weekend; rejse, overnatning og børnepasning betales.",
        contact="Sekretariatet: borgersamling@example.org, tlf. 70 20 20 20 (hverdage 9–15).",
        **c.BAEREDYGTIGT,
    )
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
                address=ADDRESSES[place],
                accessibility="Niveaufri adgang og elevator. Sig til, hvis du har brug for tolk.",
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
