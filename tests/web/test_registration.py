"""Registration for the draw: validation that loses nothing, consent, duplicates, bots, withdrawal."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import (
    Assembly,
    Recruitment,
    RecruitmentMode,
    Registrant,
    RegistrantStatus,
)

URL = "/assemblies/baeredygtigt-forbrug/register"


def valid(**changes: Any) -> dict[str, Any]:
    data = {
        "first_name": "Ida",
        "last_name": "Holm",
        "email": "ida.holm@example.dk",
        "address": "Vestergade 3, 2. th",
        "postcode": "5000",
        "consent": "yes",
        "answer-Region": "Region Syddanmark",
        "answer-Køn": "Kvinde",
        "answer-Alder": "30-44",
        "answer-Uddannelse": "Grundskole",
        "answer-Boligform": "Lejebolig",
        "availability": ["1", "3"],
        "access_needs": "Trinfri adgang",
    }
    data.update(changes)
    return data


def test_form_asks_the_selection_questions_and_explains_privacy(client: FlaskClient) -> None:
    html = client.get(URL).get_data(as_text=True)
    assert "Region Syddanmark" in html and "Boligform" in html and "Andelsbolig" in html
    assert "Kun sekretariatet" in html and "90 dage" in html
    assert 'name="website"' in html  # the spam trap


def test_registration_gives_a_receipt_with_a_one_click_withdrawal(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, data=valid())
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Tak, Ida" in receipt
        and "Region Syddanmark" in receipt
        and "Træk min tilmelding tilbage" in receipt
    )
    person = db.scalar(select(Registrant).where(Registrant.email == "ida.holm@example.dk"))
    assert person.answers["Køn"] == "Kvinde" and person.availability == [1, 3]
    assert person.household_key and "Vestergade" not in person.household_key
    unconfirmed = client.post(response.headers["Location"] + "/withdraw")
    assert unconfirmed.status_code == 422 and "Sæt kryds" in unconfirmed.get_data(as_text=True)
    withdraw = client.post(response.headers["Location"] + "/withdraw", data={"confirm": "yes"})
    assert withdraw.status_code == 302
    db.expire_all()
    assert db.get(Registrant, person.id).status == RegistrantStatus.WITHDRAWN
    assert "Din tilmelding er trukket tilbage" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_bad_input_gets_messages_and_keeps_what_was_typed(client: FlaskClient) -> None:
    response = client.post(
        URL, data=valid(email="ikke-en-mail", postcode="50", consent="", **{"answer-Køn": ""})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv en gyldig e-mailadresse" in html and "postnummer med fire cifre" in html
    assert "Vælg en svarmulighed for Køn" in html and "Du skal give samtykke" in html
    assert (
        'value="Ida"' in html and 'value="Vestergade 3, 2. th"' in html and "Trinfri adgang" in html
    )
    assert 'value="Region Syddanmark" checked' in html


def test_unknown_answer_values_are_refused(client: FlaskClient) -> None:
    response = client.post(URL, data=valid(**{"answer-Alder": "200+"}))
    assert response.status_code == 422 and "Vælg en svarmulighed for Alder" in response.get_data(
        as_text=True
    )


def test_duplicates_are_detected(client: FlaskClient) -> None:
    assert client.post(URL, data=valid()).status_code == 302
    again = client.post(URL, data=valid(email="IDA.HOLM@example.dk"))
    assert again.status_code == 422 and "allerede en tilmelding" in again.get_data(as_text=True)


def test_household_is_detected_for_the_draw(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    client.post(URL, data=valid())
    client.post(
        URL, data=valid(first_name="Bo", email="bo@example.dk", address="vestergade 3 2 TH")
    )
    keys = {
        p.household_key
        for p in db.scalars(
            select(Registrant).where(Registrant.email.in_(["ida.holm@example.dk", "bo@example.dk"]))
        )
    }
    assert len(keys) == 1


def test_bots_filling_the_spam_trap_are_refused(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, data=valid(website="http://spam.example"))
    assert response.status_code == 422
    assert db.scalar(select(Registrant).where(Registrant.email == "ida.holm@example.dk")) is None


def test_rate_limit_per_address(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    app.config["REGISTRATION_LIMIT_PER_ADDRESS"] = 2
    for i in range(2):
        assert client.post(URL, data=valid(email=f"p{i}@example.dk")).status_code == 302
    blocked = client.post(URL, data=valid(email="p9@example.dk"))
    assert blocked.status_code == 422 and "For mange tilmeldinger" in blocked.get_data(as_text=True)


def test_registration_is_closed_outside_recruitment(client: FlaskClient) -> None:
    assert "Tilmeldingen er lukket" in client.get(
        "/assemblies/middelalderbyen-2019/register"
    ).get_data(as_text=True)
    response = client.post("/assemblies/middelalderbyen-2019/register", data=valid())
    assert response.status_code == 409


def test_invitation_mode_needs_a_valid_unused_code(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Invitation, InvitationBatch

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    db.scalar(
        select(Recruitment).where(Recruitment.assembly_id == assembly.id)
    ).mode = RecruitmentMode.INVITATION
    batch = InvitationBatch(
        assembly_id=assembly.id, seed="1", register_digest="x", register_size=1, invited=1
    )
    batch.invitations.append(
        Invitation(assembly_id=assembly.id, code="ABCD-EFGH", household_key="h1")
    )
    db.add(batch)
    db.commit()
    missing = client.post(URL, data=valid(code="ZZZZ-ZZZZ"))
    assert missing.status_code == 422 and "Koden findes ikke" in missing.get_data(as_text=True)
    assert client.post(URL, data=valid(code="abcd-efgh")).status_code == 302
    used = client.post(URL, data=valid(code="ABCD-EFGH", email="other@example.dk"))
    assert "Koden er allerede brugt" in used.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/assemblies/baeredygtigt-forbrug/register/not-a-token"])
def test_unknown_receipt_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_sign_up_language_is_stored_for_later_emails(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    # No `db` fixture here: its app context would outlive the requests and keep the first locale.
    client.set_cookie("samling-lang", "en")
    assert client.post(URL, data=valid(email="english@example.dk")).status_code == 302
    client.set_cookie("samling-lang", "da")
    second = valid(email="dansk@example.dk", address="Nørregade 1")
    assert client.post(URL, data=second).status_code == 302
    with app.app_context(), app.extensions["sessionmaker"]() as db:
        english = db.scalar(select(Registrant).where(Registrant.email == "english@example.dk"))
        danish = db.scalar(select(Registrant).where(Registrant.email == "dansk@example.dk"))
        assert english.language == "en" and danish.language == "da"
