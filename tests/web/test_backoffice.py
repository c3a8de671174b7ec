"""The back office: only staff get in; assemblies are created, previewed, published; the timeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.models import Assembly, AssemblyStatus, AuditEvent, Material, Meeting, PhaseKind
from tests.web import office_fixtures


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[Flask]:
    yield from office_fixtures.upload_app(engine, tmp_path)


@pytest.fixture
def store(app: Flask) -> Iterator[Session]:
    yield from office_fixtures.plain_session(app)


FORM = {
    "title": "Borgersamling om Ærø's færger",
    "summary": "Tilfældigt udvalgte borgere giver råd om færgerne.",
    "remit": "Hvordan skal færgerne sejle i fremtiden?",
    "in_scope": "Sejlplaner og priser.",
    "commissioned_by": "Ærø Kommune",
    "operator": "Uafhængig procesleder",
    "municipality": "Ærø Kommune",
    "seats": "30",
    "answer_weeks": "12",
    "draw_on": "2027-02-01",
    "reply_by": "2027-02-15",
    "meeting_schedule": "Fire lørdage i marts.",
    "compensation": "500 kr. pr. møde.",
}


def _create(client: FlaskClient, **changes: str) -> str:
    response = client.post("/secretariat/assemblies", data={**FORM, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/secretariat/assemblies/([a-z0-9-]+)/timeline", response.location)
    assert match, response.location
    return match.group(1)


def _sample_url(app: Flask, rule: str, store: Session) -> str:
    meeting = store.scalar(
        select(Meeting).join(Assembly).where(Assembly.slug == "middelalderbyen-2019")
    )
    material = store.scalar(select(Material).where(Material.assembly_id == meeting.assembly_id))
    return (
        rule.replace("<slug>", "middelalderbyen-2019")
        .replace("<int:meeting_id>", str(meeting.id))
        .replace("<int:material_id>", str(material.id))
    )


def _office_routes(app: Flask) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("office", "office_meetings"):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                routes.append((method, rule.rule))
    return routes


def test_only_secretariat_and_admins_reach_every_back_office_route(app: Flask, store) -> None:  # type: ignore[no-untyped-def]
    routes = _office_routes(app)
    assert len(routes) >= 20  # assemblies, timeline, meetings and materials
    urls = [(method, _sample_url(app, rule, store)) for method, rule in routes]
    for role in (None, "resident", "member", "committee", "council", "secretariat", "admin"):
        client = app.test_client()
        if role:
            from portal.demo import DEMO_PASSWORD
            from tests.conftest import DEMO_EMAILS

            client.post("/login", data={"email": DEMO_EMAILS[role], "password": DEMO_PASSWORD})
        for method, url in urls:
            response = client.open(url, method=method, data={})
            if role is None:
                assert response.status_code == 302 and "/login" in response.location, url
            elif role in ("secretariat", "admin"):
                assert response.status_code not in (302, 403) or "/login" not in (
                    response.location or ""
                ), (role, method, url)
                assert response.status_code != 403, (role, method, url)
            else:
                assert response.status_code == 403, (role, method, url)


def test_secretariat_finds_the_back_office_from_its_landing_page(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/secretariat/assemblies"' in html and "Ny borgersamling" in html
    listing = client.get("/secretariat/assemblies").get_data(as_text=True)
    assert "Ny borgersamling" in listing and "Borgersamling om mindre biltrafik" in listing
    resident = login_as("resident")
    client.post("/logout")
    resident = login_as("resident")
    assert "/secretariat/assemblies" not in resident.get("/account").get_data(as_text=True)


def test_a_new_assembly_is_planned_and_hidden_until_published(login_as, store, app) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    slug = _create(client)
    assert slug == "borgersamling-om-aeroes-faerger"
    assembly = store.scalar(select(Assembly).where(Assembly.slug == slug))
    assert assembly.status == AssemblyStatus.PLANNED and assembly.answer_weeks == 12
    assert assembly.title_en is None  # English is optional
    preview = client.get(f"/assemblies/{slug}").get_data(as_text=True)
    assert "Forhåndsvisning — ikke offentlig" in preview and "Fire lørdage i marts." in preview
    anonymous = app.test_client()
    assert anonymous.get(f"/assemblies/{slug}").status_code == 404
    assert "færger" not in anonymous.get("/assemblies").get_data(as_text=True)
    response = client.post(f"/secretariat/assemblies/{slug}/status", data={"status": "active"})
    assert response.status_code == 302
    page = anonymous.get(f"/assemblies/{slug}").get_data(as_text=True)
    assert "Forhåndsvisning" not in page and "Hvordan skal færgerne sejle" in page
    actions = store.scalars(
        select(AuditEvent.action).where(AuditEvent.subject == f"assembly:{slug}")
    )
    assert list(actions) == ["assembly.create", "assembly.status"]


def test_a_published_assembly_cannot_go_back_to_planned(login_as, store) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    response = client.post(
        "/secretariat/assemblies/groent-byliv-indre-oesterbro/status", data={"status": "planned"}
    )
    assert response.status_code == 422
    assert "kan ikke blive planlagt igen" in response.get_data(as_text=True)
    assembly = store.scalar(select(Assembly).where(Assembly.slug == "groent-byliv-indre-oesterbro"))
    assert assembly.status == AssemblyStatus.ACTIVE
    page = client.get("/secretariat/assemblies/groent-byliv-indre-oesterbro/overview")
    assert 'value="planned"' not in page.get_data(as_text=True)  # never offered


def test_missing_danish_text_is_refused_and_what_was_typed_is_kept(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    response = client.post(
        "/secretariat/assemblies",
        data={**FORM, "remit": "", "seats": "many", "title_en": "Ferries"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Udfyld feltet på dansk." in html and "Skriv et helt tal mellem 1 og 1000." in html
    assert "Ferries" in html and "Ærø Kommune" in html


def test_slug_is_unique_validated_and_never_changes(login_as, store) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    first, second = _create(client), _create(client)
    assert second == f"{first}-2"
    bad = client.post("/secretariat/assemblies", data={**FORM, "slug": "Æ/../x"})
    assert bad.status_code == 422 and "Brug kun små bogstaver" in bad.get_data(as_text=True)
    taken = client.post("/secretariat/assemblies", data={**FORM, "slug": first})
    assert "allerede i brug" in taken.get_data(as_text=True)
    edit = client.post(
        f"/secretariat/assemblies/{first}/edit",
        data={**FORM, "title": "Et helt nyt navn", "slug": "hacked"},
    )
    assert edit.status_code == 302
    assembly = store.scalar(select(Assembly).where(Assembly.title == "Et helt nyt navn"))
    assert assembly.slug == first
    event = store.scalar(select(AuditEvent).where(AuditEvent.action == "assembly.update"))
    assert event is not None and "title" in event.detail


def test_english_page_shows_danish_marked_as_danish_where_no_english_exists(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    slug = _create(client, title_en="Assembly on the ferries of Ærø")
    client.set_cookie("samling-lang", "en")
    html = client.get(f"/assemblies/{slug}").get_data(as_text=True)
    assert "Assembly on the ferries of Ærø" in html
    assert '<span lang="da">Hvordan skal færgerne sejle i fremtiden?</span>' in html
    assert '<span lang="da">Sejlplaner og priser.</span>' in html


def test_timeline_allows_two_comment_rounds_and_shows_gaps(login_as, store) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    slug = _create(client)
    rows = [
        ("drafting", "2027-03-01", "2027-03-20", ""),
        ("public_comment", "2027-03-21", "2027-04-03", "Runde 1"),
        ("drafting", "2027-04-04", "2027-04-10", ""),
        ("public_comment", "2027-04-20", "2027-04-30", "Runde 2"),
    ]
    data = {"rows": "5"}
    for i, (kind, start, end, label) in enumerate(rows):
        data |= {
            f"phases-{i}-kind": kind,
            f"phases-{i}-starts_on": start,
            f"phases-{i}-ends_on": end,
            f"phases-{i}-label": label,
        }
    response = client.post(f"/secretariat/assemblies/{slug}/timeline", data=data)
    assert response.status_code == 302
    assembly = store.scalar(select(Assembly).where(Assembly.slug == slug))
    store.refresh(assembly)
    kinds = [p.kind for p in sorted(assembly.phases, key=lambda p: p.starts_on)]
    assert kinds.count(PhaseKind.PUBLIC_COMMENT) == 2
    page = client.get(f"/secretariat/assemblies/{slug}/timeline").get_data(as_text=True)
    assert "Pause: 9 dage uden fase" in page
    public = client.get(f"/assemblies/{slug}").get_data(as_text=True)
    assert "Offentlig kommentering – runde 2: Runde 2" in public


def test_overlapping_phases_are_refused_with_a_message_naming_them(login_as, store) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    data = {
        "rows": "2",
        "phases-0-kind": "learning",
        "phases-0-starts_on": "2027-03-01",
        "phases-0-ends_on": "2027-03-20",
        "phases-1-kind": "deliberation",
        "phases-1-starts_on": "2027-03-15",
        "phases-1-ends_on": "2027-04-01",
    }
    response = client.post("/secretariat/assemblies/baeredygtigt-forbrug/timeline", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Drøftelse (15. mar. 2027" in html and "overlapper Læring (1. mar. 2027" in html
    assert 'value="2027-03-15"' in html  # what was typed is kept
    assembly = store.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    assert len(assembly.phases) == 9  # unchanged


def test_bad_phase_rows_get_field_messages(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    data = {
        "rows": "2",
        "phases-0-kind": "nonsense",
        "phases-0-starts_on": "2027-03-01",
        "phases-1-kind": "learning",
        "phases-1-starts_on": "2027-03-10",
        "phases-1-ends_on": "2027-03-01",
    }
    html = client.post("/secretariat/assemblies/baeredygtigt-forbrug/timeline", data=data)
    text = html.get_data(as_text=True)
    assert "Vælg en fase." in text and "Slutdatoen ligger før startdatoen." in text


def test_a_new_assembly_has_working_recruitment_and_overview_pages(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    slug = _create(client)
    for url in (
        f"/secretariat/assemblies/{slug}/overview",
        f"/secretariat/assemblies/{slug}/edit",
        f"/assemblies/{slug}/materials",
    ):
        assert client.get(url).status_code == 200, url
    overview = client.get(f"/secretariat/assemblies/{slug}/overview").get_data(as_text=True)
    assert f'href="/secretariat/assemblies/{slug}"' not in overview  # recruitment: once published
    client.post(f"/secretariat/assemblies/{slug}/status", data={"status": "active"})
    assert client.get(f"/secretariat/assemblies/{slug}").status_code == 200


def test_an_action_refused_by_the_phase_never_ends_on_a_dead_end(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/assemblies/middelalderbyen-2019/register", data={"first_name": "A"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (
        'href="/assemblies/middelalderbyen-2019"' in html and "Tilbage til borgersamlingen" in html
    )
    page = client.get("/assemblies/middelalderbyen-2019").get_data(as_text=True)
    assert "/assemblies/middelalderbyen-2019/register" not in page  # no sign-up offered


def test_whoever_creates_an_assembly_facilitates_its_workspace(login_as, store) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Facilitator, User

    client = login_as("secretariat")
    slug = _create(client)
    assembly = store.scalar(select(Assembly).where(Assembly.slug == slug))
    facilitators = store.scalars(
        select(User.email)
        .join(Facilitator, Facilitator.user_id == User.id)
        .where(Facilitator.assembly_id == assembly.id)
    )
    assert list(facilitators) == ["secretariat@example.org"]
    assert client.get(f"/assemblies/{slug}/workspace").status_code == 200
