"""Plain-language names of states, in the visitor's language (one place, used by templates)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .models import (
    AnswerStatus,
    AssemblyStatus,
    ChosenBy,
    ImplementationStatus,
    MaterialKind,
    MemberStatus,
    ModerationReason,
    OrganisationKind,
    PhaseKind,
    RecommendationStatus,
    RegistrantStatus,
    ResponsePosition,
    Role,
    SupportLevel,
)

# People: staff roles, organisations, sign-up states.
ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Sekretariat"),
    Role.COUNCIL: _l("Politiker / forvaltning"),
}

ORGANISATION_KIND = {
    OrganisationKind.LOKALUDVALG: _l("Lokaludvalg"),
    OrganisationKind.ASSOCIATION: _l("Forening"),
    OrganisationKind.OTHER: _l("Anden organisation"),
}

REGISTRANT_STATUS = {
    RegistrantStatus.REGISTERED: _l("Tilmeldt"),
    RegistrantStatus.WITHDRAWN: _l("Trukket tilbage"),
    RegistrantStatus.DRAWN: _l("Trukket ud, venter på svar"),
    RegistrantStatus.CONFIRMED: _l("Har taget pladsen"),
    RegistrantStatus.DECLINED: _l("Har takket nej"),
}

PHASE = {
    PhaseKind.RECRUITMENT: _l("Rekruttering"),
    PhaseKind.SELECTION: _l("Lodtrækning"),
    PhaseKind.LEARNING: _l("Læring"),
    PhaseKind.DELIBERATION: _l("Drøftelse"),
    PhaseKind.DRAFTING: _l("Skrivning af anbefalinger"),
    PhaseKind.PUBLIC_COMMENT: _l("Offentlig kommentering"),
    PhaseKind.FINAL: _l("Endelige anbefalinger"),
    PhaseKind.COUNCIL_ANSWER: _l("Politisk svar"),
    PhaseKind.FOLLOW_UP: _l("Opfølgning"),
}

PHASE_EXPLAINED = {
    PhaseKind.RECRUITMENT: _l("Borgere inviteres og kan melde sig."),
    PhaseKind.SELECTION: _l("Medlemmerne trækkes lod om blandt dem, der har meldt sig."),
    PhaseKind.LEARNING: _l("Medlemmerne hører eksperter og interessenter."),
    PhaseKind.DELIBERATION: _l("Medlemmerne drøfter spørgsmålet i skiftende grupper."),
    PhaseKind.DRAFTING: _l("Medlemmerne skriver udkast til anbefalinger."),
    PhaseKind.PUBLIC_COMMENT: _l("Alle kan kommentere udkastene."),
    PhaseKind.FINAL: _l("Medlemmerne gør anbefalingerne færdige."),
    PhaseKind.COUNCIL_ANSWER: _l("Politikerne svarer på hver anbefaling."),
    PhaseKind.FOLLOW_UP: _l("Kommunen fortæller, hvordan det går med at føre svarene ud i livet."),
}

ASSEMBLY_STATUS = {
    AssemblyStatus.PLANNED: _l("Planlagt"),
    AssemblyStatus.ACTIVE: _l("I gang"),
    AssemblyStatus.CONCLUDED: _l("Afsluttet"),
}

MATERIAL_KIND = {
    MaterialKind.EXPERT_TALK: _l("Oplæg fra ekspert"),
    MaterialKind.REPORT: _l("Rapport"),
    MaterialKind.VIDEO: _l("Video"),
    MaterialKind.STAKEHOLDER_HEARING: _l("Høring af interessenter"),
    MaterialKind.OTHER: _l("Andet"),
}

CHOSEN_BY = {
    ChosenBy.ASSEMBLY: _l("Valgt af borgersamlingen"),
    ChosenBy.ORGANISERS: _l("Valgt af arrangørerne"),
}

MEMBER_STATUS = {
    MemberStatus.ACTIVE: _l("Aktiv"),
    MemberStatus.WITHDRAWN: _l("Udtrådt"),
    MemberStatus.REPLACED: _l("Erstattet"),
}

RECOMMENDATION_STATUS = {
    RecommendationStatus.WORKING: _l("Under arbejde"),
    RecommendationStatus.DRAFT: _l("Udkast"),
    RecommendationStatus.FINAL: _l("Endelig"),
}

SUPPORT = {
    SupportLevel.SUPPORT: _l("Støtter"),
    SupportLevel.CAN_LIVE_WITH: _l("Kan leve med"),
    SupportLevel.CANNOT_SUPPORT: _l("Kan ikke støtte"),
}

ANSWER = {
    AnswerStatus.PENDING: _l("Afventer svar"),
    AnswerStatus.ADOPTED: _l("Gennemføres nu"),
    AnswerStatus.ADOPTED_LATER: _l("Arbejdes videre med på længere sigt"),
    AnswerStatus.PARTLY: _l("Gennemføres delvist"),
    AnswerStatus.INVESTIGATE: _l("Undersøges nærmere"),
    AnswerStatus.REJECTED: _l("Gennemføres ikke"),
}

IMPLEMENTATION = {
    ImplementationStatus.NOT_STARTED: _l("Ikke startet"),
    ImplementationStatus.IN_PROGRESS: _l("I gang"),
    ImplementationStatus.DONE: _l("Gennemført"),
    ImplementationStatus.STOPPED: _l("Stoppet"),
}

# The portal's own words for quota categories and values (the demo's and the usual Danish ones).
# Quotas are data, typed by the secretariat; words not listed here are shown as typed, and
# templates mark them lang="da" on English pages.
# The comment phase: moderators' public reasons, organisations' positions.
MODERATION_REASON = {
    ModerationReason.PERSONAL_ATTACK: _l("Personangreb eller chikane"),
    ModerationReason.PERSONAL_DATA: _l("Personoplysninger om andre"),
    ModerationReason.DISCRIMINATION: _l("Diskrimination"),
    ModerationReason.SPAM: _l("Reklame eller gentagne indlæg"),
    ModerationReason.OFF_TOPIC: _l("Uden for emnet"),
    ModerationReason.ILLEGAL: _l("Ulovligt indhold"),
}

RESPONSE_POSITION = {
    ResponsePosition.SUPPORTS: _l("Støtter"),
    ResponsePosition.SUPPORTS_WITH_CHANGES: _l("Støtter med ændringer"),
    ResponsePosition.OPPOSES: _l("Er imod"),
    ResponsePosition.OTHER: _l("Andet"),
}

QUOTA_TERMS = {
    "Køn": _l("Køn"),
    "Kvinde": _l("Kvinde"),
    "Mand": _l("Mand"),
    "Andet": _l("Andet"),
    "Alder": _l("Alder"),
    "Region": _l("Region"),
    "Region Hovedstaden": _l("Region Hovedstaden"),
    "Region Sjælland": _l("Region Sjælland"),
    "Region Syddanmark": _l("Region Syddanmark"),
    "Region Midtjylland": _l("Region Midtjylland"),
    "Region Nordjylland": _l("Region Nordjylland"),
    "Uddannelse": _l("Uddannelse"),
    "Grundskole": _l("Grundskole"),
    "Erhvervsuddannelse": _l("Erhvervsuddannelse"),
    "Videregående": _l("Videregående"),
    "Boligform": _l("Boligform"),
    "Ejerbolig": _l("Ejerbolig"),
    "Lejebolig": _l("Lejebolig"),
    "Andelsbolig": _l("Andelsbolig"),
    "Bydel": _l("Bydel"),
    "Område": _l("Område"),
}
_NEUTRAL = re.compile(r"^[\d\s+\-–.,%]+$")  # "18-29", "75+": the same in every language


def quota_term(text: str) -> str | None:
    """The visitor-language word for a quota category or value, or None when it is plain data."""
    if _NEUTRAL.match(text):
        return text
    known = QUOTA_TERMS.get(text)
    return str(known) if known is not None else None


def quota_text(text: str) -> str:
    """For messages: the translated word when known, else the text as typed."""
    return quota_term(text) or text


_DRAFT = re.compile(r"^Udkast (\d+)$")


def public_label(label: str) -> str:
    """A published version's label ("Udkast 2", "Endelig", stored in Danish) in the visitor's language."""
    draft = _DRAFT.match(label or "")
    if draft:
        return str(gettext("Udkast %(n)s", n=draft.group(1)))
    if label == "Endelig":
        return str(gettext("Endelig"))
    return label


_PROGRESS = [
    (re.compile(r"^Checking that the quotas can be met"), _l("Tjekker, at kvoterne kan opfyldes")),
    (re.compile(r"^relaxed profile"), _l("Finder en første fordeling af chancerne")),
    (
        re.compile(r"^Rounding to a lottery"),
        _l("Runder af til et lotteri af lige sandsynlige paneler"),
    ),
    (re.compile(r"^Interrupted"), _l("Afbrudt: processen, der beregnede lotteriet, stoppede.")),
    (re.compile(r"^Venter på at gå i gang"), _l("Venter på at gå i gang …")),
]
_STAGE = re.compile(r"^stage (\d+):")


def progress_message(message: str) -> tuple[str, str | None]:
    """A draw's stored progress message in the visitor's language, and a lang for unknown text.

    The sortition library reports in English; known messages are translated here, at display
    time, so a page shows them in whatever language its reader chose.
    """
    stage = _STAGE.match(message)
    if stage:
        return gettext("Beregner LEXIMIN, trin %(n)s", n=stage.group(1)), None
    for pattern, text in _PROGRESS:
        if pattern.match(message):
            return str(text), None
    return message, "en"


_CONFLICTS: list[tuple[re.Pattern[str], Callable[..., str]]] = [
    (
        re.compile(r"^the pool has (?P<a>\d+) people but the panel needs (?P<b>\d+)$"),
        lambda **g: gettext("Puljen har %(a)s personer, men panelet skal have %(b)s.", **g),
    ),
    (
        re.compile(
            r"^the pool has only (?P<a>\d+) households but the panel needs (?P<b>\d+) seats$"
        ),
        lambda **g: gettext(
            "Puljen har kun %(a)s husstande, men panelet skal have %(b)s pladser.", **g
        ),
    ),
    (
        re.compile(
            r"^the minimums for (?P<c>.+) add up to (?P<a>\d+), more than the (?P<b>\d+) seats$"
        ),
        lambda **g: gettext(
            "Minimummerne for %(c)s giver tilsammen %(a)s, flere end de %(b)s pladser.", **g
        ),
    ),
    (
        re.compile(
            r"^the maximums for (?P<c>.+) add up to (?P<a>\d+), fewer than the (?P<b>\d+) seats$"
        ),
        lambda **g: gettext(
            "Maksimummerne for %(c)s giver tilsammen %(a)s, færre end de %(b)s pladser.", **g
        ),
    ),
    (
        re.compile(
            r"^(?P<c>.+) needs at least (?P<a>\d+) but only (?P<b>\d+) people in the pool have it$"
        ),
        lambda **g: gettext("%(c)s kræver mindst %(a)s, men kun %(b)s i puljen har det.", **g),
    ),
    (
        re.compile(r"^no set of quotas lets a panel of this size be filled from the pool$"),
        lambda **g: gettext(
            "Ingen kvoter gør det muligt at fylde et panel af denne størrelse fra puljen."
        ),
    ),
    (
        re.compile(r"^the quotas cannot all hold together; the tightest involve (?P<c>.+)$"),
        lambda **g: gettext(
            "Kvoterne kan ikke alle holde på én gang; de strammeste gælder %(c)s.", **g
        ),
    ),
]


def feasibility_conflict(text: str) -> tuple[str, str | None]:
    """The feasibility check's explanation (English from the library) in the visitor's language."""
    for pattern, message in _CONFLICTS:
        found = pattern.match(text)
        if found:
            return message(**found.groupdict()), None
    return text, "en"
