"""The response ledger on the web: who may record or propose, the forms' messages, the public
input page and its filters, the hvidbog (HTML and CSV), "Mit input" and the demo's assembly."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.models import Disposition, DispositionState, OutboxEmail
from tests import ledger_factory as f

DEMO = "/assemblies/middelalderbyen-2019"


def _login(client: FlaskClient, email: str) -> FlaskClient:
    response = client.post("/login", data={"email": email, "password": f.PASSWORD})
    assert response.status_code == 302, response.data
    return client


def _ledger(s: f.Setup) -> str:
    return f"/assemblies/{s.assembly.slug}/workspace/ledger"


def test_who_may_open_the_workspace_ledger(client: FlaskClient, db: Session) -> None:
    s = f.setup(db)
    other = f.setup(db)
    db.commit()
    response = client.get(_ledger(s))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(_ledger(s), data={}).status_code == 302
    _login(client, s.residents[0].email)
    assert client.get(_ledger(s)).status_code == 403
    client.get("/logout")
    _login(client, other.member.email)  # a member of another assembly
    assert client.get(_ledger(s)).status_code == 403
    assert client.post(_ledger(s), data={"kind": "adopted", "rationale": "x"}).status_code == 403
    client.get("/logout")
    _login(client, s.facilitator.email)
    assert client.get(_ledger(s)).status_code == 200
    client.get("/logout")
    _login(client, "secretariat@example.org")
    assert client.get(_ledger(s)).status_code == 200


def test_a_facilitator_records_one_and_in_bulk_with_clear_messages(
    client: FlaskClient, db: Session
) -> None:
    s = f.setup(db)
    comments = [f.comment(db, s, r, f"Input nummer {i}") for i, r in enumerate(s.residents)]
    db.commit()
    _login(client, s.facilitator.email)
    html = client.get(_ledger(s)).get_data(as_text=True)
    assert "3 input mangler svar" in html and "Input nummer 2" in html
    keys = [f"comment-{c.id}" for c in comments]
    response = client.post(_ledger(s), data={"inputs": keys[:2], "kind": "", "rationale": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vælg hvad der skete med inputtet." in html and "Skriv en kort begrundelse." in html
    assert html.count("checked") == 2  # the chosen inputs stay chosen
    response = client.post(
        _ledger(s),
        data={"inputs": keys[:2], "kind": "partly_adopted", "rationale": "Delvist med"},
    )
    assert response.status_code == 302
    html = client.get(_ledger(s)).get_data(as_text=True)
    assert "2 svar er registreret." in html and "1 input mangler svar" in html
    response = client.post(
        _ledger(s),
        data={"inputs": keys[2], "kind": "adopted", "rationale": "Med", "revision_id": s.draft2.id},
    )
    assert response.status_code == 302
    rows = db.scalars(
        select(Disposition).where(Disposition.comment_id.in_([c.id for c in comments]))
    )
    assert sorted(r.kind.value for r in rows) == ["adopted", "partly_adopted", "partly_adopted"]
    assert db.scalar(select(OutboxEmail).where(OutboxEmail.to == s.residents[2].email))


def test_a_member_proposes_and_the_facilitator_accepts(client: FlaskClient, db: Session) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], "Flere bænke")
    db.commit()
    _login(client, s.member.email)
    html = client.get(_ledger(s)).get_data(as_text=True)
    assert "Foreslå svaret" in html and "Registrér svaret" not in html
    url = _ledger(s) + "/proposals"
    data = {"inputs": f"comment-{c.id}", "kind": "adopted", "rationale": "Bænke kom med"}
    assert client.post(url, data=data).status_code == 302
    proposal = db.scalar(select(Disposition).where(Disposition.comment_id == c.id))
    assert proposal is not None and proposal.state == DispositionState.PROPOSED
    # Members cannot record, nor accept their own proposal.
    assert client.post(_ledger(s), data=data).status_code == 403
    assert client.post(f"{url}/{proposal.id}/accept").status_code == 403
    client.get("/logout")
    _login(client, s.facilitator.email)
    html = client.get(_ledger(s)).get_data(as_text=True)
    assert "Forslag fra et medlem:" in html and "Godkend forslaget" in html
    assert client.post(f"{url}/{proposal.id}/accept").status_code == 302
    public = client.get(f"/assemblies/{s.assembly.slug}/input").get_data(as_text=True)
    assert "Bænke kom med" in public


def test_the_input_page_shows_dispositions_history_and_hides_hidden_text(
    client: FlaskClient, db: Session
) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], "Flere bænke tak", paragraph=1)
    f.comment(db, s, s.residents[1], "HEMMELIG fornærmelse", hidden=True)
    f.comment(db, s, s.residents[2], "HEMMELIGT svar", parent=c, hidden=True)
    db.commit()
    _login(client, s.facilitator.email)
    for kind, why in (("noted", "Vi ser på det"), ("adopted", "Bænke er med")):
        client.post(_ledger(s), data={"inputs": f"comment-{c.id}", "kind": kind, "rationale": why})
    client.get("/logout")
    for url in (
        f"/assemblies/{s.assembly.slug}/input",
        f"/assemblies/{s.assembly.slug}/input/report",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "HEMMELIG" not in html, url
        assert "Skjult af moderator: personangreb, Groft sprog" in html
        assert "Flere bænke tak" in html and "Bænke er med" in html and "Indarbejdet" in html
        assert "Svaret er ændret 1 gang" in html and "Vi ser på det" in html
        assert "på Udkast 1, afsnit 1" in html
        assert "Ændringer fra Udkast 1 til Udkast 2" in html and "<ins>" in html
    csv_data = client.get(f"/assemblies/{s.assembly.slug}/input/report.csv").data
    assert b"HEMMELIG" not in csv_data


def test_filters_on_the_input_page(client: FlaskClient, db: Session) -> None:
    s = f.setup(db)
    f.comment(db, s, s.residents[0], "Borgerens input")
    f.response(db, s, "Organisationens input", district="Nørrebro")
    db.commit()
    base = f"/assemblies/{s.assembly.slug}/input"
    html = client.get(base).get_data(as_text=True)
    assert "Borgerens input" in html and "Organisationens input" in html
    assert 'name="district"' in html  # a district exists in the data
    html = client.get(base + "?kind=organisation").get_data(as_text=True)
    assert "Borgerens input" not in html and "Organisationens input" in html
    html = client.get(base + "?disposition=adopted").get_data(as_text=True)
    assert "Intet input matcher filteret." in html
    html = client.get(base + "?kind=bogus&disposition=nope&recommendation=x").get_data(as_text=True)
    assert "Ukendt type: bogus" in html and "Borgerens input" in html


def test_an_assembly_without_districts_has_no_district_filter(
    client: FlaskClient, db: Session
) -> None:
    s = f.setup(db)
    f.comment(db, s, s.residents[0], "Borgerens input")
    db.commit()
    html = client.get(f"/assemblies/{s.assembly.slug}/input").get_data(as_text=True)
    assert 'name="district"' not in html


def test_the_hvidbog_has_a_table_of_contents_and_the_csv_downloads(client: FlaskClient) -> None:
    html = client.get(DEMO + "/input/report").get_data(as_text=True)
    assert 'href="#rec-1"' in html and 'id="rec-9"' in html and 'href="#whole-draft"' in html
    assert "Høringssvar til hele udkastet" in html and 'badge">Ikke besvaret endnu' not in html
    assert 'role="img"' in html and "<title>" in html and "<desc" in html
    response = client.get(DEMO + "/input/report.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 14 + 1 + 2  # header, the demo's threads, a hidden one, two responses
    assert sum(1 for r in rows[1:] if r[8]) == 16  # all but the hidden one


def test_the_demo_input_page_is_complete_and_linked(client: FlaskClient) -> None:
    html = client.get(DEMO + "/input").get_data(as_text=True)
    assert "17 input i alt" in html and "16 har fået svar" in html  # the hidden one needs none
    assert "Hvad skete der med jeres input" in html and "Inputtet i tal" in html
    assert DEMO + "/input" in client.get(DEMO).get_data(as_text=True)
    assert DEMO + "/input?recommendation=1" in client.get(DEMO + "/recommendations/1").get_data(
        as_text=True
    )


def test_my_input_needs_a_login_and_shows_what_happened(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/mine/input")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    html = login_as("resident").get("/mine/input").get_data(as_text=True)
    assert "Begrænses er for svagt" in html and "Indarbejdet" in html
    assert "Hjemmepleje og håndværkere er skrevet ind" in html
    assert "/mine/input" in client.get("/mine").get_data(as_text=True)


def test_only_the_filer_of_a_hidden_response_is_offered_the_appeal(app: Flask, db: Session) -> None:
    """Colleagues in the organisation see their response was hidden and why, but the appeal is
    the filer's alone (anyone else would be refused)."""
    from portal.models import CommentStatus, ModerationReason, OrganisationPerson

    s = f.setup(db)
    hidden = f.response(db, s, "Et skarpt høringssvar")
    hidden.status = CommentStatus.HIDDEN
    hidden.moderation_reason = ModerationReason.PERSONAL_ATTACK
    colleague = f.user(db, "Kaj Kollega")
    assert s.organisation is not None and s.org_person is not None
    db.add(OrganisationPerson(organisation_id=s.organisation.id, user_id=colleague.id))
    db.commit()
    appeal = f"/responses/{hidden.id}/appeal"
    filer = _login(app.test_client(), s.org_person.email).get("/mine/input").get_data(as_text=True)
    assert f'href="{appeal}"' in filer and "Din tekst (kun du kan se den)" in filer
    other = _login(app.test_client(), colleague.email)
    page = other.get("/mine/input").get_data(as_text=True)
    assert "Et skarpt høringssvar" in page and "kun jeres organisation kan se den" in page
    assert f'href="{appeal}"' not in page
    assert "Kun den, der indsendte høringssvaret, kan klage" in page
    assert other.post(appeal, data={"appeal": "Uenig"}).status_code in {403, 404}


