"""Public pages: every assembly readable without an account; htmx partials; errors."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import text


def test_home_explains_and_lists_current_assemblies(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "trukket lod" in html
    assert "Borgersamling om grønt byliv på Indre Østerbro" in html
    assert "Offentlig kommentering" in html  # its phase now
    assert "Borgersamling om bæredygtigt forbrug" in html
    # concluded assemblies are not "in progress"
    assert "Borgersamlinger i gang" in html
    assert "Seneste aktivitet" in html and "Lommeparker i sidegaderne" in html


def test_assembly_list_filters_by_phase_status_and_year(client: FlaskClient) -> None:
    html = client.get("/assemblies?phase=public_comment").get_data(as_text=True)
    assert "grønt byliv" in html and "Middelalderbyen" not in html
    html = client.get("/assemblies?status=concluded").get_data(as_text=True)
    assert "Middelalderbyen" in html and "grønt byliv" not in html
    html = client.get("/assemblies?year=2019").get_data(as_text=True)
    assert "Middelalderbyen" in html and "bæredygtigt forbrug" not in html
    assert "5 borgersamlinger" in client.get("/assemblies").get_data(as_text=True)


def test_unknown_filter_values_are_reported_not_crashing(client: FlaskClient) -> None:
    response = client.get("/assemblies?phase=nonsense&year=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ukendt fase: nonsense" in html and "Ugyldigt år: abc" in html
    assert "5 borgersamlinger" in html


def test_assembly_list_htmx_returns_only_the_partial(client: FlaskClient) -> None:
    response = client.get("/assemblies?status=concluded", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="assembly-list"')
    assert "<html" not in html and "Middelalderbyen" in html
    assert "HX-Request" in response.headers["Vary"]
    page = client.get("/assemblies?status=concluded").get_data(as_text=True)
    assert "<html" in page and 'id="assembly-list"' in page


def test_pagination_keeps_filters(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    app.config["PAGE_SIZE"] = 1
    html = client.get("/assemblies?status=active").get_data(as_text=True)
    assert "Side 1 af 4" in html
    assert "status=active" in html and "page=2" in html
    second = client.get("/assemblies?status=active&page=2").get_data(as_text=True)
    assert "Side 2 af 4" in second
    empty = client.get("/assemblies?status=active&page=9").get_data(as_text=True)
    assert "Ingen borgersamlinger matcher filteret" in empty


def test_assembly_page_shows_remit_timeline_members_meetings_materials_recs(
    client: FlaskClient,
) -> None:
    html = client.get("/assemblies/middelalderbyen-2019").get_data(as_text=True)
    assert "Hvordan kan vi skabe en Middelalderby med mindre biltrafik?" in html
    assert "Teknik- og Miljøudvalget" in html and "Ikke til debat" in html
    assert "step-indicator" in html and "Opfølgning" in html
    assert "36 aktive medlemmer" in html
    assert html.count("Møde ") >= 5
    assert "Trafiktal for Middelalderbyen" in html and "Valgt af borgersamlingen" in html
    assert html.count('class="recommendation"') == 9
    assert "Mindretalsudtalelse" in html
    assert "Arbejdes videre med på længere sigt" in html and "Gennemføres ikke" in html
    assert "Demodata" in html  # texts are illustrative and the page says so


def test_members_are_shown_only_as_they_consented(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from portal.models import Assembly, DisplayConsent

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "middelalderbyen-2019"))
    html = client.get("/assemblies/middelalderbyen-2019").get_data(as_text=True)
    for member in assembly.members:
        full = f"{member.first_name} {member.last_name}"
        if member.consent == DisplayConsent.FULL_NAME:
            assert full in html
        elif member.consent == DisplayConsent.FIRST_NAME_DISTRICT:
            assert f"{member.first_name}, {member.district}" in html
    hidden = [m for m in assembly.members if m.consent == DisplayConsent.HIDDEN]
    assert f"{len(hidden)} medlemmer har valgt ikke at blive vist med navn" in html


def test_draft_assembly_shows_live_support_and_minority(client: FlaskClient) -> None:
    html = client.get("/assemblies/groent-byliv-indre-oesterbro").get_data(as_text=True)
    assert "Lommeparker i sidegaderne" in html and "Udkast" in html
    assert "foreløbig" in html and "Støtter" in html
    assert "Mindretalsudtalelse" in html and "3 medlemmer står bag" in html
    assert "Politikerne har lovet at svare senest" in html


def test_recruiting_assembly_has_empty_states(client: FlaskClient) -> None:
    html = client.get("/assemblies/baeredygtigt-forbrug").get_data(as_text=True)
    assert "Der trækkes lod om 66 pladser" in html
    assert "Der er ingen offentlige anbefalinger endnu" in html
    assert "Rekruttering" in html


def test_recommendation_page(client: FlaskClient) -> None:
    html = client.get("/assemblies/middelalderbyen-2019/recommendations/2").get_data(as_text=True)
    assert "Færre parkeringspladser på gaden" in html
    assert "Støtter: <strong>25</strong>" in html and "endelig optælling" in html
    assert "Mindretalsudtalelse" in html and "Gennemføres delvist" in html


def test_unknown_assembly_and_recommendation_are_404_in_the_portal_look(
    client: FlaskClient,
) -> None:
    for url in ("/assemblies/nope", "/assemblies/middelalderbyen-2019/recommendations/99", "/x"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Siden findes ikke" in response.get_data(as_text=True)
        assert "Tilgængelighedserklæring" in response.get_data(as_text=True)


def test_working_recommendations_are_not_public(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from portal.models import Assembly, Recommendation, RecommendationStatus

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "groent-byliv-indre-oesterbro"))
    db.add(
        Recommendation(
            assembly=assembly,
            number=42,
            title="Hemmeligt arbejdsudkast",
            text="Kun for medlemmer",
            status=RecommendationStatus.WORKING,
        )
    )
    db.commit()
    assert "Hemmeligt arbejdsudkast" not in client.get(
        "/assemblies/groent-byliv-indre-oesterbro"
    ).get_data(as_text=True)
    assert (
        client.get("/assemblies/groent-byliv-indre-oesterbro/recommendations/42").status_code == 404
    )


def test_planned_assemblies_are_not_public(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Assembly, AssemblyStatus

    db.add(
        Assembly(
            slug="hemmelig",
            title="Endnu ikke offentlig",
            remit="?",
            commissioned_by="x",
            operator="y",
            seats=24,
            municipality="z",
            status=AssemblyStatus.PLANNED,
        )
    )
    db.commit()
    assert client.get("/assemblies/hemmelig").status_code == 404
    assert "Endnu ikke offentlig" not in client.get("/assemblies").get_data(as_text=True)


def test_accessibility_statement_url_comes_from_config(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    app.config["ACCESSIBILITY_STATEMENT_URL"] = "https://www.was.digst.dk/samling-example"
    html = client.get("/").get_data(as_text=True)
    assert '<a href="https://www.was.digst.dk/samling-example">Tilgængelighedserklæring</a>' in html


def test_language_switch_sets_cookie_and_only_redirects_locally(client: FlaskClient) -> None:
    response = client.get("/language/en?next=/assemblies")
    assert response.status_code == 302 and response.headers["Location"] == "/assemblies"
    html = client.get("/assemblies/middelalderbyen-2019").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Citizens&#39; assembly on less car traffic in the medieval city" in html
    evil = client.get("/language/da?next=https://evil.example/")
    assert evil.headers["Location"] == "/"
    evil = client.get("/language/da?next=//evil.example/")
    assert evil.headers["Location"] == "/"


def test_healthz(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").status_code == 200

    class Broken:
        def execute(self, *_a: object) -> None:
            raise RuntimeError("database down")

        def close(self) -> None:
            pass

    app.extensions["sessionmaker"] = Broken
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json == {"status": "unavailable"}


def test_server_error_page(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Der skete en fejl" in response.get_data(as_text=True)


def test_the_test_database_is_healthy_and_holds_the_demo(db) -> None:  # type: ignore[no-untyped-def]
    from portal.db import database_problem

    assert database_problem(db) is None
    assert db.execute(text("SELECT count(*) FROM assembly")).scalar() >= 3
