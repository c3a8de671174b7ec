"""Who runs the site (set by admins in the browser), and forms that say what is wrong in the page's
language: login, sign-up, confirmation steps for what cannot be undone, the sign-up e-mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import labels
from portal.models import AuditEvent, OutboxEmail, Registrant

from ..conftest import csrf_token_from, make_test_app
from .test_registration import URL, valid

SETTINGS = {
    "municipality": "Odense Kommune",
    "logo_url": "/static/img/apple-touch-icon.png",
    "contact_email": "borgersamling@odense.example.dk",
    "contact_phone": "65 51 00 00",
    "contact_url": "",
    "data_controller": "Odense Kommune, By- og Kulturforvaltningen",
    "privacy_text": "Odense Kommune behandler dine oplysninger for at kunne trække lod.\n\nAndet afsnit.",
    "privacy_text_en": "",
}


def test_only_admins_see_the_site_settings(
    client: FlaskClient, login_as: Callable[[str], FlaskClient]
) -> None:
    assert client.get("/admin/settings").status_code == 302  # to the login page
    login_as("secretariat")
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data=SETTINGS).status_code == 403


def test_admin_sets_the_municipality_shown_in_header_footer_privacy_and_consent(
    client: FlaskClient, login_as: Callable[[str], FlaskClient], db: Any
) -> None:
    login_as("admin")
    form = client.get("/admin/settings").get_data(as_text=True)
    assert "Københavns Kommune" in form  # the demo's municipality
    response = client.post("/admin/settings", data=SETTINGS)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    header, footer = page.split("<main", 1)[0], page.split("<footer", 1)[1]
    assert "Odense Kommune" in header and 'src="/static/img/apple-touch-icon.png"' in header
    assert "borgersamling@odense.example.dk" in footer and "65 51 00 00" in footer
    assert 'href="/privacy"' in footer
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "By- og Kulturforvaltningen" in privacy and "<p>Andet afsnit.</p>" in privacy
    consent = client.get(URL).get_data(as_text=True)
    assert "Dataansvarlig er Odense Kommune, By- og Kulturforvaltningen" in consent
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "site.settings"))
    assert event is not None and "municipality" in event.detail


def test_site_settings_are_checked_and_errors_shown_in_a_summary(
    client: FlaskClient, login_as: Callable[[str], FlaskClient]
) -> None:
    login_as("admin")
    client.get("/language/en")
    bad = dict(
        SETTINGS,
        municipality="",
        logo_url="javascript:alert(1)",
        contact_email="nope",
        privacy_text="kort",
    )
    response = client.post("/admin/settings", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-module="error-summary"' in html and "There is a problem" in html
    for message in (
        "Enter the municipality&#39;s name",
        "Enter an address that starts with https:// or /.",
        "Enter a valid email address",
        "Enter the privacy text",
    ):
        assert message in html, message
    assert "Københavns Kommune" in client.get("/").get_data(as_text=True)  # nothing saved


def test_the_site_settings_form_needs_its_csrf_token(engine: Any) -> None:
    app, close = make_test_app(engine, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        client.post(
            "/login",
            data={
                "email": "admin@example.org",
                "password": "demo-adgangskode",
                "csrf_token": csrf_token_from(login),
            },
        )
        assert client.post("/admin/settings", data=SETTINGS).status_code == 400
        token = csrf_token_from(client.get("/admin/settings").get_data(as_text=True))
        assert (
            client.post("/admin/settings", data={**SETTINGS, "csrf_token": token}).status_code
            == 302
        )
    finally:
        close()


def test_favicon_is_served_and_linked(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon" href="/favicon.ico"' in client.get("/").get_data(as_text=True)


def test_empty_login_asks_for_the_fields_instead_of_calling_the_password_wrong(
    client: FlaskClient,
) -> None:
    html = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Skriv din e-mailadresse." in html and "Skriv din adgangskode." in html
    assert "forkert" not in html
    only_password = client.post("/login", data={"email": "admin@example.org", "password": ""})
    assert "Skriv din adgangskode." in only_password.get_data(as_text=True)


def test_signup_refuses_a_one_letter_name_and_letters_as_a_phone_number(
    client: FlaskClient, db: Any
) -> None:
    response = client.post(URL, data=valid(first_name="I", last_name="H", phone="abc"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv dit fornavn (mindst 2 bogstaver)." in html
    assert "Skriv dit efternavn (mindst 2 bogstaver)." in html
    assert "Skriv et telefonnummer med cifre" in html and 'href="#phone"' in html
    assert db.scalar(select(Registrant).where(Registrant.email == "ida.holm@example.dk")) is None
    ok = client.post(URL, data=valid(first_name="Bo", phone="+45 12 34 56 78"))
    assert ok.status_code == 302


def test_signup_sends_a_receipt_email_and_the_receipt_shows_what_was_entered(
    client: FlaskClient, db: Any
) -> None:
    response = client.post(URL, data=valid(phone="12 34 56 78"))
    receipt_url = response.headers["Location"]
    mail = db.scalar(select(OutboxEmail).where(OutboxEmail.to == "ida.holm@example.dk"))
    assert mail is not None and mail.language == "da"
    assert "Kvittering" in mail.subject and receipt_url in mail.body
    assert mail.body.count("http://") == 1  # an absolute link that works from a mail program
    assert "Tidsforbrug: Omkring 70 timer" in mail.body and "Honorar:" in mail.body
    page = client.get(URL).get_data(as_text=True)  # the sign-up page says what a seat means
    assert "Hvis du bliver medlem" in page and "Omkring 70 timer" in page
    assert "Svarfrist for de udtrukne" in page and "borgersamling@example.org" in page
    receipt = client.get(receipt_url).get_data(as_text=True)
    for entered in ("12 34 56 78", "Trinfri adgang", "Vestergade 3, 2. th", "Lejebolig"):
        assert entered in receipt, entered


def test_signup_email_uses_the_configured_base_url(engine: Any) -> None:
    app, close = make_test_app(engine, BASE_URL="https://samling.example.dk/")
    try:
        client = app.test_client()
        client.post(URL, data=valid(email="base.url@example.dk"))
        with app.app_context():
            session = app.extensions["sessionmaker"]()
            mail = session.scalar(
                select(OutboxEmail).where(OutboxEmail.to == "base.url@example.dk")
            )
            assert mail is not None
            assert (
                "https://samling.example.dk/assemblies/baeredygtigt-forbrug/register/" in mail.body
            )
    finally:
        close()


def test_english_signup_form_asks_the_quota_questions_in_english(client: FlaskClient) -> None:
    client.get("/language/en")
    html = client.get(URL).get_data(as_text=True)
    assert '<legend class="form-label">Gender</legend>' in html
    assert ">Rented home</label>" in html and ">Capital Region of Denmark</label>" in html
    assert 'value="Lejebolig"' in html  # the stored answer stays as the quota says
    error = client.post(URL, data=valid(**{"answer-Køn": ""})).get_data(as_text=True)
    assert "Choose an answer for Gender." in error


def test_numbers_are_written_the_danish_way_on_danish_pages(client: FlaskClient) -> None:
    danish = client.get("/assemblies/middelalderbyen-2019/selection").get_data(as_text=True)
    assert "\N{NO-BREAK SPACE}%" in danish and not any(
        f"{n}.{d} %" for n in range(10) for d in range(10) if f"{n}.{d} %" in danish
    )
    client.get("/language/en")
    english = client.get("/assemblies/middelalderbyen-2019/selection").get_data(as_text=True)
    assert "Gender" in english and "Køn in numbers" not in english


def test_progress_and_feasibility_messages_are_translated_at_display(app: Flask) -> None:
    with app.test_request_context(headers={"Cookie": "samling-lang=en"}):
        assert labels.progress_message("stage 3: level 0.1, fixed 2/9 types, 4 panels") == (
            "Computing LEXIMIN, stage 3",
            None,
        )
        assert labels.progress_message("Venter på at gå i gang …") == ("Waiting to start …", None)
        assert labels.feasibility_conflict(
            "Køn Kvinde needs at least 5 but only 2 people in the pool have it"
        ) == (
            "Køn Kvinde needs at least 5, but only 2 people in the pool have it.",
            None,
        )
        assert labels.progress_message("something new") == ("something new", "en")
    with app.test_request_context():
        assert labels.progress_message("Checking that the quotas can be met")[0] == (
            "Tjekker, at kvoterne kan opfyldes"
        )
        assert labels.public_label("Udkast 2") == "Udkast 2"


def test_the_seat_offer_says_by_when_to_answer_and_what_a_seat_means(
    client: FlaskClient, db: Any
) -> None:
    from portal.models import Assembly, RegistrantStatus

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    person = db.scalar(select(Registrant).where(Registrant.assembly_id == assembly.id).limit(1))
    person.status = RegistrantStatus.DRAWN
    db.commit()
    page = client.get(f"/seat/{person.token}").get_data(as_text=True)
    assert "Svar senest" in page and "Hvis du bliver medlem" in page
    assert "Omkring 70 timer" in page and "Et honorar pr. weekend" in page
