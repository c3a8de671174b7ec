"""Each person's start page after login: the work waiting for them, whatever they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..consultation.ledger import untreated_counts
from ..consultation.responses import can_edit_response
from ..models import (
    AnswerStatus,
    Assembly,
    Comment,
    ConsultationResponse,
    CouncilAnswer,
    Member,
    MemberStatus,
    Organisation,
    Recommendation,
    RecommendationStatus,
    Registrant,
    RegistrantStatus,
    Role,
    RunStatus,
    SelectionRun,
    Thread,
    User,
)
from ..phases import Feature, allows
from .facilitators import facilitated_by
from .organisations import organisations_of
from .staff import bodies_of

OPEN_DRAFTS = (RecommendationStatus.WORKING, RecommendationStatus.DRAFT)


@dataclass
class Workplace:
    """An assembly whose workspace this person may enter."""

    assembly: Assembly
    as_facilitator: bool
    open_drafts: int
    drafts: list[Recommendation] = field(default_factory=list)  # members' assemblies only
    threads: list[Thread] = field(default_factory=list)
    untreated: int = 0  # input without a recorded disposition (facilitators' to-do)
    stay_informed: bool = False  # a member asked for e-mails about the council's answers


@dataclass
class ToDo:
    """An assembly as the secretariat sees it: what needs doing."""

    assembly: Assembly
    registered: int
    awaiting_answer: int  # drawn people who have not confirmed or declined
    seed_due: bool  # a computed lottery waits for the public seed
    untreated: int  # comment threads and responses without a recorded disposition

    @property
    def anything(self) -> bool:
        return bool(self.registered or self.awaiting_answer or self.seed_due or self.untreated)


@dataclass
class Awaiting:
    """A final recommendation the council has not answered yet."""

    recommendation: Recommendation
    due: date | None


@dataclass
class FiledResponse:
    """A høringssvar an organisation filed, and whether this person may still change it."""

    response: ConsultationResponse
    assembly: Assembly
    editable: bool


@dataclass
class OrganisationWork:
    organisation: Organisation
    drafts: list[Recommendation]
    filed: list[FiledResponse] = field(default_factory=list)


@dataclass
class StartPage:
    workplaces: list[Workplace] = field(default_factory=list)
    todos: list[ToDo] = field(default_factory=list)
    awaiting: list[Awaiting] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    organisations: list[OrganisationWork] = field(default_factory=list)
    signups: list[tuple[Registrant, Assembly]] = field(default_factory=list)
    is_council: bool = False
    comments: list[Comment] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.workplaces
            or self.todos
            or self.awaiting
            or self.organisations
            or self.signups
            or self.comments
            or self.bodies
        )


def _member_workplace(session: Session, assembly: Assembly, stay_informed: bool) -> Workplace:
    drafts = session.scalars(
        select(Recommendation)
        .where(Recommendation.assembly_id == assembly.id, Recommendation.status.in_(OPEN_DRAFTS))
        .order_by(Recommendation.number)
    ).all()
    threads = session.scalars(
        select(Thread)
        .where(Thread.assembly_id == assembly.id, Thread.closed.is_(False))
        .order_by(Thread.last_post_at.desc())
        .limit(5)
    ).all()
    return Workplace(
        assembly, False, len(drafts), list(drafts), list(threads), stay_informed=stay_informed
    )


def workplaces(session: Session, user: User) -> list[Workplace]:
    """Assemblies where the user is an active member (with open drafts and threads) or a
    facilitator (with a count of open drafts, in one query however many they facilitate)."""
    member_of = session.execute(
        select(Assembly, Member.stay_informed)
        .join(Member, Member.assembly_id == Assembly.id)
        .where(Member.user_id == user.id, Member.status == MemberStatus.ACTIVE)
        .order_by(Assembly.title)
    ).all()
    places = [_member_workplace(session, a, informed) for a, informed in member_of]
    seen = {a.id for a, _informed in member_of}
    facilitated = [a for a in facilitated_by(session, user) if a.id not in seen]
    if facilitated:
        counts = {
            a: n
            for a, n in session.execute(
                select(Recommendation.assembly_id, func.count())
                .where(
                    Recommendation.assembly_id.in_([a.id for a in facilitated]),
                    Recommendation.status.in_(OPEN_DRAFTS),
                )
                .group_by(Recommendation.assembly_id)
            ).all()
        }
        untreated = untreated_counts(session, [a.id for a in facilitated])
        places += [
            Workplace(a, True, counts.get(a.id, 0), untreated=untreated.get(a.id, 0))
            for a in facilitated
        ]
    return places


def _counts(session: Session, status: RegistrantStatus) -> dict[int, int]:
    rows = session.execute(
        select(Registrant.assembly_id, func.count())
        .where(Registrant.status == status)
        .group_by(Registrant.assembly_id)
    ).all()
    return {a: n for a, n in rows}


def secretariat_todos(session: Session) -> list[ToDo]:
    """Every assembly with its registrations, drawn people waiting, seeds due and untreated input."""
    registered = _counts(session, RegistrantStatus.REGISTERED)
    drawn = _counts(session, RegistrantStatus.DRAWN)
    ready = set(
        session.scalars(
            select(SelectionRun.assembly_id).where(SelectionRun.status == RunStatus.READY)
        )
    )
    assemblies = session.scalars(select(Assembly).order_by(Assembly.status, Assembly.title)).all()
    untreated = untreated_counts(session, [a.id for a in assemblies])
    return [
        ToDo(a, registered.get(a.id, 0), drawn.get(a.id, 0), a.id in ready, untreated.get(a.id, 0))
        for a in assemblies
    ]


def council_awaiting(session: Session) -> list[Awaiting]:
    """Final recommendations without an answer (none, or still pending), soonest due first."""
    recs = session.scalars(
        select(Recommendation)
        .outerjoin(CouncilAnswer, CouncilAnswer.recommendation_id == Recommendation.id)
        .where(
            Recommendation.status == RecommendationStatus.FINAL,
            or_(CouncilAnswer.id.is_(None), CouncilAnswer.status == AnswerStatus.PENDING),
        )
        .options(selectinload(Recommendation.assembly), selectinload(Recommendation.answer))
    ).all()
    items = [Awaiting(r, r.assembly.answer_due) for r in recs]
    return sorted(items, key=lambda i: (i.due or date.max, i.recommendation.id))


def _in_district(assembly: Assembly, district: str) -> bool:
    """Assemblies do not list districts yet: match the district's name in the assembly's area."""
    if not district:
        return True
    words = " ".join(
        [assembly.title, assembly.summary, assembly.municipality, assembly.region or ""]
    ).casefold()
    return district.casefold() in words


def organisation_work(session: Session, user: User, today: date) -> list[OrganisationWork]:
    """Per organisation: published drafts open for its input in its district."""
    orgs = organisations_of(session, user)
    if not orgs:
        return []
    drafts = session.scalars(
        select(Recommendation)
        .where(Recommendation.status == RecommendationStatus.DRAFT)
        .options(selectinload(Recommendation.assembly).selectinload(Assembly.phases))
        .order_by(Recommendation.assembly_id, Recommendation.number)
    ).all()
    open_drafts = [r for r in drafts if allows(r.assembly, Feature.COMMITTEE_INPUT, today)]
    filed = filed_responses(session, user, [o.id for o in orgs], today)
    return [
        OrganisationWork(
            o,
            [r for r in open_drafts if _in_district(r.assembly, o.district)],
            [f for f in filed if f.response.organisation_id == o.id],
        )
        for o in orgs
    ]


def filed_responses(
    session: Session, user: User, organisation_ids: list[int], today: date, limit: int = 20
) -> list[FiledResponse]:
    """The organisations' latest responses; the person who filed one may change it while the
    round it was filed in is open."""
    rows = session.execute(
        select(ConsultationResponse, Assembly)
        .join(Assembly, Assembly.id == ConsultationResponse.assembly_id)
        .where(ConsultationResponse.organisation_id.in_(organisation_ids))
        .options(
            selectinload(Assembly.phases), selectinload(ConsultationResponse.recommendation)
        )
        .order_by(ConsultationResponse.created_at.desc())
        .limit(limit)
    ).all()
    result = []
    for response, assembly in rows:
        editable = can_edit_response(response, user, assembly, today)
        result.append(FiledResponse(response, assembly, editable))
    return result


def signups(session: Session, user: User) -> list[tuple[Registrant, Assembly]]:
    """The user's sign-ups for draws (matched by e-mail), while their data is kept."""
    rows = session.execute(
        select(Registrant, Assembly)
        .join(Assembly, Assembly.id == Registrant.assembly_id)
        .where(Registrant.email == user.email, Registrant.blanked_at.is_(None))
        .order_by(Registrant.created_at.desc())
    ).all()
    return [(r, a) for r, a in rows]


def recent_comments(session: Session, user: User) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.author_id == user.id)
            .order_by(Comment.created_at.desc())
            .limit(10)
        )
    )


def start_page(session: Session, user: User, today: date) -> StartPage:
    """Everything the user's roles and relations put on their start page."""
    page = StartPage(
        workplaces=workplaces(session, user),
        organisations=organisation_work(session, user, today),
        signups=signups(session, user),
        comments=recent_comments(session, user),
    )
    if user.has_role(Role.SECRETARIAT):
        page.todos = secretariat_todos(session)
    if Role.COUNCIL in user.roles:
        page.is_council = True
        page.awaiting = council_awaiting(session)
        page.bodies = [b.name for b in bodies_of(session, user)]
    return page
