"""Answers: private drafts, publishing (one or many) as immutable versions, templates, bulk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..backoffice import forms
from ..errors import Invalid, NotFound
from ..models import (
    AnswerDraft,
    AnswerStatus,
    AnswerTemplate,
    AnswerVersion,
    Assembly,
    CouncilAnswer,
    Recommendation,
    RecommendationStatus,
    User,
)
from . import notify

FIELDS = (
    "status",
    "text",
    "decided_by",
    "decided_on",
    "agenda_url",
    "journal_number",
    "vote",
    "budget_line",
)
LIMITS = {"decided_by": 200, "journal_number": 80, "vote": 200, "budget_line": 300}
ANSWERED = tuple(s for s in AnswerStatus if s != AnswerStatus.PENDING)


def list_cases(session: Session, assembly: Assembly) -> list[Recommendation]:
    """The assembly's final recommendations with their answer, draft and versions (few queries)."""
    return list(
        session.scalars(
            select(Recommendation)
            .where(
                Recommendation.assembly_id == assembly.id,
                Recommendation.status == RecommendationStatus.FINAL,
            )
            .options(
                selectinload(Recommendation.answer).selectinload(CouncilAnswer.draft),
                selectinload(Recommendation.answer).selectinload(CouncilAnswer.versions),
            )
            .order_by(Recommendation.number)
        )
    )


def get_case(session: Session, assembly: Assembly, number: int) -> CouncilAnswer:
    """The answer case of a final recommendation (created empty when missing)."""
    rec = session.scalar(
        select(Recommendation).where(
            Recommendation.assembly_id == assembly.id,
            Recommendation.number == number,
            Recommendation.status == RecommendationStatus.FINAL,
        )
    )
    if rec is None:
        raise NotFound(f"{assembly.slug}/{number}")
    if rec.answer is None:
        rec.answer = CouncilAnswer()
        session.flush()
    assert rec.answer is not None
    return rec.answer


def draft_form(answer: CouncilAnswer) -> dict[str, str]:
    """What the draft form shows: the draft, else the published answer (to amend it)."""
    source = answer.draft or answer
    values = {name: getattr(source, name) for name in FIELDS}
    values["decided_on"] = source.decided_on.isoformat() if source.decided_on else ""
    values["status"] = "" if source.status == AnswerStatus.PENDING else str(source.status)
    return {k: str(v or "") for k, v in values.items()}


def read_answer(form: Mapping[str, str]) -> dict[str, object]:
    """The answer fields from a form; Invalid with a message per field."""
    errors: dict[str, str] = {}
    raw_status = forms.text(form, "status")
    if raw_status not in {s.value for s in ANSWERED}:
        errors["status"] = str(_l("Vælg, hvad kommunen gør med anbefalingen."))
    text = forms.text(form, "text")
    if not text:
        errors["text"] = str(_l("Skriv svaret i et klart sprog."))
    elif len(text) > 20_000:
        errors["text"] = str(_l("Svaret er for langt (højst 20.000 tegn)."))
    values: dict[str, object] = {"status": raw_status, "text": text}
    for name, limit in LIMITS.items():
        values[name] = forms.text(form, name)
        if len(str(values[name])) > limit:
            errors[name] = str(_l("Højst %(n)d tegn.", n=limit))
    values["decided_on"] = forms.day(form, "decided_on", errors)
    values["agenda_url"] = forms.web_address(form, "agenda_url", errors) or ""
    if errors:
        raise Invalid(errors)
    values["status"] = AnswerStatus(raw_status)
    return values


def save_draft(
    session: Session, answer: CouncilAnswer, form: Mapping[str, str], actor: User, now: datetime
) -> AnswerDraft:
    """Keep the council staff's private draft (never shown to the public until published)."""
    values = read_answer(form)
    draft = answer.draft or AnswerDraft()
    for name, value in values.items():
        setattr(draft, name, value)
    draft.author_id = actor.id
    draft.updated_at = now
    answer.draft = draft
    session.commit()
    return draft


def _publish_one(session: Session, answer: CouncilAnswer, actor: User, now: datetime) -> None:
    draft = answer.draft
    if draft is None:
        return
    version = AnswerVersion(number=answer.version + 1, published_at=now, published_by_id=actor.id)
    for name in FIELDS:
        setattr(version, name, getattr(draft, name))
        setattr(answer, name, getattr(draft, name))
    answer.versions.append(version)
    answer.version = version.number
    answer.published_at = now
    answer.draft = None
    audit.record(
        session,
        "council.answer_published",
        f"recommendation {answer.recommendation_id}",
        now,
        actor=actor,
        detail=f"version {version.number}: {draft.status}",
    )


def publish(
    session: Session, assembly: Assembly, answers: list[CouncilAnswer], actor: User, now: datetime
) -> int:
    """Publish the drafts of the given answers as new versions (earlier versions stay as history);
    followers are told. Returns how many were published."""
    with_draft = [a for a in answers if a.draft is not None]
    if not with_draft:
        raise Invalid({"form": str(_l("Der er ingen udkast at offentliggøre."))})
    for answer in with_draft:
        _publish_one(session, answer, actor, now)
    session.flush()
    notify.answers_published(session, assembly, [a.recommendation for a in with_draft])
    session.commit()
    return len(with_draft)


@dataclass
class TemplateInput:
    name: str
    status: AnswerStatus
    text: str


def list_templates(session: Session) -> list[AnswerTemplate]:
    return list(session.scalars(select(AnswerTemplate).order_by(AnswerTemplate.name)))


def create_template(
    session: Session, form: Mapping[str, str], actor: User, now: datetime
) -> AnswerTemplate:
    """A reusable answer (name, status, text) for similar recommendations; names are unique."""
    errors: dict[str, str] = {}
    name = forms.text(form, "name")
    if not name or len(name) > 120:
        errors["name"] = str(_l("Giv skabelonen et navn (højst 120 tegn)."))
    elif session.scalar(select(AnswerTemplate.id).where(AnswerTemplate.name == name)):
        errors["name"] = str(_l("Der findes allerede en skabelon med det navn."))
    try:
        values = read_answer({"status": form.get("status", ""), "text": form.get("text", "")})
    except Invalid as invalid:
        errors.update(invalid.field_errors)
        values = {}
    if errors:
        raise Invalid(errors)
    template = AnswerTemplate(
        name=name,
        status=values["status"],
        text=values["text"],
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(template)
    session.commit()
    return template


def apply_template(
    session: Session,
    cases: list[Recommendation],
    template_id: int | None,
    numbers: list[int],
    actor: User,
    now: datetime,
) -> int:
    """Bulk action: put a template's status and text into the drafts of the chosen
    recommendations (the decision record already drafted is kept). Returns how many."""
    template = session.get(AnswerTemplate, template_id) if template_id else None
    errors: dict[str, str] = {}
    if template is None:
        errors["template_id"] = str(_l("Vælg en skabelon."))
    chosen = [r for r in cases if r.number in set(numbers)]
    if not chosen:
        errors["numbers"] = str(_l("Vælg mindst én anbefaling."))
    if errors or template is None:
        raise Invalid(errors)
    for rec in chosen:
        if rec.answer is None:
            rec.answer = CouncilAnswer()
        answer = rec.answer
        if answer.draft is None:
            answer.draft = AnswerDraft(
                **{name: getattr(answer, name) for name in FIELDS if name not in ("status", "text")}
            )
        answer.draft.status = template.status
        answer.draft.text = template.text
        answer.draft.author_id = actor.id
        answer.draft.updated_at = now
    session.commit()
    return len(chosen)
