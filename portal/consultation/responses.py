"""Organisations' consultation responses (høringssvar), filed by their people: on one published
draft or on the assembly's whole draft, with an optional PDF checked by its content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..backoffice import uploads
from ..errors import Forbidden, Invalid, NotFound, PhaseClosed
from ..models import (
    Assembly,
    AssemblyStatus,
    CommentStatus,
    ConsultationResponse,
    Organisation,
    OrganisationPerson,
    Recommendation,
    RecommendationStatus,
    ResponseEdit,
    ResponsePosition,
    Role,
    User,
)
from ..phases import Feature, local_date
from ..sanitize import plain_text_to_html
from .paragraphs import current_public_revision
from .rules import require_can_post, require_open, round_still_open

MAX_TITLE = 200
MAX_TEXT = 20000


@dataclass
class ResponseForm:
    organisation_id: int | None
    title: str
    position: str
    text: str


@dataclass
class Upload:
    stream: IO[bytes]
    filename: str


@dataclass(frozen=True)
class UploadSettings:
    directory: str
    max_bytes: int


def organisations_for(session: Session, user: User) -> list[Organisation]:
    """The organisations a person may file responses for."""
    return list(
        session.scalars(
            select(Organisation)
            .join(OrganisationPerson)
            .where(OrganisationPerson.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def _checked(session: Session, actor: User, form: ResponseForm) -> tuple[Organisation, str, str]:
    errors: dict[str, str] = {}
    organisation = next(
        (o for o in organisations_for(session, actor) if o.id == form.organisation_id), None
    )
    if organisation is None:
        errors["organisation_id"] = str(_l("Vælg den organisation, du svarer for."))
    title, text = form.title.strip(), form.text.strip()
    if not title:
        errors["title"] = str(_l("Skriv en titel."))
    elif len(title) > MAX_TITLE:
        errors["title"] = str(_l("Teksten er for lang (højst %(n)d tegn).", n=MAX_TITLE))
    if form.position not in set(ResponsePosition):
        errors["position"] = str(_l("Vælg jeres holdning."))
    if not text:
        errors["text"] = str(_l("Skriv jeres høringssvar."))
    elif len(text) > MAX_TEXT:
        errors["text"] = str(_l("Teksten er for lang (højst %(n)d tegn).", n=MAX_TEXT))
    if errors:
        raise Invalid(errors)
    assert organisation is not None
    return organisation, title, text


def _store_pdf(upload: Upload, settings: UploadSettings) -> tuple[str, str, int]:
    """Store the PDF under a random name (type found from its content); refuse anything else."""
    stored, detected, size = uploads.store_upload(
        upload.stream, upload.filename, settings.directory, settings.max_bytes
    )
    if detected.content_type != "application/pdf":
        uploads.remove_upload(settings.directory, stored)
        raise Invalid({"file": str(_l("Vedhæft en PDF-fil."))})
    return stored, uploads.safe_filename(upload.filename, "pdf"), size


def file_response(
    session: Session,
    actor: User,
    assembly: Assembly,
    rec: Recommendation | None,
    form: ResponseForm,
    upload: Upload | None,
    settings: UploadSettings,
    now: datetime,
) -> ConsultationResponse:
    """A person of an organisation files its response while committee input is open: on one
    published draft, or (rec None) on the whole draft. Only PDFs may be attached."""
    if not organisations_for(session, actor):
        raise Forbidden()
    require_can_post(actor)
    phase = require_open(assembly, Feature.COMMITTEE_INPUT, local_date(now))
    revision = None
    if rec is not None:
        revision = current_public_revision(rec)
        if rec.status != RecommendationStatus.DRAFT or revision is None:
            raise PhaseClosed(str(_l("Denne anbefaling tager ikke imod høringssvar.")))
    elif not any(r.status == RecommendationStatus.DRAFT for r in assembly.recommendations):
        raise PhaseClosed(str(_l("Der er ikke offentliggjort et udkast endnu.")))
    organisation, title, text = _checked(session, actor, form)
    stored = _store_pdf(upload, settings) if upload is not None else None
    response = ConsultationResponse(
        assembly_id=assembly.id,
        recommendation_id=rec.id if rec else None,
        revision_id=revision.id if revision else None,
        phase_id=phase.id,
        organisation_id=organisation.id,
        author_id=actor.id,
        title=title,
        position=ResponsePosition(form.position),
        text=text,
        text_html=plain_text_to_html(text),
        attachment_path=stored[0] if stored else None,
        attachment_name=stored[1] if stored else None,
        attachment_size=stored[2] if stored else None,
        status=CommentStatus.PENDING if assembly.premoderation else CommentStatus.VISIBLE,
        created_at=now,
    )
    session.add(response)
    session.flush()
    audit.record(
        session,
        "response.file",
        f"response:{response.id}",
        now,
        actor=actor,
        detail=organisation.name,
    )
    session.commit()
    return response


def can_edit_response(
    response: ConsultationResponse, user: User | None, assembly: Assembly, today: date
) -> bool:
    """The person who filed it may change it while the round it was filed in is open."""
    if user is None or response.author_id != user.id or response.status == CommentStatus.HIDDEN:
        return False
    return round_still_open(assembly, response.phase_id, today)


def editable_ids(
    responses: list[ConsultationResponse], user: User | None, assembly: Assembly, today: date
) -> frozenset[int]:
    """Which of these responses the viewer may still change (each by its own round)."""
    return frozenset(r.id for r in responses if can_edit_response(r, user, assembly, today))


def edit_response(
    session: Session,
    actor: User,
    response: ConsultationResponse,
    form: ResponseForm,
    now: datetime,
) -> ConsultationResponse:
    """Change title, position and text until the round closes; what it said before is kept
    (ResponseEdit) and the public sees that it was changed. The PDF stays as filed."""
    assembly = session.get(Assembly, response.assembly_id)
    assert assembly is not None
    if response.author_id != actor.id:
        raise Forbidden()
    if not can_edit_response(response, actor, assembly, local_date(now)):
        require_open(assembly, Feature.COMMITTEE_INPUT, local_date(now))
        raise PhaseClosed(str(_l("Høringssvaret kan ikke længere rettes.")))
    form.organisation_id = response.organisation_id  # a response stays its organisation's
    _organisation, title, text = _checked(session, actor, form)
    position = ResponsePosition(form.position)
    if (title, position, text) == (response.title, response.position, response.text):
        return response
    session.add(
        ResponseEdit(
            response_id=response.id,
            title=response.title,
            position=response.position,
            text=response.text,
            edited_by_id=actor.id,
            created_at=now,
        )
    )
    response.title, response.position, response.text = title, position, text
    response.text_html = plain_text_to_html(text)
    response.edited_at = now
    audit.record(session, "response.edit", f"response:{response.id}", now, actor=actor)
    session.commit()
    return response


def response_history(session: Session, response: ConsultationResponse) -> list[ResponseEdit]:
    """Earlier wordings of a response, newest first."""
    return list(
        session.scalars(
            select(ResponseEdit)
            .where(ResponseEdit.response_id == response.id)
            .order_by(ResponseEdit.created_at.desc(), ResponseEdit.id.desc())
        )
    )


def _shown(viewer: User | None) -> ColumnElement[bool]:
    """Pending responses (pre-moderation) only their authors see."""
    if viewer is None:
        return ConsultationResponse.status != CommentStatus.PENDING
    return or_(
        ConsultationResponse.status != CommentStatus.PENDING,
        ConsultationResponse.author_id == viewer.id,
    )


def list_responses(
    session: Session, assembly: Assembly, rec: Recommendation | None, viewer: User | None
) -> list[ConsultationResponse]:
    """Responses on one recommendation, or (rec None) on the assembly's whole draft."""
    where = (
        ConsultationResponse.recommendation_id == rec.id
        if rec is not None
        else ConsultationResponse.recommendation_id.is_(None)
    )
    return list(
        session.scalars(
            select(ConsultationResponse)
            .where(ConsultationResponse.assembly_id == assembly.id, where, _shown(viewer))
            .options(
                selectinload(ConsultationResponse.organisation),
                selectinload(ConsultationResponse.revision),
            )
            .order_by(ConsultationResponse.created_at)
        )
    )


