"""E-mail leaves through a real SMTP server: after commit, in the recipient's language, with links
from BASE_URL; failures are retried with backoff and end as 'failed' with the error shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import jobs, mail
from portal.config import ConfigError
from portal.models import (
    Assembly,
    OutboxEmail,
    OutboxStatus,
    PhaseKind,
    Registrant,
    RegistrantStatus,
    SelectionRun,
)
from tests.conftest import NOW
from tests.smtp_server import smtp_server

SLUG = "baeredygtigt-forbrug"
BASE = f"/secretariat/assemblies/{SLUG}"


def _into_selection_phase(db) -> Assembly:  # type: ignore[no-untyped-def]
    assembly = db.scalar(select(Assembly).where(Assembly.slug == SLUG))
    for phase in assembly.phases:
        if phase.kind == PhaseKind.RECRUITMENT:
            phase.ends_on = NOW.date() - timedelta(days=1)
        if phase.kind == PhaseKind.SELECTION:
            phase.starts_on = NOW.date()
    db.commit()
    return assembly


def test_drawn_people_get_their_seat_link_by_smtp_in_their_own_language(
    app: Flask, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    assembly = _into_selection_phase(db)
    people = db.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)).all()
    for person in people[::2]:
        person.language = "en"
    db.commit()
    app.config["BASE_URL"] = "https://samling.example.dk/"
    login_as("secretariat")
    assert client.post(BASE + "/draw").status_code == 302
    run = db.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    with smtp_server() as (url, inbox):
        app.config["SMTP_URL"] = url
        response = client.post(
            f"{BASE}/draw/{run.id}/seed",
            data={"seed": "1 2 3 4", "confirm": "yes"},
            headers={"Host": "evil.example"},  # links must not come from the Host header
        )
        assert response.status_code == 302
    drawn = {
        p.email: p
        for p in db.scalars(
            select(Registrant).where(
                Registrant.assembly_id == assembly.id, Registrant.status == RegistrantStatus.DRAWN
            )
        )
    }
    assert len(inbox.messages) == assembly.seats == len(drawn)
    assert sorted(inbox.recipients) == sorted(drawn)
    languages = set()
    for message in inbox.messages:
        person = drawn[message["To"]]
        body = message.get_content()
        assert f"https://samling.example.dk/seat/{person.token}" in body
        assert "evil.example" not in body
        if person.language == "en":
            assert str(message["Subject"]).strip().startswith("You have been selected for")
            assert f"Dear {person.first_name}" in body and message["Content-Language"] == "en"
            assert "Reply by" in body and "If you become a member:" in body
        else:
            assert str(message["Subject"]).strip().startswith("Du er trukket ud")
            assert f"Kære {person.first_name}" in body and message["Content-Language"] == "da"
            # The offer says what a seat means: the deadline, time, compensation and contact.
            assert "Svar senest" in body and "Hvis du bliver medlem:" in body
            assert "Tidsforbrug: Omkring 70 timer" in body and "Honorar: Et honorar" in body
            assert "Kontakt: Sekretariatet" in body
        languages.add(person.language)
    assert languages == {"da", "en"}
    rows = db.scalars(select(OutboxEmail).where(OutboxEmail.assembly_id == assembly.id)).all()
    assert {r.status for r in rows} == {OutboxStatus.SENT} and all(r.sent_at == NOW for r in rows)
    page = client.get(BASE + "/outbox").get_data(as_text=True)
    assert page.count('class="outbox-status-sent">sendt<') == len(rows)


def test_a_refusing_server_means_retries_with_backoff_then_failed_with_the_error_shown(
    app: Flask, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    assembly = db.scalar(select(Assembly).where(Assembly.slug == SLUG))
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    with smtp_server(refuse="451 4.3.0 Mailbox temporarily unavailable") as (url, inbox):
        app.config["SMTP_URL"] = url
        # Domain code only adds a row; delivery is enqueued when the transaction commits.
        row = OutboxEmail(to="x@example.org", subject="Hej", body="Tekst", assembly_id=assembly.id)
        db.add(row)
        db.commit()
        db.refresh(row)
        assert row.status == OutboxStatus.QUEUED and row.attempts == 1
        assert row.next_attempt_at == NOW + timedelta(minutes=1) and "451" in row.last_error
        jobs.sweep_outbox()  # not due yet: nothing happens
        db.refresh(row)
        assert row.attempts == 1
        app.config["NOW"] = NOW + timedelta(minutes=1)
        jobs.sweep_outbox()
        db.refresh(row)
        assert row.attempts == 2 and row.next_attempt_at == NOW + timedelta(minutes=3)
        app.config["NOW"] = NOW + timedelta(minutes=3)
        jobs.sweep_outbox()
        db.refresh(row)
        assert row.status == OutboxStatus.FAILED and row.attempts == 3
        assert "SMTP 451" in row.last_error
        assert inbox.messages == []
    app.config["NOW"] = NOW
    login_as("secretariat")
    page = client.get(BASE + "/outbox").get_data(as_text=True)
    assert "mislykket" in page and "Mailbox temporarily unavailable" in page


def test_without_smtp_production_fails_the_row_and_development_shows_it_on_the_dev_outbox(
    app: Flask, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    app.config["ENV"] = "production"
    row = OutboxEmail(to="x@example.org", subject="Prod", body="http://127.0.0.1:5000/seat/abc")
    db.add(row)
    db.commit()
    db.refresh(row)
    assert row.status == OutboxStatus.FAILED and "PORTAL_SMTP_URL" in row.last_error
    login_as("secretariat")
    assert client.get("/dev/outbox").status_code == 404  # never outside development
    app.config["ENV"] = "development"
    dev = OutboxEmail(to="y@example.org", subject="Dev", body="Her: http://127.0.0.1:5000/seat/xyz")
    db.add(dev)
    db.commit()
    page = client.get("/dev/outbox").get_data(as_text=True)
    assert '<a href="http://127.0.0.1:5000/seat/xyz">' in page
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"
    assert client.get("/dev/outbox").status_code == 404  # SMTP configured: mail really leaves
    app.config["SMTP_URL"] = ""
    client.post("/logout")
    assert client.get("/dev/outbox").status_code == 302  # staff only, even in development


def test_sent_mail_is_blanked_after_its_retention_period(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    old = OutboxEmail(to="old@example.org", subject="Gammel", body="link")
    db.add(old)
    db.commit()
    db.refresh(old)
    assert old.status == OutboxStatus.SENT
    app.config["NOW"] = NOW + timedelta(days=29)
    jobs.retention()
    db.refresh(old)
    assert old.to == "old@example.org"
    app.config["NOW"] = NOW + timedelta(days=31)
    jobs.retention()
    db.refresh(old)
    assert old.to == "" and old.body == "" and old.blanked_at is not None


def test_the_portal_logs_in_with_the_credentials_from_the_smtp_url(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    with smtp_server(credentials=("portal@kommune.dk", "p:ss@w/rd")) as (url, inbox):
        host = url.removeprefix("smtp://")
        app.config["SMTP_URL"] = f"smtp://portal%40kommune.dk:wrong@{host}"
        refused = OutboxEmail(to="a@example.org", subject="Nej", body="Tekst")
        db.add(refused)
        db.commit()
        db.refresh(refused)
        assert refused.status == OutboxStatus.QUEUED and "535" in refused.last_error
        app.config["SMTP_URL"] = f"smtp://portal%40kommune.dk:p%3Ass%40w%2Frd@{host}"
        accepted = OutboxEmail(to="b@example.org", subject="Ja", body="Tekst")
        db.add(accepted)
        db.commit()
        db.refresh(accepted)
        assert accepted.status == OutboxStatus.SENT
    assert inbox.recipients == ["b@example.org"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", None),
        (
            "smtp://user%40example.org:p%3Ass%40w@mail.example.org:587?starttls=true",
            mail.SmtpSettings("mail.example.org", 587, "user@example.org", "p:ss@w", starttls=True),
        ),
        ("smtps://mail.example.org", mail.SmtpSettings("mail.example.org", 465, tls=True)),
        ("smtp://127.0.0.1:2525?timeout=5", mail.SmtpSettings("127.0.0.1", 2525, timeout=5.0)),
    ],
)
def test_smtp_url_is_parsed_carefully(url: str, expected: mail.SmtpSettings | None) -> None:
    assert mail.parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    "url", ["http://mail.example.org", "smtp://", "smtp://h:notaport", "smtp://h?tls=1"]
)
def test_bad_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        mail.parse_smtp_url(url)
