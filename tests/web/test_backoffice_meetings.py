"""Meetings and materials: published, corrected, unpublished, deleted; uploads checked by content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from portal.demo.files import tiny_pdf
from portal.models import Assembly, AuditEvent, Material, Meeting, Member, MemberStatus, OutboxEmail
from tests.web import office_fixtures

GROENT = "groent-byliv-indre-oesterbro"
BASE = f"/secretariat/assemblies/{GROENT}"
MEETING = {
    "title": "Ekstra møde om træer",
    "date": "2027-01-16",
    "starts": "10:00",
    "ends": "15:30",
    "place": "Østerbrohuset",
    "address": "Østerbrogade 105, 2100 København Ø",
    "accessibility": "Niveaufri adgang og teleslynge.",
    "agenda": "10.00 Velkomst\n11.00 Træer",
    "published": "yes",
}
MATERIAL = {
    "title": "Rapport om bytræer",
    "kind": "report",
    "chosen_by": "assembly",
    "source": "Anna Skov",
    "affiliation": "Københavns Universitet",
    "summary": "Hvilke træer trives i byen?",
    "plain_summary": "Lindetræer og ahorn klarer sig bedst.",
    "published": "yes",
}


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[Flask]:
    yield from office_fixtures.upload_app(engine, tmp_path)


@pytest.fixture
def store(app: Flask) -> Iterator[Session]:
    yield from office_fixtures.plain_session(app)


@pytest.fixture
def uploads(app: Flask) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _assembly(store: Session, slug: str = GROENT) -> Assembly:
    return store.scalar(select(Assembly).where(Assembly.slug == slug))  # type: ignore[return-value]


def _new_meeting(client: FlaskClient, store: Session, **changes: str) -> Meeting:
    response = client.post(f"{BASE}/meetings", data={**MEETING, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return store.scalar(select(Meeting).where(Meeting.title == MEETING["title"]))  # type: ignore[return-value]


def test_a_meeting_is_stored_in_utc_and_gets_a_public_page(login_as, store, app) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    meeting = _new_meeting(client, store, minutes="Vi talte om lind og ahorn.")
    assert meeting.starts_at == datetime(2027, 1, 16, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen
    numbers = [m.number for m in sorted(_assembly(store).meetings, key=lambda m: m.starts_at)]
    assert numbers == list(range(1, len(numbers) + 1))
    page = app.test_client().get(f"/assemblies/{GROENT}/meetings/{meeting.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Østerbrogade 105" in html and "Niveaufri adgang og teleslynge." in html
    assert "10.00 Velkomst" in html and "Vi talte om lind og ahorn." in html
    assert "10.00" in html or "10:00" in html
    assembly_page = app.test_client().get(f"/assemblies/{GROENT}").get_data(as_text=True)
    assert f"/assemblies/{GROENT}/meetings/{meeting.id}" in assembly_page


def test_bad_meeting_times_are_refused_with_messages(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    response = client.post(
        f"{BASE}/meetings", data={**MEETING, "date": "16/1", "ends": "09:00", "place": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv datoen som ÅÅÅÅ-MM-DD" in html and "Udfyld feltet på dansk." in html
    response = client.post(f"{BASE}/meetings", data={**MEETING, "ends": "09:00"})
    assert "Mødet skal slutte efter, at det begynder." in response.get_data(as_text=True)


def test_moving_a_meeting_emails_every_active_member_in_the_same_transaction(
    login_as, store
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    meeting = _new_meeting(client, store)
    before = store.scalar(select(func.count()).select_from(OutboxEmail))
    active = store.scalar(
        select(func.count())
        .select_from(Member)
        .where(Member.assembly_id == meeting.assembly_id, Member.status == MemberStatus.ACTIVE)
    )
    # the agenda changes: nobody is e-mailed
    client.post(f"{BASE}/meetings/{meeting.id}/edit", data={**MEETING, "agenda": "Ny dagsorden"})
    assert store.scalar(select(func.count()).select_from(OutboxEmail)) == before
    # the place changes: every active member is told, in Danish whatever the secretary reads
    client.set_cookie("samling-lang", "en")
    response = client.post(
        f"{BASE}/meetings/{meeting.id}/edit", data={**MEETING, "place": "Kulturhuset Indre By"}
    )
    assert response.status_code == 302
    mails = store.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(active)).all()
    assert store.scalar(select(func.count()).select_from(OutboxEmail)) == before + active
    assert all(
        "Kulturhuset Indre By" in m.body and "Ekstra møde om træer" in m.subject for m in mails
    )
    assert "member@example.org" in {m.to for m in mails}
    assert all(
        m.body.startswith("Kære medlem af") and "lørdag 16. januar 2027 kl. 10:00" in m.body
        for m in mails
    )
    event = store.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "meeting.update")
        .order_by(AuditEvent.id.desc())
    )
    assert event is not None and f"{active} members e-mailed" in event.detail


def test_unpublished_and_deleted_meetings_leave_public_view_with_an_audit_event(
    login_as, store, app
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    meeting = _new_meeting(client, store)
    public = app.test_client()
    url = f"/assemblies/{GROENT}/meetings/{meeting.id}"
    assert public.get(url).status_code == 200
    client.post(f"{BASE}/meetings/{meeting.id}/publish", data={"published": ""})
    assert public.get(url).status_code == 404
    assert "Ekstra møde om træer" not in public.get(f"/assemblies/{GROENT}").get_data(as_text=True)
    # Deleting asks first: without the confirmation page's "yes" nothing is deleted.
    unconfirmed = client.post(f"{BASE}/meetings/{meeting.id}/delete")
    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(f"/meetings/{meeting.id}/delete")
    assert store.scalar(select(Meeting.id).where(Meeting.id == meeting.id)) == meeting.id
    confirm_page = client.get(f"{BASE}/meetings/{meeting.id}/delete").get_data(as_text=True)
    assert "Slet mødet?" in confirm_page and 'name="confirm" value="yes"' in confirm_page
    client.post(f"{BASE}/meetings/{meeting.id}/delete", data={"confirm": "yes"})
    assert store.scalar(select(Meeting.id).where(Meeting.id == meeting.id)) is None
    actions = store.scalars(
        select(AuditEvent.action).where(AuditEvent.subject == f"meeting:{meeting.id}")
    ).all()
    assert actions == ["meeting.create", "meeting.unpublish", "meeting.delete"]


def test_activity_links_land_on_the_meeting(app) -> None:  # type: ignore[no-untyped-def]
    html = app.test_client().get("/").get_data(as_text=True)
    assert f"/assemblies/{GROENT}/meetings/" in html


def _upload(client: FlaskClient, data: bytes, name: str, **changes: str):  # type: ignore[no-untyped-def]
    form = {**MATERIAL, **changes, "file": (io.BytesIO(data), name)}
    return client.post(f"{BASE}/materials", data=form, content_type="multipart/form-data")


def test_a_pdf_upload_is_stored_outside_static_and_served_safely(
    login_as, store, uploads, app
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    response = _upload(client, tiny_pdf("Bytræer", ["En side"]), "../../Rapport om bytræer!.PDF")
    assert response.status_code == 302, response.get_data(as_text=True)
    material = store.scalar(select(Material).where(Material.title == MATERIAL["title"]))
    assert material.content_type == "application/pdf"
    assert material.file_name == "Rapport-om-bytræer.pdf"
    assert _files(uploads) == [material.stored_name]
    download = app.test_client().get(f"/assemblies/{GROENT}/materials/{material.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("inline") and "Rapport-om-bytr" in disposition
    assert "/" not in disposition and ".." not in disposition
    listing = app.test_client().get(f"/assemblies/{GROENT}/materials").get_data(as_text=True)
    assert "Rapport om bytræer" in listing and "Anna Skov" in listing
    assert "Københavns Universitet" in listing and "Valgt af borgersamlingen" in listing


def test_office_documents_are_attachments(login_as, store, app) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert _upload(client, docx.getvalue(), "notat.docx").status_code == 302
    material = store.scalar(select(Material).where(Material.title == MATERIAL["title"]))
    assert material.file_name == "notat.docx"
    download = app.test_client().get(f"/assemblies/{GROENT}/materials/{material.id}/file")
    assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "rapport.pdf", "Filtypen er ikke tilladt"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "figur.svg", "Filtypen er ikke tilladt"),
        (b"PK\x03\x04 not really a zip", "notat.docx", "Filtypen er ikke tilladt"),
        (b"%PDF-1.4\n" + b"0" * office_fixtures.MAX_BYTES, "stor.pdf", "Filen er for stor"),
        (b"", "tom.pdf", "Filen er tom"),
    ],
)
def test_wrong_or_too_large_uploads_are_refused_and_leave_nothing_behind(
    login_as, store, uploads, data, name, message
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    before = store.scalar(select(func.count()).select_from(Material))
    response = _upload(client, data, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "Rapport om bytræer" in html  # what was typed is kept
    assert store.scalar(select(func.count()).select_from(Material)) == before
    assert _files(uploads) == []


def test_a_refused_form_after_the_upload_leaves_no_file(login_as, store, uploads) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    response = _upload(client, tiny_pdf("x", []), "x.pdf", plain_summary="")
    assert response.status_code == 422
    assert "tilgængelig udgave" in response.get_data(as_text=True)
    assert _files(uploads) == []


def test_videos_need_captions_and_links_must_be_web_addresses(login_as, store) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    video = {**MATERIAL, "kind": "video", "plain_summary": "", "url": "https://video.example/1"}
    response = client.post(f"{BASE}/materials", data=video)
    assert response.status_code == 422 and "undertekster" in response.get_data(as_text=True)
    bad = client.post(f"{BASE}/materials", data={**video, "url": "javascript:alert(1)"})
    assert "begynder med https://" in bad.get_data(as_text=True)
    ok = client.post(f"{BASE}/materials", data={**video, "captions": "yes"})
    assert ok.status_code == 302
    material = store.scalar(select(Material).where(Material.title == MATERIAL["title"]))
    assert material.url == "https://video.example/1" and material.stored_name is None


def test_materials_filter_by_kind_and_meeting(app, store) -> None:  # type: ignore[no-untyped-def]
    assembly = _assembly(store, "middelalderbyen-2019")
    client = app.test_client()
    base = "/assemblies/middelalderbyen-2019/materials"
    html = client.get(f"{base}?kind=expert_talk").get_data(as_text=True)
    assert "Bilfrie bykerner" in html and "Trafiktal for Middelalderbyen" not in html
    third = next(m for m in assembly.meetings if m.number == 3)
    html = client.get(f"{base}?meeting={third.id}").get_data(as_text=True)
    assert "Varelevering uden biler" in html and "Trafiktal" not in html
    html = client.get(f"{base}?kind=nonsense&meeting=999999").get_data(as_text=True)
    assert "Ukendt slags materiale: nonsense" in html and "Ukendt møde: 999999" in html


def test_unpublished_and_deleted_materials_are_gone_with_their_file(
    login_as, store, uploads, app
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    assert _upload(client, tiny_pdf("Bytræer", []), "a.pdf").status_code == 302
    material = store.scalar(select(Material).where(Material.title == MATERIAL["title"]))
    public = app.test_client()
    file_url = f"/assemblies/{GROENT}/materials/{material.id}/file"
    assert public.get(file_url).status_code == 200
    client.post(f"{BASE}/materials/{material.id}/publish", data={"published": ""})
    assert public.get(file_url).status_code == 404
    assert "Rapport om bytræer" not in public.get(f"/assemblies/{GROENT}/materials").get_data(
        as_text=True
    )
    assert client.get(file_url).status_code == 200  # staff can still check it
    client.post(f"{BASE}/materials/{material.id}/delete")  # not confirmed: kept, file too
    assert store.scalar(select(Material.id).where(Material.id == material.id)) == material.id
    assert _files(uploads) != []
    assert "Slet materialet?" in client.get(f"{BASE}/materials/{material.id}/delete").get_data(
        as_text=True
    )
    client.post(f"{BASE}/materials/{material.id}/delete", data={"confirm": "yes"})
    assert store.scalar(select(Material.id).where(Material.id == material.id)) is None
    assert _files(uploads) == []
    actions = store.scalars(
        select(AuditEvent.action).where(AuditEvent.subject == f"material:{material.id}")
    ).all()
    assert actions == ["material.create", "material.unpublish", "material.delete"]


def test_demo_materials_have_real_files(app, store) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import DEMO_UPLOADS

    assembly = _assembly(store, "middelalderbyen-2019")
    with_files = [m for m in assembly.materials if m.stored_name]
    assert with_files
    client = make_demo_client(app, DEMO_UPLOADS)
    response = client.get(f"/assemblies/middelalderbyen-2019/materials/{with_files[0].id}/file")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-1.4")


def make_demo_client(app: Flask, directory: str) -> FlaskClient:
    app.config["UPLOAD_DIR"] = directory
    return app.test_client()


def test_an_upload_far_over_the_limit_is_cut_off_with_a_clear_message(
    login_as, store, uploads
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    before = store.scalar(select(func.count()).select_from(Material))
    huge = b"%PDF-1.4\n" + b"0" * (office_fixtures.MAX_BYTES + 1_100_000)
    response = _upload(client, huge, "enorm.pdf")
    assert response.status_code == 413
    assert "Filen er for stor" in response.get_data(as_text=True)
    assert store.scalar(select(func.count()).select_from(Material)) == before
    assert _files(uploads) == []


def test_the_cut_off_happens_before_the_csrf_check_reads_the_form(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from portal.demo import DEMO_PASSWORD
    from tests.conftest import csrf_token_from, make_test_app

    app, close = make_test_app(
        engine, UPLOAD_DIR=str(tmp_path), UPLOAD_MAX_BYTES=1000, WTF_CSRF_ENABLED=True
    )
    try:
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        login = {"email": "secretariat@example.org", "password": DEMO_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=login).status_code == 302
        huge = {"file": (io.BytesIO(b"0" * 1_200_000), "a.pdf")}
        response = client.post(f"{BASE}/materials", data=huge, content_type="multipart/form-data")
        # Cut off before CSRFProtect parsed the body: our message, not a CSRF refusal (400).
        assert response.status_code == 413
        assert "Filen er for stor" in response.get_data(as_text=True)
        assert list(tmp_path.iterdir()) == []
    finally:
        close()
