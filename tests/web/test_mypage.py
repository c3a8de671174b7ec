"""Every role lands on a start page that shows its work; the account settings have their own page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    Comment,
    CouncilAnswer,
    Recommendation,
    RecommendationStatus,
    Registrant,
    User,
)
from portal.passwords import hash_password


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def test_login_lands_on_the_start_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/login", data={"email": "member@example.org", "password": DEMO_PASSWORD}
    )
    assert response.headers["Location"] == "/mine"


def test_a_member_sees_their_assembly_drafts_and_threads(login_as) -> None:  # type: ignore[no-untyped-def]
    html = login_as("member").get("/mine").get_data(as_text=True)
    slug = "groent-byliv-indre-oesterbro"
    assert f'href="/assemblies/{slug}/workspace"' in html and "Du er medlem." in html
    assert f"/assemblies/{slug}/workspace/recommendations/1" in html
    assert f"/assemblies/{slug}/workspace/forum/" in html
    assert "Det skal sekretariatet gøre" not in html


def test_the_secretariat_sees_what_needs_doing(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    rec = db.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    assert rec is not None
    db.add(Comment(recommendation_id=rec.id, revision_id=rec.revisions[-1].id, text="Godt forslag"))
    db.commit()
    html = login_as("secretariat").get("/mine").get_data(as_text=True)
    assert "Det skal sekretariatet gøre" in html
    assert "320 tilmeldte til lodtrækningen" in html  # the recruiting assembly's registrations
    assert "/secretariat/assemblies/baeredygtigt-forbrug/registrants" in html
    assert "Du er facilitator for" in html  # the demo's facilitator relation
    assert "/assemblies/baeredygtigt-forbrug/workspace" in html
    assert "1 input uden svar" in html
    # The back office is one click away: every assembly's overview and a new assembly.
    assert 'href="/secretariat/assemblies"' in html and 'href="/secretariat/assemblies/new"' in html
    assert "/secretariat/assemblies/baeredygtigt-forbrug/overview" in html


def test_an_admin_finds_users_bodies_and_the_site_settings(login_as) -> None:  # type: ignore[no-untyped-def]
    html = login_as("admin").get("/mine").get_data(as_text=True)
    for path in ("/admin/users", "/admin/bodies", "/admin/settings", "/secretariat/assemblies/new"):
        assert f'href="{path}"' in html, path


def test_the_council_sees_final_recommendations_awaiting_an_answer(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    html = login_as("council").get("/mine").get_data(as_text=True)
    # The demo's skybrud assembly waits for answers past its due date.
    assert "skybrud og regnvand" in html and "Svarfristen var" in html
    assert "Teknik- og Miljøudvalget" in html
    rec = db.scalar(
        select(Recommendation)
        .join(Assembly)
        .where(Assembly.slug == "groent-byliv-indre-oesterbro", Recommendation.number == 2)
    )
    assert rec is not None
    rec.status = RecommendationStatus.FINAL
    answered = db.scalar(select(CouncilAnswer).order_by(CouncilAnswer.id))
    assert answered is not None
    db.commit()
    html = login_as("council").get("/mine").get_data(as_text=True)
    assert rec.title in html and "Svarfrist" in html
    assert answered.recommendation.title not in html  # answered ones are not waiting


def test_an_organisation_sees_drafts_open_for_input_in_its_district(login_as) -> None:  # type: ignore[no-untyped-def]
    html = login_as("committee").get("/mine").get_data(as_text=True)
    assert "Østerbro Lokaludvalg" in html and "Verificeret organisation" in html
    assert "/assemblies/groent-byliv-indre-oesterbro/recommendations/1" in html
    assert "/assemblies/groent-byliv-indre-oesterbro/responses/new?recommendation=1" in html
    # Its filed responses, the demo's one on the whole draft changeable by the person who filed it.
    filed = html[html.index("Jeres høringssvar") :]
    assert "Østerbro Lokaludvalgs høringssvar til udkastet" in filed
    assert "/responses/" in filed and "/edit" in filed


def test_a_resident_sees_their_sign_ups(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    person = db.scalars(select(Registrant).order_by(Registrant.id.desc())).first()
    assert person is not None
    person.email = "resident@example.org"
    db.commit()
    html = login_as("resident").get("/mine").get_data(as_text=True)
    assert "Dine tilmeldinger" in html and person.token in html


def test_a_new_account_gets_a_helpful_empty_page(app: Flask, db: Session) -> None:
    db.add(
        User(
            email="tom@example.org",
            display_name="Tom",
            password_hash=hash_password(DEMO_PASSWORD, "fast"),
        )
    )
    db.commit()
    client = app.test_client()
    client.post("/login", data={"email": "tom@example.org", "password": DEMO_PASSWORD})
    html = client.get("/mine").get_data(as_text=True)
    assert "Her er ingenting endnu" in html and 'href="/assemblies"' in html


def test_settings_have_their_own_page(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("member")
    mine = client.get("/mine").get_data(as_text=True)
    assert 'href="/account"' in mine and "Skift adgangskode" not in mine
    settings = client.get("/account").get_data(as_text=True)
    assert "Skift adgangskode" in settings and "Log ud overalt" in settings


def test_start_page_queries_do_not_grow_with_assemblies(app: Flask, login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    from portal.models import AssemblyStatus, Facilitator
    from tests.web.test_query_count import _count

    client = login_as("secretariat")
    secretariat = db.scalar(select(User).where(User.email == "secretariat@example.org"))
    assert secretariat is not None

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            assembly = Assembly(
                slug=f"flere-{i}",
                title=f"Flere {i}",
                remit="?",
                commissioned_by="x",
                operator="y",
                seats=10,
                municipality="z",
                status=AssemblyStatus.PLANNED,
            )
            assembly.recommendations.append(
                Recommendation(number=1, title="A", text="T", status=RecommendationStatus.WORKING)
            )
            db.add(assembly)
            db.flush()
            db.add(Facilitator(assembly_id=assembly.id, user_id=secretariat.id))
        db.commit()

    add(2, 1)
    small = _count(app, client, "/mine")
    add(10, 3)
    large = _count(app, client, "/mine")
    assert large == small, (small, large)
