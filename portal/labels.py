"""Plain-language names of states, in the visitor's language (one place, used by templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import (
    AnswerStatus,
    AssemblyStatus,
    ChosenBy,
    ImplementationStatus,
    MaterialKind,
    MemberStatus,
    PhaseKind,
    RecommendationStatus,
    SupportLevel,
)

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
    AnswerStatus.ADOPTED: _l("Vedtaget – gennemføres nu"),
    AnswerStatus.ADOPTED_LATER: _l("Vedtaget – gennemføres senere"),
    AnswerStatus.PARTLY: _l("Delvist vedtaget"),
    AnswerStatus.REJECTED: _l("Ikke vedtaget"),
}

IMPLEMENTATION = {
    ImplementationStatus.NOT_STARTED: _l("Ikke begyndt"),
    ImplementationStatus.IN_PROGRESS: _l("I gang"),
    ImplementationStatus.DONE: _l("Gennemført"),
    ImplementationStatus.STOPPED: _l("Stoppet"),
}
