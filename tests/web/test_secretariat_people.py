"""The secretariat's people pages: registrants and exports, postcodes, facilitators, organisations."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    AuditEvent,
    Facilitator,
    Organisation,
    OrganisationKind,
    Recruitment,
    Registrant,
    RegistrantStatus,
    User,
)
from tests.web.test_member_login import last_mail, link_in
from tests.web.test_registration import valid

SLUG = "baeredygtigt-forbrug"
BASE = f"/secretariat/assemblies/{SLUG}"


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def registrants(db: Session) -> list[Registrant]:
    return list(
        db.scalars(
            select(Registrant)
            .join(Assembly, Assembly.id == Registrant.assembly_id)
            .where(Assembly.slug == SLUG)
            .order_by(Registrant.id)
        )
    )


def exported(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_registrants_are_listed_and_filtered(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    people = registrants(db)
    drawn = people[0]
    drawn.status, drawn.access_needs = RegistrantStatus.DRAWN, "Kørestol, trinfri adgang"
    people[1].access_needs = "Høreslynge"
    drawn.last_name, people[1].last_name = "Aabel", "Aaberg"  # first on page 1
    db.commit()
    client = login_as("secretariat")
    html = client.get(BASE + "/registrants").get_data(as_text=True)
    assert f"{drawn.first_name} {drawn.last_name}" in html and drawn.email in html
    assert "Kørestol, trinfri adgang" in html  # planning needs a drawn person's needs
    assert "Høreslynge" not in html  # not shown for people who were not drawn
    only_drawn = client.get(BASE + "/registrants?status=drawn").get_data(as_text=True)
    assert drawn.email in only_drawn and people[1].email not in only_drawn
    women = client.get(BASE + "/registrants?answer-Køn=Kvinde").get_data(as_text=True)
    shown = [p for p in people if p.email in women]
    assert shown and all(p.answers.get("Køn") == "Kvinde" for p in shown)
    assert "Side 1 af" in women and "Næste" in women
    count = sum(1 for p in people if p.answers.get("Køn") == "Kvinde")
    assert f"{count} personer" in women


def test_export_leaves_access_needs_out_unless_asked_and_is_audited(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    people = registrants(db)
    people[0].status, people[0].access_needs = RegistrantStatus.DRAWN, "Tolk"
    people[1].first_name = "=HYPERLINK(1)"
    db.commit()
    client = login_as("secretariat")
    plain = client.post(BASE + "/registrants.csv", data={"status": ""})
    assert plain.status_code == 200 and plain.mimetype == "text/csv"
    rows = exported(plain)
    assert len(rows) == len(people)
    assert "særlige behov" not in rows[0] and "Tolk" not in plain.get_data(as_text=True)
    assert any(r["fornavn"] == "'=HYPERLINK(1)" for r in rows)  # no formulas in spreadsheets
    with_needs = client.post(
        BASE + "/registrants.csv", data={"status": "drawn", "access_needs": "yes"}
    )
    rows = exported(with_needs)
    assert [r["særlige behov"] for r in rows] == ["Tolk"]
    events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "registrants.exported")))
    assert [e.detail.split()[-1] for e in events] == ["access_needs=no", "access_needs=yes"]
    assert "status=drawn" in events[1].detail and events[1].actor_id is not None


def test_blanked_people_are_never_listed_or_exported(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    people = registrants(db)
    gone = people[2]
    email = gone.email
    gone.blanked_at = gone.created_at
    db.commit()
    client = login_as("secretariat")
    assert email not in client.get(BASE + "/registrants").get_data(as_text=True)
    assert email not in client.post(BASE + "/registrants.csv").get_data(as_text=True)


def test_postcodes_limit_sign_up_with_a_clear_message(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client = login_as("secretariat")
    bad = client.post(BASE + "/eligibility", data={"postcodes": "5000, abc"})
    assert bad.status_code == 422 and "Ikke et postnummer: abc" in bad.get_data(as_text=True)
    assert (
        client.post(BASE + "/eligibility", data={"postcodes": "5000-5029\n5200"}).status_code == 302
    )
    page = client.get(BASE + "/eligibility").get_data(as_text=True)
    assert "5000-5029, 5200" in page
    resident = app.test_client()
    form = resident.get(f"/assemblies/{SLUG}/register").get_data(as_text=True)
    assert "Kun borgere med disse postnumre kan tilmelde sig: 5000-5029, 5200" in form
    refused = resident.post(
        f"/assemblies/{SLUG}/register", data=valid(postcode="8000", email="aarhus@example.dk")
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Postnummer 8000 hører ikke til området" in html
    accepted = resident.post(
        f"/assemblies/{SLUG}/register", data=valid(postcode="5200", email="odense@example.dk")
    )
    assert accepted.status_code == 302
    # An empty list lifts the restriction again.
    client.post(BASE + "/eligibility", data={"postcodes": ""})
    again = resident.post(
        f"/assemblies/{SLUG}/register", data=valid(postcode="8000", email="aarhus@example.dk")
    )
    assert again.status_code == 302
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "eligibility.saved"))


def test_a_copenhagen_assembly_refuses_an_aarhus_postcode(app: Flask, db: Session) -> None:
    """The demo's Indre Østerbro assembly lists its postcodes (2100, 2150)."""
    from portal.recruitment.eligibility import postcode_problem

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "groent-byliv-indre-oesterbro"))
    with app.test_request_context():
        assert postcode_problem(db, assembly, "8000")
        assert postcode_problem(db, assembly, "2100") is None


