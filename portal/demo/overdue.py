"""A demo assembly waiting for the council: handed over ten weeks ago, the answer is overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AnswerStatus,
    Assembly,
    AssemblyStatus,
    ChosenBy,
    CouncilAnswer,
    ImplementationStatus,
    Material,
    MaterialKind,
    Meeting,
    Phase,
    PhaseKind,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    User,
)
from . import recorded
from .files import store_demo_pdf
from .office import COPENHAGEN, RAADHUS

SLUG = "skybrud-amager-oest"
ANSWER_WEEKS = 8
QUOTAS: dict[str, list[tuple[str, float, float]]] = {
    "Køn": [("Kvinde", 0.51, 1.1), ("Mand", 0.49, 0.9)],
    "Alder": [("18-29", 0.31, 0.8), ("30-44", 0.29, 1.0), ("45-64", 0.24, 1.2), ("65+", 0.16, 1.0)],
    "Område": [("Amagerbro", 0.4, 1.0), ("Sundbyvester", 0.3, 1.0), ("Sundbyøster", 0.3, 1.0)],
}
TEXTS = {
    "slug": SLUG,
    "title": "Borgersamling om skybrud og regnvand på Amager Øst",
    "title_en": "Citizens' assembly on cloudbursts and rainwater in Amager Øst",
    "summary": (
        "24 beboere har givet fire anbefalinger om, hvordan regnvand kan ledes væk og gøre "
        "kvarteret grønnere. Politikerne har endnu ikke svaret på dem alle."
    ),
    "summary_en": (
        "24 residents gave four recommendations on draining rainwater and greening the area. "
        "The politicians have not yet answered all of them."
    ),
    "remit": "Hvordan skal Amager Øst sikres mod skybrud, og hvad må det koste i gadebilledet?",
    "remit_en": "How should Amager Øst be protected against cloudbursts, and at what cost to its streets?",
    "in_scope": "Regnvandsbede, grønne veje, parkeringspladser, der bliver til bassiner, tidsplan.",
    "out_of_scope": "Kloakkerne under jorden og takster for vand.",
    "commissioned_by": "Teknik- og Miljøudvalget, Københavns Kommune",
    "operator": "Uafhængig procesleder",
    "seats": 24,
    "municipality": "Københavns Kommune",
    "region": "Region Hovedstaden",
    "answer_promise": "Teknik- og Miljøudvalget svarer skriftligt på hver anbefaling.",
    "answer_weeks": ANSWER_WEEKS,
    "contact": "Sekretariatet for borgersamlingen, borgersamling@example.org, tlf. 33 66 33 66",
    "meeting_schedule": "Fire lørdage kl. 10–16 og to aftenmøder kl. 18–21.",
    "time_commitment": "Omkring 35 timer i alt over fem måneder.",
    "compensation": "1.000 kr. pr. mødedag samt forplejning; børnepasning og transport dækkes.",
    "illustrative_note": (
        "Demodata: en opdigtet borgersamling, der viser et politisk svar, hvis frist er overskredet."
    ),
}
RECOMMENDATIONS = [
    ("Regnvandsbede i sidegaderne", "Sidegader får regnvandsbede, der kan rumme et skybrud."),
    ("Parkering bliver til bassiner", "Udvalgte parkeringspladser bliver til lave bassiner."),
    ("Grønne skolegårde", "Skolegårde afkobles fra kloakken og bliver grønne."),
    ("Beboerne med i planlægningen", "Hver gade får et møde, før arbejdet begynder."),
]
PHASES = [
    (PhaseKind.RECRUITMENT, 30, None),
    (PhaseKind.SELECTION, 14, None),
    (PhaseKind.LEARNING, 28, None),
    (PhaseKind.DELIBERATION, 28, None),
    (PhaseKind.DRAFTING, 21, None),
    (PhaseKind.PUBLIC_COMMENT, 14, ("de første udkast", "the first drafts")),
    (PhaseKind.DRAFTING, 14, ("rettelser efter kommentarerne", "revised after the comments")),
    (PhaseKind.PUBLIC_COMMENT, 10, ("de reviderede udkast", "the revised drafts")),
    (PhaseKind.FINAL, 14, None),
]


def add_overdue_assembly(session: Session, today: date, secretariat: User, upload_dir: str) -> None:
    """The council-answer stage: handed over 70 days ago, due after ANSWER_WEEKS, mostly unanswered."""
    if session.scalar(select(Assembly.id).where(Assembly.slug == SLUG)) is not None:
        return
    handover = today - timedelta(days=70)
    assembly = Assembly(status=AssemblyStatus.ACTIVE, **TEXTS)
    assembly.answer_due = handover + timedelta(weeks=ANSWER_WEEKS)
    start = handover - timedelta(days=sum(days for _k, days, _l in PHASES) - 1)
    day = start
    for kind, days, label in PHASES:
        assembly.phases.append(
            Phase(
                kind=kind,
                starts_on=day,
                ends_on=day + timedelta(days=days - 1),
                label=label[0] if label else None,
                label_en=label[1] if label else None,
            )
        )
        day += timedelta(days=days)
    assembly.phases.append(
        Phase(kind=PhaseKind.COUNCIL_ANSWER, starts_on=day, ends_on=day + timedelta(days=119))
    )
    assembly.draw_on = start + timedelta(days=33)
    assembly.reply_by = assembly.draw_on + timedelta(days=10)
    session.add(assembly)
    drawn_at = datetime.combine(assembly.draw_on, time(13), UTC)
    recorded.drawn_members(
        session,
        assembly,
        QUOTAS,
        110,
        "3 6 1 1 5 2 (terninger)",
        secretariat,
        drawn_at,
        district_key="Område",
    )
    learning = start + timedelta(days=44)
    for number, (offset, title) in enumerate(
        [
            (0, "Velkomst og skybrud 101"),
            (14, "Oplæg og besøg i et regnvandsbed"),
            (35, "Drøftelser i grupper"),
            (63, "Udkast til anbefalinger"),
            (173 - 44 - 1, "Endelig afstemning og overrækkelse"),
        ],
        start=1,
    ):
        starts = datetime.combine(learning + timedelta(days=offset), time(10), COPENHAGEN)
        assembly.meetings.append(
            Meeting(
                number=number,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=6),
                place="Kulturhuset Islands Brygge" if number % 2 else RAADHUS[0],
                address="Islands Brygge 18, 2300 København S" if number % 2 else RAADHUS[1],
                accessibility="Niveaufri adgang og elevator. Teleslynge i salen.",
                agenda=f"10.00 Velkomst\n10.30 {title}\n12.30 Frokost\n13.15 Arbejde i grupper\n"
                "15.30 Opsamling",
                minutes=f"Referat af møde {number}: medlemmerne arbejdede med «{title.lower()}». "
                "Gruppernes noter er samlet og sendt til alle medlemmer.",
            )
        )
    stored, size = store_demo_pdf(
        upload_dir,
        "Skybrudsplan for Amager Øst - kort fortalt",
        ["Demodokument til Samling.", "Kortet viser, hvor vandet løber hen ved et skybrud."],
    )
    assembly.materials.append(
        Material(
            title="Skybrudsplan for Amager Øst – kort fortalt",
            kind=MaterialKind.REPORT,
            chosen_by=ChosenBy.ORGANISERS,
            source="Teknik- og Miljøforvaltningen",
            affiliation="Københavns Kommune",
            summary="Hvor løber vandet hen ved et skybrud, og hvad er allerede planlagt?",
            plain_summary="Et kort over kvarteret med de steder, hvor vandet samler sig.",
            stored_name=stored,
            file_name="skybrudsplan-amager-oest.pdf",
            content_type="application/pdf",
            file_size=size,
            published_on=learning,
        )
    )
    session.flush()
    assembly.materials[-1].meeting_id = assembly.meetings[1].id
    handed = datetime.combine(handover, time(15), UTC)
    for number, (title, text) in enumerate(RECOMMENDATIONS, start=1):
        rec = Recommendation(
            number=number,
            title=title,
            text=text,
            status=RecommendationStatus.FINAL,
            created_at=handed,
            updated_at=handed,
            support_count=18 + number,
            can_live_with_count=4,
            cannot_support_count=2 - number % 2,
        )
        rec.revisions.append(
            RecommendationRevision(
                title=title, text=text, message="Endelig", public_label="Endelig", created_at=handed
            )
        )
        answered = number == 4
        rec.answer = CouncilAnswer(
            status=AnswerStatus.ADOPTED if answered else AnswerStatus.PENDING,
            text="Lokaludvalget og beboerne inddrages gade for gade." if answered else "",
            decided_by="Teknik- og Miljøudvalget" if answered else "",
            decided_on=handover + timedelta(days=30) if answered else None,
            implementation=ImplementationStatus.NOT_STARTED,
        )
        assembly.recommendations.append(rec)
