"""Demo input for the concluded Middelalderbyen assembly: its public first drafts, residents'
comments and two organisations' responses written on them, and a recorded disposition for each
(the complete input page and hvidbog). Comments for groent-byliv come from portal/demo/comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    UNUSABLE_PASSWORD,
    Assembly,
    Comment,
    CommentStatus,
    ConsultationResponse,
    Disposition,
    DispositionKind,
    DispositionState,
    ModerationReason,
    Organisation,
    OrganisationKind,
    OrganisationPerson,
    Recommendation,
    RecommendationRevision,
    ResponsePosition,
    User,
)
from ..sanitize import markdown_to_html

DRAFT_PUBLISHED = datetime(2019, 10, 26, 10, tzinfo=UTC)
DECIDED = datetime(2019, 11, 16, 15, tzinfo=UTC)

# The first public drafts ("Udkast 1"); the final texts are in content.py.
DRAFTS = {
    1: "Gennemkørende biltrafik i Middelalderbyen skal begrænses.",
    2: "Parkeringspladser på gaden nedlægges og erstattes af pladser i parkeringshuse.",
    3: "Varelevering samles i en central terminal, hvorfra varer køres ud med el-ladcykler.",
    4: "Borgere med handicap skal altid kunne komme frem i bil.",
    5: "Den plads, der frigøres, bruges til cykelstier.",
    6: "Der plantes flere træer på pladser, hvor der i dag holder biler.",
    7: "Trafikanter informeres tydeligt om nye regler, før de kører ind i Middelalderbyen.",
    8: "Der laves forsøg med bilfri søndage.",
    9: "Borgersamlingen inddrages, når anbefalingerne føres ud i livet.",
}

RESIDENTS = [
    # (e-mail, name, the district they chose at sign-up)
    ("resident@example.org", "Rasmus Borger", "Indre By"),
    ("karen.jensen@example.org", "Karen Jensen", "Indre By"),
    ("ahmed.hassan@example.org", "Ahmed Hassan", "Nørrebro"),
    ("sofie.nielsen@example.org", "Sofie Nielsen", "Vesterbro/Kongens Enghave"),
    ("peter.holm@example.org", "Peter Holm", "Østerbro"),
    ("line.madsen@example.org", "Line Madsen", "Amager Øst"),
]

A, P, N, OUT, T = (
    DispositionKind.ADOPTED,
    DispositionKind.PARTLY_ADOPTED,
    DispositionKind.NOT_ADOPTED,
    DispositionKind.OUTSIDE_REMIT,
    DispositionKind.NOTED,
)

# (recommendation, author index, paragraph, text, disposition, rationale, influenced final?,
#  replies as (author index, text))
COMMENTS: list[
    tuple[int, int, int | None, str, DispositionKind, str, bool, list[tuple[int, str]]]
] = [
    (
        1,
        0,
        1,
        "Begrænses er for svagt. Skriv at gennemkørsel skal stoppes, ellers sker der ingenting.",
        A,
        "Vi har skrevet det skarpere: gennemkørsel stoppes, kun ærinder i området giver adgang.",
        True,
        [(1, "Enig, men husk taxaer til ældre.")],
    ),
    (
        1,
        4,
        None,
        "Hvad med taxaer og beboernes gæster? De har også ærinder i byen.",
        P,
        "Ærinder i området giver adgang, også for gæster og taxaer. Særlige tilladelser tog vi ikke med.",
        True,
        [],
    ),
    (
        2,
        1,
        1,
        "Nedlæg pladserne gradvist, så butikkerne kan nå at vænne sig til det.",
        A,
        "Ordet gradvist er kommet med i anbefalingen.",
        True,
        [],
    ),
    (
        2,
        2,
        None,
        "Jeg er håndværker og skal kunne parkere tæt på kunderne.",
        P,
        "Håndværkere er nu nævnt i anbefaling 4 om adgang i bil; parkeringen på gaden nedlægges stadig.",
        False,
        [],
    ),
    (
        2,
        5,
        None,
        "Gratis parkering i parkeringshusene for beboere i de første to år.",
        OUT,
        "Priser i parkeringshusene fastsættes ikke af borgersamlingen.",
        False,
        [],
    ),
    (
        3,
        3,
        1,
        "El-ladcykler kan ikke bære tunge varer til restauranterne. Tag små elbiler med.",
        A,
        "Små elbiler er tilføjet til anbefalingen.",
        True,
        [],
    ),
    (
        4,
        0,
        1,
        "Hjemmeplejen og handicapkørsel må ikke blive glemt. De skal frem hver dag.",
        A,
        "Hjemmepleje og håndværkere er skrevet ind ved siden af borgere med handicap.",
        True,
        [(5, "Tak for at tage det op, min mor får hjemmepleje i Larslejsstræde.")],
    ),
    (
        5,
        2,
        None,
        "Der mangler bænke. Ældre skal kunne hvile sig på vej gennem byen.",
        A,
        "Fortove og bænke er tilføjet.",
        True,
        [],
    ),
    (
        5,
        4,
        None,
        "Cykelstierne bliver for brede, så der ikke er plads til fodgængere.",
        N,
        "Borgersamlingen ønsker plads til både cykler og gående og holdt fast i cykelstierne.",
        False,
        [],
    ),
    (
        6,
        5,
        None,
        "Plant frugttræer, så børnene kan plukke æbler midt i byen.",
        T,
        "Valget af træer hører under kommunens byrumsplan; forslaget er sendt videre.",
        False,
        [],
    ),
    (
        7,
        1,
        None,
        "Skilte på engelsk også, mange turister kører ind uden at vide det.",
        T,
        "Vi har givet forslaget videre til forvaltningen, som står for skiltningen.",
        False,
        [],
    ),
    (
        8,
        0,
        None,
        "Søndage er for lidt. Prøv hele weekender om sommeren.",
        A,
        "Forsøget gælder nu weekender i sommerhalvåret.",
        True,
        [],
    ),
    (
        8,
        3,
        None,
        "Bilfri dage skader handlen. Drop forsøget.",
        N,
        "Et forsøg giver netop viden om, hvordan handlen påvirkes; det står ved magt.",
        False,
        [],
    ),
    (
        9,
        2,
        None,
        "Sænk billetpriserne på bussen ind til byen.",
        OUT,
        "Billettakster i den kollektive trafik er uden for borgersamlingens opdrag.",
        False,
        [],
    ),
]

# Earlier dispositions of some comments (by index), later changed to the one above.
EARLIER = {
    3: (DispositionKind.NOTED, "Vi vender tilbage, når anbefaling 4 om adgang er skrevet færdig."),
}

HIDDEN = (
    3,
    4,
    "Det her er dumt, og I der har skrevet det er idioter.",
    ModerationReason.PERSONAL_ATTACK,
)

ORGS = [
    (
        "Indre By Lokaludvalg",
        OrganisationKind.LOKALUDVALG,
        "Indre By",
        "indreby@example.org",
        "Indre By Lokaludvalg",
    ),
    (
        "Cyklistforbundet København",
        OrganisationKind.ASSOCIATION,
        "Vesterbro",
        "cykel@example.org",
        "Cyklistforbundet København",
    ),
]

# (organisation index, recommendation or None = the whole draft, title, position, text,
#  disposition, rationale, influenced final?)
RESPONSES = [
    (
        0,
        9,
        "Lokaludvalget vil inddrages",
        ResponsePosition.SUPPORTS_WITH_CHANGES,
        "Indre By Lokaludvalg støtter anbefalingen, men ønsker at lokaludvalget nævnes, så vi "
        "inddrages sammen med borgersamlingen, når planerne føres ud i livet.",
        A,
        "Lokaludvalget er skrevet ind i anbefaling 9.",
        True,
    ),
    (
        1,
        None,
        "Høringssvar til hele udkastet",
        ResponsePosition.SUPPORTS,
        "Cyklistforbundet støtter udkastet. Vi anbefaler brede cykelstier og cykelparkering ved "
        "parkeringshusene, så det bliver let at skifte fra bil til cykel.",
        P,
        "Mere plads til cykler står i anbefaling 5; cykelparkering ved parkeringshusene tog vi "
        "ikke med, da placeringen afgøres af forvaltningen.",
        False,
    ),
]


def _user(session: Session, email: str, name: str, district: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=name, password_hash=UNUSABLE_PASSWORD)
        session.add(user)
    if not user.district:
        user.district = district
    return user


def _first_drafts(
    assembly: Assembly,
) -> dict[int, tuple[RecommendationRevision, RecommendationRevision]]:
    """Give each final recommendation its public first draft, before the final in its line."""
    result = {}
    for rec in assembly.recommendations:
        final = rec.revisions[-1]
        draft = RecommendationRevision(
            title=rec.title,
            text=DRAFTS.get(rec.number, rec.text),
            message="Første udkast til offentlig kommentering",
            public_label="Udkast 1",
            created_at=DRAFT_PUBLISHED,
        )
        rec.revisions.append(draft)
        result[rec.number] = (draft, final)
    return result


def _disposition(
    kind: DispositionKind,
    rationale: str,
    revision: RecommendationRevision | None,
    by: User,
    at: datetime,
) -> Disposition:
    return Disposition(
        state=DispositionState.RECORDED,
        kind=kind,
        rationale=rationale,
        revision=revision,
        decided_by_id=by.id,
        created_at=at,
    )


def add_middelalderbyen_input(session: Session, assembly: Assembly, facilitator: User) -> None:
    """Drafts, comments, responses and dispositions, unless the assembly already has input."""
    if session.scalar(
        select(Comment.id).join(Recommendation).where(Recommendation.assembly_id == assembly.id)
    ):
        return
    users = [_user(session, *resident) for resident in RESIDENTS]
    versions = _first_drafts(assembly)
    session.flush()
    for draft, final in versions.values():
        final.parent_id = draft.id
    recs = {r.number: r for r in assembly.recommendations}
    when = DRAFT_PUBLISHED + timedelta(days=1)
    for i, (number, who, paragraph, text, kind, why, influenced, replies) in enumerate(COMMENTS):
        draft, final = versions[number]
        at = when + timedelta(hours=7 * i)
        root = _comment(recs[number], draft, users[who], text, paragraph, at)
        session.add(root)
        session.flush()
        for j, (reply_by, reply) in enumerate(replies):
            reply_at = at + timedelta(hours=j + 2)
            session.add(
                _comment(recs[number], draft, users[reply_by], reply, paragraph, reply_at, root)
            )
        if i in EARLIER:  # a disposition that changed: the history shows both
            early_kind, early_why = EARLIER[i]
            early = _disposition(
                early_kind, early_why, None, facilitator, DECIDED - timedelta(days=2)
            )
            early.comment_id = root.id
            session.add(early)
            session.flush()
        row = _disposition(
            kind, why, final if influenced else None, facilitator, DECIDED + timedelta(minutes=i)
        )
        row.comment_id = root.id
        session.add(row)
    number, who, text, reason = HIDDEN
    draft, _ = versions[number]
    hidden_at = when + timedelta(days=3)
    session.add(
        _comment(
            recs[number],
            draft,
            users[who],
            text,
            None,
            hidden_at,
            None,
            CommentStatus.HIDDEN,
            reason,
        )
    )
    _responses(session, assembly, recs, versions, facilitator)
    session.flush()


def _comment(
    rec: Recommendation,
    draft: RecommendationRevision,
    author: User,
    text: str,
    paragraph: int | None,
    at: datetime,
    parent: Comment | None = None,
    status: CommentStatus = CommentStatus.VISIBLE,
    reason: ModerationReason | None = None,
) -> Comment:
    return Comment(
        recommendation=rec,
        revision=draft,
        paragraph=paragraph,
        parent_id=parent.id if parent is not None and parent.id else None,
        author=author,
        text=text,
        text_html=markdown_to_html(text),
        status=status,
        moderation_reason=reason,
        moderation_note="" if reason is None else "Kommentaren angreb andre personligt.",
        created_at=at,
    )


def _responses(
    session: Session,
    assembly: Assembly,
    recs: dict[int, Recommendation],
    versions: dict[int, tuple[RecommendationRevision, RecommendationRevision]],
    facilitator: User,
) -> None:
    orgs = []
    for name, org_kind, district, email, person_name in ORGS:
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=org_kind, district=district, verified=True)
            session.add(org)
        person = _user(session, email, person_name, district)
        session.flush()
        if (
            session.scalar(
                select(OrganisationPerson.id).where(
                    OrganisationPerson.organisation_id == org.id,
                    OrganisationPerson.user_id == person.id,
                )
            )
            is None
        ):
            session.add(OrganisationPerson(organisation_id=org.id, user_id=person.id))
        orgs.append((org, person))
    for i, (org_i, number, title, position, text, kind, why, influenced) in enumerate(RESPONSES):
        org, person = orgs[org_i]
        draft, final = versions[number] if number else (None, None)
        response = ConsultationResponse(
            assembly_id=assembly.id,
            recommendation_id=recs[number].id if number else None,
            revision_id=draft.id if draft else None,
            organisation_id=org.id,
            author_id=person.id,
            title=title,
            position=position,
            text=text,
            text_html=markdown_to_html(text),
            created_at=DRAFT_PUBLISHED + timedelta(days=8, hours=i),
        )
        session.add(response)
        session.flush()
        row = _disposition(
            kind,
            why,
            final if influenced else None,
            facilitator,
            DECIDED + timedelta(hours=1, minutes=i),
        )
        row.response_id = response.id
        session.add(row)