def test_the_secretariat_and_facilitators_see_untreated_input_on_mine(
    client: FlaskClient, db: Session
) -> None:
    s = f.setup(db)
    f.comment(db, s, s.residents[0], "Uden svar")
    f.response(db, s, "Også uden svar")
    db.commit()
    html = _login(client, s.facilitator.email).get("/mine").get_data(as_text=True)
    assert "2 input uden svar" in html and _ledger(s) in html


def _count(app: Flask, client: FlaskClient, url: str) -> int:
    statements: list[str] = []
    engine = app.extensions["engine"]

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_the_input_page_query_count_does_not_grow_with_comments(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    s = f.setup(db)
    f.response(db, s, "Svar")
    for i in range(3):
        root = f.comment(db, s, s.residents[i % 3], f"Kommentar {i}")
        f.comment(db, s, s.residents[0], "Svar i tråd", parent=root)
    db.commit()
    url = f"/assemblies/{s.assembly.slug}/input"
    few = _count(app, client, url)
    for i in range(30):
        when = f.T0 + timedelta(hours=2 * i)  # before and after the response
        root = f.comment(db, s, s.residents[i % 3], f"Mere {i}", revision=s.draft2, when=when)
        f.comment(db, s, s.residents[1], "Svar", parent=root)
    db.commit()
    # Page one of 63 inputs costs no more than the whole of 4 (every kind present in both).
    assert _count(app, client, url + "?page=1") <= few
    assert _count(app, client, url + "?page=2") <= few