@dataclass
class OrganisationPage:
    organisation: Organisation
    responses: list[tuple[ConsultationResponse, Assembly, Recommendation | None]]


def organisation_page(session: Session, organisation_id: int) -> OrganisationPage:
    """An organisation's public page: who it is and every response it filed (not pending ones)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation")
    rows = session.execute(
        select(ConsultationResponse, Assembly, Recommendation)
        .join(Assembly, Assembly.id == ConsultationResponse.assembly_id)
        .outerjoin(Recommendation, Recommendation.id == ConsultationResponse.recommendation_id)
        .where(
            ConsultationResponse.organisation_id == organisation.id,
            ConsultationResponse.status != CommentStatus.PENDING,
            Assembly.status != AssemblyStatus.PLANNED,
        )
        .order_by(ConsultationResponse.created_at.desc())
    ).all()
    return OrganisationPage(organisation, [(r, a, rec) for r, a, rec in rows])


def get_response(session: Session, response_id: int) -> ConsultationResponse:
    response = session.get(ConsultationResponse, response_id)
    if response is None:
        raise NotFound("response")
    return response


def attachment_file(
    session: Session, response_id: int, upload_dir: str, viewer: User | None
) -> tuple[Path, str]:
    """The stored PDF of a response the viewer may see (not hidden ones, but for moderators and
    the author), and its sanitised download name."""
    response = get_response(session, response_id)
    own = viewer is not None and viewer.id == response.author_id
    staff = viewer is not None and viewer.has_role(Role.SECRETARIAT)
    if response.status != CommentStatus.VISIBLE and not (own or staff):
        raise NotFound("attachment")
    path = uploads.stored_path(upload_dir, response.attachment_path or "")
    if path is None or not response.attachment_name:
        raise NotFound("attachment")
    return path, uploads.safe_filename(response.attachment_name, "pdf")
