"""Plain factories for the response ledger's tests: an assembly of its own with two published
drafts of one recommendation, a facilitator, a member, residents' comments and a response."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from portal.models import (
    Assembly,
    AssemblyStatus,
    Comment,
    CommentStatus,
    ConsultationResponse,
    DisplayConsent,
    Facilitator,
    Member,
    MemberStatus,
    ModerationReason,
    Organisation,
    OrganisationKind,
    OrganisationPerson,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    ResponsePosition,
    User,
)
from portal.passwords import hash_password

PASSWORD = "demo-adgangskode"  # noqa: S105 - test accounts
T0 = datetime(2026, 10, 1, 10, tzinfo=UTC)


@dataclass
class Setup:
    assembly: Assembly
    rec: Recommendation
    draft1: RecommendationRevision
    draft2: RecommendationRevision
    facilitator: User
    member: User
    residents: list[User] = field(default_factory=list)
    organisation: Organisation | None = None
    org_person: User | None = None


def user(db: Session, name: str, email: str | None = None) -> User:
    account = User(
        email=email or f"{uuid.uuid4().hex[:10]}@ledger.example.org",
        display_name=name,
        password_hash=hash_password(PASSWORD, "fast"),
    )
    db.add(account)
    db.flush()
    return account


def setup(db: Session, residents: int = 3) -> Setup:
    """An active assembly whose recommendation 1 was published as Udkast 1 and Udkast 2."""
    slug = "ledger-" + uuid.uuid4().hex[:8]
    assembly = Assembly(
        slug=slug,
        title="Ledger-testforsamling",
        remit="Hvordan?",
        commissioned_by="Udvalget",
        operator="Proceslederen",
        seats=24,
        municipality="Testkommune",
        status=AssemblyStatus.ACTIVE,
    )
    rec = Recommendation(
        number=1,
        title="Flere træer",
        text="Vi vil have flere træer.",
        status=RecommendationStatus.DRAFT,
    )
    draft1 = RecommendationRevision(
        title=rec.title, text="Vi vil have træer.", public_label="Udkast 1", created_at=T0
    )
    rec.revisions.append(draft1)
    assembly.recommendations.append(rec)
    db.add(assembly)
    db.flush()
    draft2 = RecommendationRevision(
        recommendation_id=rec.id,
        parent_id=draft1.id,
        title=rec.title,
        text="Vi vil have flere træer og bænke.",
        public_label="Udkast 2",
        created_at=T0 + timedelta(days=10),
    )
    db.add(draft2)
    facilitator = user(db, "Frida Facilitator")
    member = user(db, "Mona Medlem")
    db.add(Facilitator(assembly_id=assembly.id, user_id=facilitator.id))
    db.add(
        Member(
            assembly_id=assembly.id,
            user_id=member.id,
            first_name="Mona",
            last_name="Medlem",
            district="Østerbro",
            consent=DisplayConsent.HIDDEN,
            status=MemberStatus.ACTIVE,
        )
    )
    db.flush()
    people = [user(db, f"Beboer {i}") for i in range(residents)]
    return Setup(assembly, rec, draft1, draft2, facilitator, member, people)


def comment(
    db: Session,
    s: Setup,
    author: User | None,
    text: str,
    *,
    revision: RecommendationRevision | None = None,
    paragraph: int | None = None,
    parent: Comment | None = None,
    hidden: bool = False,
    when: datetime | None = None,
) -> Comment:
    row = Comment(
        recommendation_id=s.rec.id,
        revision_id=(revision or s.draft1).id,
        paragraph=paragraph,
        parent_id=parent.id if parent else None,
        author_id=author.id if author else None,
        text=text,
        text_html=text,
        status=CommentStatus.HIDDEN if hidden else CommentStatus.VISIBLE,
        moderation_reason=ModerationReason.PERSONAL_ATTACK if hidden else None,
        moderation_note="Groft sprog" if hidden else "",
        created_at=when or T0 + timedelta(days=1),
    )
    db.add(row)
    db.flush()
    return row


def response(
    db: Session, s: Setup, text: str, district: str = "Nørrebro", whole: bool = False
) -> ConsultationResponse:
    if s.organisation is None:
        s.organisation = Organisation(
            name="Lokaludvalg " + uuid.uuid4().hex[:6],
            kind=OrganisationKind.LOKALUDVALG,
            district=district,
            verified=True,
        )
        db.add(s.organisation)
        s.org_person = user(db, "Olga Organisation")
        db.flush()
        db.add(OrganisationPerson(organisation_id=s.organisation.id, user_id=s.org_person.id))
    row = ConsultationResponse(
        assembly_id=s.assembly.id,
        recommendation_id=None if whole else s.rec.id,
        revision_id=None if whole else s.draft1.id,
        organisation_id=s.organisation.id,
        author_id=s.org_person.id if s.org_person else None,
        title="Vores høringssvar",
        position=ResponsePosition.SUPPORTS_WITH_CHANGES,
        text=text,
        text_html=text,
        created_at=T0 + timedelta(days=2),
    )
    db.add(row)
    db.flush()
    return row
