"""Materials: an expert's talk, a report, a video … as an uploaded file or a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid, NotFound
from ..models import Assembly, ChosenBy, Material, MaterialKind, User
from . import forms, uploads
from .forms import Form


@dataclass(frozen=True)
class Upload:
    """A file from the form, as the route hands it over (no Flask objects in the domain)."""

    stream: IO[bytes]
    filename: str


@dataclass(frozen=True)
class Storage:
    directory: str | Path
    max_bytes: int


def get_material(assembly: Assembly, material_id: int) -> Material:
    """One material of this assembly (published or not), or NotFound."""
    material = next((m for m in assembly.materials if m.id == material_id), None)
    if material is None:
        raise NotFound(f"{assembly.slug}/materials/{material_id}")
    return material


def _read(assembly: Assembly, form: Form, errors: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, limit in (("title", 200), ("source", 200), ("affiliation", 200), ("summary", 8000)):
        values[name] = forms.text(form, name)
        if len(str(values[name])) > limit:
            errors[name] = str(_l("Højst %(n)d tegn.", n=limit))
    for name in ("title_en", "summary_en", "plain_summary", "plain_summary_en"):
        values[name] = forms.optional(form, name)
    if not values["title"]:
        errors["title"] = str(_l("Udfyld feltet på dansk."))
    kind, chosen = forms.text(form, "kind"), forms.text(form, "chosen_by")
    if kind not in set(MaterialKind):
        errors["kind"] = str(_l("Vælg hvilken slags materiale det er."))
    if chosen not in set(ChosenBy):
        errors["chosen_by"] = str(_l("Vælg, hvem der valgte materialet."))
    values["kind"] = MaterialKind(kind) if kind in set(MaterialKind) else None
    values["chosen_by"] = ChosenBy(chosen) if chosen in set(ChosenBy) else None
    raw_meeting = forms.text(form, "meeting_id")
    ids = {m.id for m in assembly.meetings}
    values["meeting_id"] = int(raw_meeting) if raw_meeting.isdigit() else None
    if values["meeting_id"] is not None and values["meeting_id"] not in ids:
        errors["meeting_id"] = str(_l("Vælg et af borgersamlingens møder."))
    values["url"] = forms.web_address(form, "url", errors)
    values["accessible_url"] = forms.web_address(form, "accessible_url", errors)
    values["captions"] = bool(form.get("captions"))
    values["published"] = bool(form.get("published"))
    return values


def _check_accessibility(
    values: dict[str, object], is_document: bool, errors: dict[str, str]
) -> None:
    """Web-accessibility law: videos need captions (or a transcript); documents an accessible
    version or a plain summary."""
    if values["kind"] == MaterialKind.VIDEO:
        if not values["captions"] and not values["plain_summary"]:
            errors["captions"] = str(
                _l("En video skal have undertekster. Bekræft det, eller skriv en tekstudgave.")
            )
    elif is_document and not values["accessible_url"] and not values["plain_summary"]:
        errors["plain_summary"] = str(
            _l(
                "Dokumenter skal have en tilgængelig udgave: angiv et link til den, "
                "eller skriv et kort resumé i almindeligt sprog."
            )
        )


def create_material(
    session: Session,
    assembly: Assembly,
    form: Form,
    upload: Upload | None,
    storage: Storage,
    actor: User,
    now: datetime,
) -> Material:
    """Add a material with either a file (type checked by content) or a link; a refusal leaves
    no file on disk and no row."""
    errors: dict[str, str] = {}
    values = _read(assembly, form, errors)
    has_file = upload is not None and bool(upload.filename)
    if has_file == bool(values["url"]):
        errors["file"] = str(_l("Upload en fil eller skriv et link – ét af dem."))
    if errors:
        _check_accessibility(values, has_file, errors)
        raise Invalid(errors)
    stored: str | None = None
    try:
        if upload is not None and has_file:
            stored, detected, size = uploads.store_upload(
                upload.stream, upload.filename, storage.directory, storage.max_bytes
            )
            values.update(
                stored_name=stored,
                content_type=detected.content_type,
                file_size=size,
                file_name=uploads.safe_filename(upload.filename, detected.extension),
            )
            _check_accessibility(values, detected.is_document, errors)
        else:
            _check_accessibility(values, values["kind"] == MaterialKind.REPORT, errors)
        if errors:
            raise Invalid(errors)
        material = Material(published_on=now.date(), **values)
        assembly.materials.append(material)
        session.flush()
        audit.record(
            session,
            "material.create",
            f"material:{material.id}",
            now,
            actor=actor,
            detail=f"{assembly.slug}: {material.title}",
        )
        session.commit()
    except BaseException:
        uploads.remove_upload(storage.directory, stored)
        raise
    return material


def update_material(
    session: Session, material: Material, form: Form, actor: User, now: datetime
) -> None:
    """Edit a material's texts, kind, meeting and link (the file stays; upload anew to replace)."""
    errors: dict[str, str] = {}
    values = _read(material.assembly, form, errors)
    if material.stored_name and values["url"]:
        errors["url"] = str(_l("Materialet har en fil. Slet det og opret det igen for et link."))
    if not material.stored_name and not values["url"]:
        errors["url"] = str(_l("Skriv et link."))
    is_document = (
        material.content_type is not None and not material.content_type.startswith("image/")
    ) or (not material.stored_name and values["kind"] == MaterialKind.REPORT)
    _check_accessibility(values, is_document, errors)
    if errors:
        raise Invalid(errors)
    changed = [k for k, v in values.items() if getattr(material, k) != v]
    for name in changed:
        setattr(material, name, values[name])
    audit.record(
        session,
        "material.update",
        f"material:{material.id}",
        now,
        actor=actor,
        detail=", ".join(changed),
    )
    session.commit()


def set_material_published(
    session: Session, material: Material, published: bool, actor: User, now: datetime
) -> None:
    """Show or hide a material in public (e.g. published by mistake), as an audit event."""
    material.published = published
    action = "material.publish" if published else "material.unpublish"
    audit.record(session, action, f"material:{material.id}", now, actor=actor)
    session.commit()


def delete_material(
    session: Session, material: Material, upload_dir: str | Path, actor: User, now: datetime
) -> None:
    """Delete a material and remove its file from disk, as an audit event."""
    stored = material.stored_name
    audit.record(
        session,
        "material.delete",
        f"material:{material.id}",
        now,
        actor=actor,
        detail=f"{material.assembly.slug}: {material.title}"
        + (f" (file {material.file_name})" if stored else ""),
    )
    material.assembly.materials.remove(material)
    session.commit()
    uploads.remove_upload(upload_dir, stored)
