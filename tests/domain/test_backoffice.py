"""Back-office rules without the web: slugs, the timeline, upload types, and the demo's dates."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import phases
from portal.backoffice import timeline, uploads
from portal.backoffice.assemblies import slugify
from portal.demo import MIDDELALDERBYEN_HANDOVER, overdue
from portal.demo.files import tiny_pdf
from portal.errors import Invalid
from portal.models import AnswerStatus, Assembly, Phase, PhaseKind, RecommendationStatus
from tests.conftest import NOW


def test_slugs_spell_out_danish_letters_and_drop_punctuation() -> None:
    assert slugify("Grønt byliv på Østerbro!") == "groent-byliv-paa-oesterbro"
    assert slugify("Ærø's færger – 2027") == "aeroes-faerger-2027"
    assert slugify("???") == "borgersamling"
    assert len(slugify("lang " * 40)) <= 60


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "claimed", "expected"),
    [
        (tiny_pdf("x", []), "whatever.txt", ("application/pdf", "pdf")),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 20, "a.png", ("image/png", "png")),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "a.jpg", ("image/jpeg", "jpg")),
        (b"GIF89a" + b"0" * 20, "a.gif", ("image/gif", "gif")),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a.webp", ("image/webp", "webp")),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}),
            "a.zip",
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
            "a.odt",
            ("application/vnd.oasis.opendocument.text", "odt"),
        ),
        (uploads.OLE2 + b"0" * 20, "gammel.xls", ("application/vnd.ms-excel", "xls")),
        (uploads.OLE2 + b"0" * 20, "ukendt.exe", ("application/msword", "doc")),
    ],
)
def test_types_are_found_from_the_content(tmp_path: Path, data, claimed, expected) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "upload"
    path.write_bytes(data)
    found = uploads.detect(path, claimed)
    assert found is not None and (found.content_type, found.extension) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"<html></html>",
        b"<?xml version='1.0'?><svg/>",
        b"MZ\x90\x00 windows program",
        _zip({"evil.sh": b"rm -rf /"}),
        _zip({"mimetype": b"application/x-unknown"}),
    ],
)
def test_other_types_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload"
    path.write_bytes(data)
    assert uploads.detect(path, "rapport.pdf") is None


def test_download_names_are_sanitised() -> None:
    assert uploads.safe_filename("../../etc/passwd", "pdf") == "passwd.pdf"
    assert uploads.safe_filename("C:\\Users\\x\\Årsrapport 2026.docx", "docx") == (
        "Årsrapport-2026.docx"
    )
    assert uploads.safe_filename('"; filename=evil.html', "png") == "filenameevil.png"
    assert uploads.safe_filename("", "pdf") == "materiale.pdf"


def test_store_upload_refuses_too_large_leaving_nothing(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as refused:
        uploads.store_upload(io.BytesIO(b"%PDF-" + b"0" * 100), "a.pdf", tmp_path, 50)
    assert "for stor" in refused.value.field_errors["file"]
    assert list(tmp_path.iterdir()) == []
    stored, found, size = uploads.store_upload(io.BytesIO(tiny_pdf("x", [])), "a", tmp_path, 10**6)
    assert found.extension == "pdf" and [p.name for p in tmp_path.iterdir()] == [stored]
    assert uploads.stored_path(tmp_path, "../" + stored) is None
    assert uploads.stored_path(tmp_path, stored) == tmp_path / stored


def _form(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    form = {"rows": str(len(rows))}
    for i, (kind, start, end) in enumerate(rows):
        form |= {f"phases-{i}-kind": kind, f"phases-{i}-starts_on": start}
        form[f"phases-{i}-ends_on"] = end
    return form


def test_timeline_parsing_sorts_rows_and_ignores_blank_ones(app: Flask) -> None:
    with app.test_request_context():
        rows = timeline.parse_timeline(
            _form(
                [
                    ("learning", "2027-03-01", "2027-03-10"),
                    ("", "", ""),
                    ("recruitment", "2027-01-01", "2027-01-31"),
                ]
            )
        )
    assert [r.kind for r in rows] == [PhaseKind.RECRUITMENT, PhaseKind.LEARNING]


def test_every_overlap_is_named_even_when_not_adjacent(app: Flask) -> None:
    form = _form(
        [
            ("learning", "2027-03-01", "2027-03-31"),
            ("deliberation", "2027-03-05", "2027-03-06"),
            ("drafting", "2027-03-20", "2027-04-10"),
        ]
    )
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        timeline.parse_timeline(form)
    messages = " ".join(refused.value.field_errors.values())
    assert messages.count("overlapper Læring") == 2


def test_rounds_are_numbered_when_a_kind_recurs_and_gaps_are_counted() -> None:
    assembly = Assembly(slug="x", title="x", remit="x", commissioned_by="x", operator="x")
    start = date(2027, 1, 1)
    for i, kind in enumerate(
        [PhaseKind.PUBLIC_COMMENT, PhaseKind.DRAFTING, PhaseKind.PUBLIC_COMMENT]
    ):
        day = start + timedelta(days=20 * i)
        assembly.phases.append(
            Phase(id=i + 1, kind=kind, starts_on=day, ends_on=day + timedelta(days=9))
        )
    steps = phases.timeline(assembly, start)
    assert [s.round for s in steps] == [1, None, 2]
    assert [g.days for g in timeline.gaps(assembly.phases)] == [10, 10]


def test_comment_is_allowed_in_both_comment_rounds() -> None:
    assembly = Assembly(slug="x", title="x", remit="x", commissioned_by="x", operator="x")
    assembly.phases = [
        Phase(kind=PhaseKind.PUBLIC_COMMENT, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 10)),
        Phase(kind=PhaseKind.DRAFTING, starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 20)),
        Phase(
            kind=PhaseKind.PUBLIC_COMMENT, starts_on=date(2027, 1, 21), ends_on=date(2027, 1, 30)
        ),
    ]
    allowed = [
        phases.allows(assembly, phases.Feature.COMMENT, date(2027, 1, d)) for d in (5, 15, 25)
    ]
    assert allowed == [True, False, True]


def test_the_concluded_demo_assembly_happens_in_a_believable_order(db: Session) -> None:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "middelalderbyen-2019"))
    assert assembly is not None
    ordered = sorted(assembly.phases, key=lambda p: p.starts_on)
    assert all(a.ends_on < b.starts_on for a, b in zip(ordered, ordered[1:], strict=False))
    by_kind = {p.kind: p for p in ordered}
    for meeting in assembly.meetings:  # every meeting between learning and the handover
        day = meeting.starts_at.date()
        assert by_kind[PhaseKind.LEARNING].starts_on <= day <= by_kind[PhaseKind.FINAL].ends_on
    handover = MIDDELALDERBYEN_HANDOVER.date()
    assert assembly.meetings[-1].starts_at.date() == handover
    assert assembly.answer_due == handover + timedelta(weeks=assembly.answer_weeks or 0)
    for material in assembly.materials:
        assert material.meeting is not None
        assert material.published_on == material.meeting.starts_at.date()
    for rec in assembly.recommendations:
        assert rec.answer is not None and rec.answer.decided_on is not None
        assert handover < rec.answer.decided_on <= assembly.answer_due
    draw = assembly.draw_on
    assert draw is not None and by_kind[PhaseKind.SELECTION].starts_on <= draw


def test_the_council_answer_demo_is_overdue_with_answers_missing(db: Session) -> None:
    assembly = db.scalar(select(Assembly).where(Assembly.slug == overdue.SLUG))
    assert assembly is not None and assembly.answer_due is not None
    today = NOW.date()
    assert assembly.answer_due < today
    current = phases.current_phase(assembly, today)
    assert current is not None and current.kind == PhaseKind.COUNCIL_ANSWER
    assert all(r.status == RecommendationStatus.FINAL for r in assembly.recommendations)
    pending = [r for r in assembly.recommendations if r.answer.status == AnswerStatus.PENDING]
    assert len(pending) == 3 and all(r.answer.version == 0 for r in pending)
    kinds = [p.kind for p in assembly.phases]
    assert kinds.count(PhaseKind.PUBLIC_COMMENT) == 2  # two comment rounds
    assert len(assembly.members) == assembly.seats


def test_the_demo_pdf_is_structurally_valid() -> None:
    """Every xref offset points at its object and startxref at the table (what readers check)."""
    data = tiny_pdf("Trafiktal (2019) – Østerbro", ["Linje med \\ og (parenteser)"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[start:].startswith(b"xref")
    lines = data[start:].split(b"\n")
    count = int(lines[1].split()[1])
    for number, line in enumerate(lines[3 : 2 + count], start=1):
        offset = int(line.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)
    assert "Østerbro".encode("latin-1") in data  # WinAnsi text, Danish letters kept
