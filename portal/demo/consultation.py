"""The demo's comment phase on Grønt byliv: residents' comments on paragraphs and whole
recommendations, replies, one comment hidden with a public reason, and two organisations'
responses (one from the lokaludvalg with a small PDF written to the upload directory)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Assembly,
    Comment,
    CommentStatus,
    ConsultationResponse,
    Disposition,
    DispositionKind,
    DispositionState,
    ModerationAction,
    ModerationEvent,
    ModerationReason,
    Organisation,
    OrganisationKind,
    OrganisationPerson,
    PhaseKind,
    Recommendation,
    RecommendationRevision,
    ResponsePosition,
    User,
)
from ..sanitize import plain_text_to_html
from . import content as c
from .files import store_demo_pdf

# Extra residents who comment (password demo-adgangskode, e-mail verified).
RESIDENTS = [
    ("anne.beboer@example.org", "Anne fra Ryesgade"),
    ("jonas.beboer@example.org", "Jonas K."),
    ("fatima.beboer@example.org", "Fatima H."),
    ("peter.beboer@example.org", "Peter Østergaard"),
    ("sofie.beboer@example.org", "Sofie L."),
]
FORENING = "Østerbro Cyklister"

# (recommendation, paragraph or None, author index, text, replies [(author index, text)])
# Author index 0 is resident@example.org, 1.. the extra residents above.
COMMENTS: list[tuple[int, int | None, int, str, list[tuple[int, str]]]] = [
    (
        1,
        1,
        1,
        "Rigtig god idé. Vores gade har mange børn og ingen steder at lege.",
        [
            (2, "Enig, men husk at der også skal kunne komme ambulancer og flyttebiler igennem."),
            (1, "Godt punkt. Det kan løses med en pullert, som beredskabet kan åbne."),
        ],
    ),
    (1, 1, 3, "Hvad med varelevering til butikkerne for enden af gaden?", []),
    (
        1,
        2,
        4,
        "Det er vigtigt, at det er beboerne selv, der vælger. Ellers bliver det ikke brugt.",
        [
            (0, "Ja, og lejere skal have samme stemme som ejere."),
        ],
    ),
    (1, 2, 5, "Hvordan sikrer I, at alle i gaden bliver hørt og ikke kun dem, der møder op?", []),
    (
        1,
        3,
        2,
        "Parkeringshusene ligger for langt væk for ældre med dårlige ben.",
        [
            (4, "Der kunne reserveres handicappladser i selve gaden."),
        ],
    ),
    (1, 3, 3, "Jeg betaler for beboerlicens. Får jeg pengene igen, hvis pladsen forsvinder?", []),
    (
        1,
        4,
        1,
        "Et forsøg i ét år er klogt. Så kan vi se, om det virker, før alle gader laves om.",
        [],
    ),
    (
        1,
        4,
        5,
        "Evalueringen skal offentliggøres, også hvis resultatet er dårligt.",
        [
            (0, "Helt enig. Og beboerne skal spørges, ikke kun trafiktællinger."),
        ],
    ),
    (1, None, 4, "Samlet set et godt forslag, der gør Østerbro rarere at bo i.", []),
    (
        1,
        None,
        2,
        "Jeg savner en plan for vedligeholdelse. Hvem passer bænke og bede?",
        [
            (3, "Måske kan gårdlaug eller en forening tage ansvar, som på Nørrebro."),
        ],
    ),
    (
        2,
        1,
        3,
        "Østerbrogade trænger virkelig til skygge om sommeren.",
        [
            (1, "Og træerne dæmper støjen fra trafikken."),
        ],
    ),
    (2, 1, 5, "Husk Trianglen – der er næsten ingen træer.", []),
    (
        2,
        2,
        2,
        "Kan man ikke bruge plantekummer, hvor ledningerne ligger?",
        [
            (
                4,
                "Kummer giver små træer. Det er bedre at flytte ledningerne, når der alligevel graves.",
            ),
        ],
    ),
    (2, 2, 1, "Se fx Gentoftes erfaringer: https://www.gentofte.dk", []),
    (2, 3, 4, "Vælg hjemmehørende arter, så insekterne også får glæde af dem.", []),
    (
        2,
        3,
        0,
        "Lind drypper honningdug på cykler og biler. Vælg noget andet langs cykelstierne.",
        [],
    ),
    (
        2,
        None,
        5,
        "Godt forslag, men hvad koster det, og hvem betaler?",
        [
            (2, "Det står i budgetforslaget for næste år, så vidt jeg ved."),
        ],
    ),
    (2, None, 3, "Træer er den billigste klimatilpasning, vi har.", []),
    (
        3,
        1,
        2,
        "Vores gård er allerede åben, og det fungerer fint.",
        [
            (5, "Hvordan har I løst det med cykler, der bliver stjålet?"),
            (2, "Vi har aflåst cykelkælder, og gården lukker kl. 22."),
        ],
    ),
    (3, 1, 4, "Åbne gårde kan give uro om aftenen. Hvem rydder op?", []),
    (3, 2, 1, "Godt at beboerne skal stemme. Det skaber tryghed.", []),
    (3, 2, 3, "Hvor stort et flertal skal der til? Det bør stå i anbefalingen.", []),
    (3, 3, 5, "Forsikring er det, der stopper det i vores forening. Godt at kommunen hjælper.", []),
    (
        3,
        None,
        0,
        "Jeg håber, at det her også kommer til at gælde andelsboligforeninger.",
        [
            (1, "Det gør det vist, når der står boligforeninger."),
        ],
    ),
    (3, None, 4, "Et fint og realistisk forslag.", []),
]
# One comment is hidden by the moderator with a public reason.
HIDDEN = (1, None, 3, "Dem der vil lukke min gade er nogle idioter, og jeg ved hvor formanden bor.")

LOKALUDVALG_RESPONSE = (
    None,
    "Østerbro Lokaludvalgs høringssvar til udkastet",
    ResponsePosition.SUPPORTS_WITH_CHANGES,
    "Østerbro Lokaludvalg støtter borgersamlingens udkast og takker for et grundigt arbejde.\n\n"
    "Vi anbefaler, at lommeparkerne (anbefaling 1) prioriterer gader med mange børnefamilier, "
    "og at parkeringspladser til bevægelseshæmmede bevares i gaden.\n\n"
    "Ved træplantningen (anbefaling 2) bør Trianglen og Nordre Frihavnsgade komme først.\n\n"
    "Det fulde høringssvar er vedhæftet som PDF.",
)
FORENING_RESPONSE = (
    2,
    "Træer og cykelstier kan gå hånd i hånd",
    ResponsePosition.SUPPORTS,
    "Østerbro Cyklister støtter flere træer langs de store gader. Træerne skal plantes, så "
    "cykelstierne bevarer deres bredde, og så rødder ikke løfter belægningen.",
)


# What the assembly has already done with some of the input while the round is still open (the
# response ledger): comment text → (disposition, rationale). Illustrative, like all demo texts.
DISPOSITIONS: dict[str, tuple[DispositionKind, str]] = {
    "Hvad med varelevering": (
        DispositionKind.ADOPTED,
        "Anbefalingen siger nu, at varelevering skal kunne ske i faste tidsrum om morgenen.",
    ),
    "Hvordan sikrer I, at alle": (
        DispositionKind.PARTLY_ADOPTED,
        "Borgermødet suppleres med en spørgeskemaundersøgelse til alle husstande i gaden; "
        "dør-til-dør-besøg blev fravalgt af hensyn til økonomien.",
    ),
    "Jeg betaler for beboerlicens": (
        DispositionKind.OUTSIDE_REMIT,
        "Beboerlicensens pris og refusion fastsættes af Borgerrepræsentationen og ligger uden "
        "for borgersamlingens opdrag. Spørgsmålet er sendt videre til Teknik- og Miljøforvaltningen.",
    ),
    "Samlet set et godt forslag": (
        DispositionKind.NOTED,
        "Tak. Samlingen har taget opbakningen til efterretning.",
    ),
    "Husk Trianglen": (
        DispositionKind.NOT_ADOPTED,
        "Trianglen er en del af Metroselskabets byrum og hører under en anden plan; samlingen "
        "har valgt at holde anbefalingen til sidegaderne.",
    ),
}


def _record_dispositions(
    session: Session, roots: list[Comment], decided_by: User, now: datetime
) -> None:
    """Recorded dispositions for the threads DISPOSITIONS names (public at once)."""
    for root in roots:
        for start, (kind, rationale) in DISPOSITIONS.items():
            if root.text.startswith(start):
                session.add(
                    Disposition(
                        comment_id=root.id,
                        state=DispositionState.RECORDED,
                        kind=kind,
                        rationale=rationale,
                        decided_by_id=decided_by.id,
                        created_at=min(root.created_at + timedelta(hours=5), now),
                    )
                )


def _residents(session: Session, password_hash: str, now: datetime) -> list[User]:
    users: list[User] = []
    for email, name in RESIDENTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email, display_name=name, password_hash=password_hash, email_verified_at=now
            )
            session.add(user)
        users.append(user)
    session.flush()
    return users


def _comment(
    rec_id: int,
    revision_id: int,
    phase_id: int,
    paragraph: int | None,
    author: User,
    text: str,
    when: datetime,
    parent: Comment | None = None,
) -> Comment:
    """A visible comment (a reply when `parent` is given: same version and paragraph)."""
    return Comment(
        recommendation_id=rec_id,
        revision_id=revision_id,
        paragraph=paragraph,
        parent_id=parent.id if parent else None,
        phase_id=phase_id,
        author_id=author.id,
        text=text,
        text_html=plain_text_to_html(text),
        status=CommentStatus.VISIBLE,
        created_at=when,
    )


def add_comment_phase(
    session: Session, users: dict[str, User], now: datetime, password_hash: str, upload_dir: str
) -> None:
    """Comments, replies, a hidden comment and two responses on Grønt byliv (once)."""
    assembly = session.scalar(select(Assembly).where(Assembly.slug == c.GROENT_BYLIV["slug"]))
    if assembly is None or not assembly.recommendations:
        return
    recs = {r.number: r for r in assembly.recommendations}
    if session.scalar(
        select(Comment.id).where(Comment.recommendation_id.in_([r.id for r in recs.values()]))
    ):
        return
    phase = next(p for p in assembly.phases if p.kind == PhaseKind.PUBLIC_COMMENT)
    people = [users["resident@example.org"], *_residents(session, password_hash, now)]
    published = {n: next(r for r in rec.revisions if r.public_label) for n, rec in recs.items()}
    start = max(now - timedelta(days=3), min(r.created_at for r in published.values()))
    step = (now - timedelta(hours=2) - start) / (len(COMMENTS) + 8)
    roots = []
    for i, (number, paragraph, who, text, replies) in enumerate(COMMENTS):
        rec, revision = recs[number], published[number]
        when = start + step * i
        root = _comment(rec.id, revision.id, phase.id, paragraph, people[who], text, when)
        session.add(root)
        session.flush()
        roots.append(root)
        for j, (reply_who, reply_text) in enumerate(replies, start=1):
            session.add(
                _comment(
                    rec.id,
                    revision.id,
                    phase.id,
                    paragraph,
                    people[reply_who],
                    reply_text,
                    when + step * j / (len(replies) + 1),
                    parent=root,
                )
            )
    _record_dispositions(session, roots, users["secretariat@example.org"], now)
    number, paragraph, who, text = HIDDEN
    hidden = _comment(
        recs[number].id, published[number].id, phase.id, paragraph, people[who], text, start + step
    )
    hidden.status = CommentStatus.HIDDEN
    hidden.moderation_reason = ModerationReason.PERSONAL_ATTACK
    hidden.moderation_note = (
        "Kommentaren kalder andre for idioter og truer med at opsøge en person."
    )
    session.add(hidden)
    session.flush()
    session.add(
        ModerationEvent(
            comment_id=hidden.id,
            actor_id=users["secretariat@example.org"].id,
            action=ModerationAction.HIDE,
            reason=ModerationReason.PERSONAL_ATTACK,
            note=hidden.moderation_note,
            created_at=start + step * 2,
        )
    )
    _responses(session, assembly, users, phase.id, published, recs, now, upload_dir)


def _responses(
    session: Session,
    assembly: Assembly,
    users: dict[str, User],
    phase_id: int,
    published: dict[int, RecommendationRevision],
    recs: dict[int, Recommendation],
    now: datetime,
    upload_dir: str,
) -> None:
    lokaludvalg = session.scalar(
        select(Organisation)
        .join(OrganisationPerson)
        .where(OrganisationPerson.user_id == users["lokaludvalg@example.org"].id)
    )
    forening = session.scalar(select(Organisation).where(Organisation.name == FORENING))
    if forening is None:
        forening = Organisation(
            name=FORENING, kind=OrganisationKind.ASSOCIATION, district="Østerbro", verified=True
        )
        session.add(forening)
        session.flush()
    for org, (number, title, position, text), author in (
        (lokaludvalg, LOKALUDVALG_RESPONSE, users["lokaludvalg@example.org"]),
        (forening, FORENING_RESPONSE, None),
    ):
        if org is None:
            continue
        pdf = None
        if org is lokaludvalg:
            pdf = store_demo_pdf(
                upload_dir, title, [p.replace("\n", " ") for p in text.split("\n\n")]
            )
        rec = recs.get(number) if number else None
        session.add(
            ConsultationResponse(
                assembly_id=assembly.id,
                recommendation_id=rec.id if rec else None,
                revision_id=published[rec.number].id if rec else None,
                phase_id=phase_id,
                organisation_id=org.id,
                author_id=author.id if author else None,
                title=title,
                position=position,
                text=text,
                text_html=plain_text_to_html(text),
                attachment_path=pdf[0] if pdf else None,
                attachment_name="hoeringssvar-oesterbro-lokaludvalg.pdf" if pdf else None,
                attachment_size=pdf[1] if pdf else None,
                created_at=now - timedelta(days=1, hours=3 if pdf else 1),
            )
        )