def test_facilitators_are_per_assembly(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    workspace = "/assemblies/groent-byliv-indre-oesterbro/workspace"
    people = "/secretariat/assemblies/groent-byliv-indre-oesterbro"
    client = login_as("secretariat")
    assert client.get(workspace).status_code == 200
    secretariat = db.scalar(select(User).where(User.email == "secretariat@example.org"))
    row = db.scalar(
        select(Facilitator)
        .join(Assembly, Assembly.id == Facilitator.assembly_id)
        .where(
            Facilitator.user_id == secretariat.id, Assembly.slug == "groent-byliv-indre-oesterbro"
        )  # type: ignore[union-attr]
    )
    assert row is not None
    assert client.post(f"{people}/facilitators/{row.id}/remove").status_code == 302
    assert client.get(workspace).status_code == 403  # the role alone no longer lets one in
    unknown = client.post(f"{people}/facilitators", data={"email": "nobody@example.org"})
    assert unknown.status_code == 422
    assert (
        client.post(f"{people}/facilitators", data={"email": "council@example.org"}).status_code
        == 302
    )
    council = app.test_client()
    council.post("/login", data={"email": "council@example.org", "password": DEMO_PASSWORD})
    page = council.get(workspace)
    assert page.status_code == 200 and "Du er facilitator" in page.get_data(as_text=True)
    actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "facilitator.removed" in actions and "facilitator.added" in actions


def test_organisations_are_created_edited_and_staffed(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    client: FlaskClient = login_as("secretariat")
    missing = client.post("/secretariat/organisations", data={"name": "", "kind": "lokaludvalg"})
    assert missing.status_code == 422
    response = client.post(
        "/secretariat/organisations",
        data={"name": "Nørrebro Lokaludvalg", "kind": "lokaludvalg", "district": "Nørrebro"},
    )
    assert response.status_code == 302
    org = db.scalar(select(Organisation).where(Organisation.name == "Nørrebro Lokaludvalg"))
    assert org is not None and not org.verified and org.kind == OrganisationKind.LOKALUDVALG
    base = f"/secretariat/organisations/{org.id}"
    client.post(
        base,
        data={
            "name": "Nørrebro Lokaludvalg",
            "kind": "lokaludvalg",
            "district": "Nørrebro",
            "verified": "yes",
        },
    )
    db.refresh(org)
    assert org.verified
    assert "Verificeret organisation" in client.get("/secretariat/organisations").get_data(
        as_text=True
    )
    # An existing account is linked; a new address gets an invitation.
    assert client.post(base + "/people", data={"email": "resident@example.org"}).status_code == 302
    assert (
        client.post(
            base + "/people", data={"email": "ny@norrebro.dk", "display_name": "Nora Nørrebro"}
        ).status_code
        == 302
    )
    twice = client.post(base + "/people", data={"email": "RESIDENT@example.org"})
    assert twice.status_code == 422
    db.refresh(org)
    assert sorted(p.user.email for p in org.people) == ["ny@norrebro.dk", "resident@example.org"]
    path = link_in(last_mail(db, "ny@norrebro.dk"))
    assert app.test_client().get(path).status_code == 200
    person = next(p for p in org.people if p.user.email == "resident@example.org")
    assert client.post(f"{base}/people/{person.id}/remove").status_code == 302
    db.refresh(org)
    assert [p.user.email for p in org.people] == ["ny@norrebro.dk"]
    assert db.scalar(select(User).where(User.email == "resident@example.org"))  # account stays


def test_data_kept_flag_on_the_registrant_page(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    assembly = db.scalar(select(Assembly).where(Assembly.slug == SLUG))
    settings = db.scalar(select(Recruitment).where(Recruitment.assembly_id == assembly.id))  # type: ignore[union-attr]
    if settings is None:
        settings = Recruitment(assembly_id=assembly.id)  # type: ignore[union-attr]
        db.add(settings)
    settings.blanked_at = registrants(db)[0].created_at
    db.commit()
    html = login_as("secretariat").get(BASE + "/registrants").get_data(as_text=True)
    assert "er slettet" in html
