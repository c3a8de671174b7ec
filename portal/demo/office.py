"""The demo's meetings and materials: places with addresses and access notes, agendas, minutes,
and small real PDF files (written under UPLOAD_DIR)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..models import Assembly, ChosenBy, Material, MaterialKind, Meeting
from .files import store_demo_pdf

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
RAADHUS = ("Københavns Rådhus", "Rådhuspladsen 1, 1550 København V")
STEP_FREE = "Niveaufri adgang fra Rådhuspladsen, elevator og handicaptoilet. Teleslynge i salen."

# Middelalderbyen 2019: (date, title, place, agenda, minutes)
MIDDELALDERBYEN_MEETINGS = [
    (
        date(2019, 8, 31),
        "Velkomst og introduktion til opgaven",
        "Rådhuset, Festsalen",
        "10.00 Velkomst ved udvalgsformanden\n10.45 Sådan arbejder en borgersamling\n"
        "12.30 Frokost\n13.15 Hvad ved vi om trafikken i Middelalderbyen?\n15.30 Spørgsmål",
        "Medlemmerne blev præsenteret for opgaven og rammerne. De ønskede mere viden om "
        "varelevering og om, hvordan andre byer har gjort.",
    ),
    (
        date(2019, 9, 21),
        "Trafik i Middelalderbyen i dag: fakta og oplæg",
        "Rådhuset, Festsalen",
        "10.00 Trafiktal ved forvaltningen\n11.00 Oplæg: bilfrie bykerner i Europa\n"
        "13.15 Spørgsmål til oplægsholderne\n15.00 Hvad vil vi vide mere om?",
        "To oplæg og spørgsmål. Medlemmerne valgte selv at bede om et oplæg om varelevering "
        "til næste møde.",
    ),
    (
        date(2019, 10, 12),
        "Drøftelser i grupper: hvad er vigtigst?",
        "Københavns Hovedbibliotek",
        "10.00 Høring: handelsliv og beboere\n11.30 Oplæg: varelevering uden biler\n"
        "13.15 Drøftelser i skiftende grupper\n15.30 Opsamling",
        "Høring med handelsstandsforeningen og beboerforeninger. Grupperne pegede på "
        "gennemkørsel, parkering og varelevering som de vigtigste emner.",
    ),
    (
        date(2019, 11, 2),
        "Skrivning af anbefalinger",
        "Rådhuset, Festsalen",
        "10.00 Gruppernes første udkast\n12.30 Frokost\n13.15 Udkastene læses af alle\n"
        "15.00 Rettelser",
        "Ni udkast til anbefalinger blev skrevet. To mindretal meldte sig med udtalelser.",
    ),
    (
        date(2019, 11, 23),
        "Afstemning og overrækkelse til politikerne",
        "Rådhuset, Borgerrepræsentationens sal",
        "10.00 Sidste rettelser\n12.00 Afstemning om hver anbefaling\n"
        "14.00 Overrækkelse til Teknik- og Miljøudvalget",
        "Alle ni anbefalinger blev vedtaget og overrakt til udvalget sammen med to "
        "mindretalsudtalelser.",
    ),
]
# title → (meeting number, plain summary); the file is a small PDF for reports and hearings
MIDDELALDERBYEN_MATERIAL_MEETINGS = {
    "Trafiktal for Middelalderbyen": (2, "Tal for biler, cykler og gående på en hverdag."),
    "Oplæg: Bilfrie bykerner i Europa": (2, "Hvad andre byer har gjort, og hvad det gav."),
    "Høring: Handelsstandsforeningen og beboerne": (3, "Hvad handelslivet og beboerne ønsker."),
    "Oplæg: Varelevering uden biler": (3, "Sådan kan varer komme frem uden store biler."),
    "Video: Sådan arbejder en borgersamling": (1, "En kort film om, hvordan arbejdet foregår."),
}


def middelalderbyen_meetings(assembly: Assembly) -> None:
    """The five 2019 meetings, Saturdays 10–17, in the phases they belong to."""
    for number, (on, title, place, agenda, minutes) in enumerate(MIDDELALDERBYEN_MEETINGS, 1):
        starts = datetime.combine(on, time(10), COPENHAGEN)
        address = "Krystalgade 15, 1172 København K" if "Bibliotek" in place else RAADHUS[1]
        assembly.meetings.append(
            Meeting(
                number=number,
                title=title,
                place=place,
                address=address,
                accessibility=STEP_FREE,
                starts_at=starts,
                ends_at=starts + timedelta(hours=7),
                agenda=agenda,
                minutes=minutes,
            )
        )


def middelalderbyen_materials(
    assembly: Assembly, rows: list[tuple[str, str, str, str]], upload_dir: str
) -> None:
    """Materials tied to the meeting they were used at; reports and hearings as small PDFs."""
    for title, kind, chosen, source in rows:
        number, plain = MIDDELALDERBYEN_MATERIAL_MEETINGS.get(title, (1, ""))
        meeting = assembly.meetings[number - 1]
        material = Material(
            title=title,
            kind=MaterialKind(kind),
            chosen_by=ChosenBy(chosen),
            source=source,
            summary=f"{title}. Materialet blev gennemgået på møde {number}.",
            plain_summary=plain,
            captions=kind == "video",
            published_on=meeting.starts_at.date(),
        )
        if kind in ("report", "stakeholder_hearing"):
            material.stored_name, material.file_size = store_demo_pdf(
                upload_dir, title, ["Demodokument til Samling.", plain]
            )
            material.content_type, material.file_name = "application/pdf", _file_name(title)
        assembly.materials.append(material)
        material.meeting = meeting


def _file_name(title: str) -> str:
    from ..backoffice.uploads import safe_filename

    return safe_filename(title.replace(":", ""), "pdf")


def groent_details(assembly: Assembly, upload_dir: str, today: date) -> None:
    """Addresses, access notes and minutes for Grønt byliv's meetings; its report as a PDF."""
    for meeting in assembly.meetings:
        meeting.address = "Østerbrogade 105, 2100 København Ø"
        meeting.accessibility = "Niveaufri adgang og elevator til salen på 1. sal."
        meeting.agenda = "10.00 Oplæg\n11.00 Gruppedrøftelser\n13.00 Frokost\n14.00 Opsamling"
        if meeting.starts_at.date() < today:
            meeting.minutes = (
                f"Referat af møde {meeting.number}: oplæg, drøftelser i grupper og en fælles "
                "opsamling. Gruppernes noter ligger i arbejdsrummet."
            )
    for material in assembly.materials:
        stored, size = store_demo_pdf(
            upload_dir, material.title, ["Demodokument til Samling.", material.summary]
        )
        material.stored_name, material.file_size = stored, size
        material.content_type, material.file_name = "application/pdf", _file_name(material.title)
        material.affiliation = "Københavns Kommune"
        material.plain_summary = "Et kort og tal over træer, gårde og pladser på Indre Østerbro."
        material.meeting = assembly.meetings[0] if assembly.meetings else None
