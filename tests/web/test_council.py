"""The council's pages: who may use them, the draft → preview → publish flow, the overdue badge
everywhere, the tracker's filters and CSV, the bulk import, the handover."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.models import Body, BodyMembership, User

SKY = "/council/assemblies/skybrud-amager-oest"
COUNCIL_GETS = ["/council", SKY, f"{SKY}/recommendations/1", f"{SKY}/recommendations/2/preview"]
COUNCIL_POSTS = [
    (f"{SKY}/recommendations/1", {"status": "adopted", "text": "Ja.", "then": "save"}),
    (f"{SKY}/publish", {}),
    (f"{SKY}/recommendations/1/implementation", {"implementation": "in_progress", "progress": "5"}),
    ("/council/templates", {"name": "T", "status": "adopted", "text": "Ja."}),
]


@pytest.mark.parametrize("role", ["council", "admin"])
def test_council_and_admin_reach_every_council_page(login_as, role: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(role)
    for url in COUNCIL_GETS:
        assert client.get(url).status_code == 200, url
    for url, data in COUNCIL_POSTS:
        assert client.post(url, data=data).status_code == 302, url


@pytest.mark.parametrize("role", ["resident", "member", "committee", "secretariat"])
def test_others_get_403_on_council_pages_and_actions(login_as, role: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(role)
    for url in COUNCIL_GETS:
        assert client.get(url).status_code == 403, url
    for url, data in COUNCIL_POSTS:
        assert client.post(url, data=data).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client: FlaskClient) -> None:
    for url in COUNCIL_GETS + [f"{SKY}/handover"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url, data in COUNCIL_POSTS:
        response = client.post(url, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_council_user_of_another_body_gets_403(login_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    council = db.scalar(select(User).where(User.email == "council@example.org"))
    assert council is not None
    other = Body(name="Økonomiudvalget")
    db.add(other)
    db.flush()
    db.execute(delete(BodyMembership).where(BodyMembership.user_id == council.id))
    db.add(BodyMembership(body_id=other.id, user_id=council.id))
    db.commit()
    client = login_as("council")
    assert client.get("/council").status_code == 200  # their desk, empty
    for url in COUNCIL_GETS[1:]:
        assert client.get(url).status_code == 403, url
    url, data = COUNCIL_POSTS[0]
    assert client.post(url, data=data).status_code == 403


def test_only_the_secretariat_and_admins_record_the_handover(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("council")
    assert client.get(f"{SKY}/handover").status_code == 403
    client.post("/logout")
    client = login_as("secretariat")
    assert client.get(f"{SKY}/handover").status_code == 200
    body_id = (
        client.get(f"{SKY}/handover")
        .get_data(as_text=True)
        .split('<option value="')[2]
        .split('"')[0]
    )
    response = client.post(
        f"{SKY}/handover", data={"body_id": body_id, "handed_over_on": "2026-10-01"}
    )
    assert response.status_code == 302
    html = client.get(f"{SKY}/handover").get_data(as_text=True)
    assert "26. november 2026" in html  # 1 October + 8 weeks
    refused = client.post(
        f"{SKY}/handover", data={"body_id": body_id, "handed_over_on": "2099-01-01"}
    )
    assert refused.status_code == 422 and "fremtiden" in refused.get_data(as_text=True)


def test_draft_preview_publish_and_amend(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as("council")
    form = {
        "status": "adopted",
        "text": "Regnvandsbede kommer i 2027.",
        "decided_by": "TMU",
        "decided_on": "2026-11-18",
        "journal_number": "2026-77",
        "then": "preview",
    }
    response = client.post(f"{SKY}/recommendations/1", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")
    preview = client.get(f"{SKY}/recommendations/1/preview").get_data(as_text=True)
    assert "Regnvandsbede kommer i 2027." in preview and "2026-77" in preview
    public = client.get("/assemblies/skybrud-amager-oest/recommendations/1").get_data(as_text=True)
    assert "Regnvandsbede kommer i 2027." not in public  # a draft is private
    assert "Svar udestår siden" in public
    assert client.post(f"{SKY}/recommendations/1/publish").status_code == 302
    public = client.get("/assemblies/skybrud-amager-oest/recommendations/1").get_data(as_text=True)
    assert "Regnvandsbede kommer i 2027." in public and "Gennemføres nu" in public
    assert "Svar udestår siden" not in public and "2026-77" in public
    # Amend: a new version; the first stays visible as history.
    client.post(
        f"{SKY}/recommendations/1",
        data={**form, "status": "partly", "text": "Kun i to gader.", "then": "save"},
    )
    client.post(f"{SKY}/recommendations/1/publish")
    public = client.get("/assemblies/skybrud-amager-oest/recommendations/1").get_data(as_text=True)
    assert "Kun i to gader." in public and "Regnvandsbede kommer i 2027." in public
    assert "Tidligere versioner af svaret (1)" in public and "Svaret ændret" in public


def test_a_bad_draft_is_shown_again_with_messages(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("council")
    response = client.post(f"{SKY}/recommendations/1", data={"status": "", "text": "Mit svar"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vælg, hvad kommunen gør" in html and "Mit svar" in html


def test_overdue_badge_on_recommendation_assembly_page_and_tracker(client: FlaskClient) -> None:
    badge = "Svar udestår siden 6. november 2026 (14 dage)"
    assert badge in client.get("/assemblies/skybrud-amager-oest/recommendations/1").get_data(
        as_text=True
    )
    assembly = client.get("/assemblies/skybrud-amager-oest").get_data(as_text=True)
    assert badge in assembly and "Svar og opfølgning" in assembly and "Besvaret: 1 af 4" in assembly
    tracker = client.get("/recommendations?overdue=1").get_data(as_text=True)
    assert badge in tracker and "3 anbefalinger: 0 besvaret, 3 udestår, 0 gennemført" in tracker
    answered = client.get("/assemblies/skybrud-amager-oest/recommendations/4").get_data(
        as_text=True
    )
    assert "Svar udestår" not in answered


def test_middelalderbyen_shows_answers_decision_records_milestones_and_a_chart(
    client: FlaskClient,
) -> None:
    html = client.get("/assemblies/middelalderbyen-2019").get_data(as_text=True)
    assert "Besvaret: 9 af 9 anbefalinger." in html and "<svg viewBox" in html and "<table" in html
    rec = client.get("/assemblies/middelalderbyen-2019/recommendations/5").get_data(as_text=True)
    assert "Budget 2021" in rec and "illustrativt eksempel" in rec
    assert "Milepæl nået" in rec and "Gennemført." in rec and "Overrakt til" in rec


def test_tracker_filters_sorts_pages_and_exports_csv(client: FlaskClient) -> None:
    html = client.get("/recommendations?assembly=middelalderbyen-2019&answer=rejected").get_data(
        as_text=True
    )
    assert "1 anbefaling: 1 besvaret" in html and "Forsøg med bilfri weekender" in html
    assert client.get("/recommendations?answer=nonsense&sort=x&year=abc").status_code == 200
    response = client.get("/recommendations.csv?overdue=1")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffassembly;number;title;")
    assert len(text.strip().splitlines()) == 4  # header + 3 overdue
    page2 = client.get("/recommendations?page=2").get_data(as_text=True)
    assert "Side 2" in page2 or "anbefaling" in page2


def test_csv_import_shows_line_errors_and_changes_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("council")
    csv = client.get("/recommendations.csv?assembly=middelalderbyen-2019").data.decode("utf-8-sig")
    lines = csv.splitlines()
    cells = lines[2].split(";")
    cells[9] = "abc"
    lines[2] = ";".join(cells)
    data = {"file": (io.BytesIO("\r\n".join(lines).encode("utf-8-sig")), "a.csv")}
    response = client.post("/council/import", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Linje 3" in html and "Intet er ændret" in html
    lines = csv.splitlines()
    cells = lines[2].split(";")
    cells[9] = "66"
    lines[2] = ";".join(cells)
    data = {"file": (io.BytesIO("\r\n".join(lines).encode("utf-8-sig")), "a.csv")}
    assert (
        client.post("/council/import", data=data, content_type="multipart/form-data").status_code
        == 302
    )
    export = client.get("/recommendations.csv?assembly=middelalderbyen-2019").data.decode(
        "utf-8-sig"
    )
    assert export.splitlines()[2].split(";")[9] == "66"


def test_council_users_find_their_work_from_their_start_page(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("council")
    mine = client.get("/mine").get_data(as_text=True)
    assert 'href="/council"' in mine
    desk = client.get("/council").get_data(as_text=True)
    assert "Borgersamling om skybrud" in desk and "Svarfrist" in desk
    assert "1 udkast venter på at blive offentliggjort" in desk


def test_bulk_template_and_publish_selected(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("council")
    client.post(
        "/council/templates",
        data={"name": "Undersøges", "status": "investigate", "text": "Vi undersøger det."},
    )
    html = client.get(SKY).get_data(as_text=True)
    template_id = html.split('id="template_id"')[1].split('<option value="')[2].split('"')[0]
    response = client.post(f"{SKY}/bulk", data={"template_id": template_id, "numbers": ["1", "3"]})
    assert response.status_code == 302
    assert client.post(f"{SKY}/publish", data={"numbers": ["1", "3"]}).status_code == 302
    public = client.get("/assemblies/skybrud-amager-oest/recommendations/3").get_data(as_text=True)
    assert "Vi undersøger det." in public and "Undersøges nærmere" in public
    draft_left = client.get(f"{SKY}/recommendations/2/preview").get_data(as_text=True)
    assert "regnvandsbede" in draft_left  # number 2's draft was not published


def test_members_opt_in_to_stay_informed_and_others_cannot(
    login_as, client: FlaskClient, db: Session
) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Member

    url = "/assemblies/groent-byliv-indre-oesterbro/stay-informed"
    response = client.post(url, data={"stay_informed": "yes"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as("member")
    page = client.get("/assemblies/groent-byliv-indre-oesterbro").get_data(as_text=True)
    assert "Giv mig besked om svarene" in page
    assert client.post(url, data={"stay_informed": "yes"}).status_code == 302
    member = db.scalar(
        select(Member)
        .join(User, Member.user_id == User.id)
        .where(User.email == "member@example.org")
    )
    assert member is not None
    db.refresh(member)
    assert member.stay_informed is True
    assert "Stop beskederne" in client.get("/assemblies/groent-byliv-indre-oesterbro").get_data(
        as_text=True
    )
    # The member's own page offers the same choice, and the answer comes back to it.
    mine = client.get("/mine").get_data(as_text=True)
    assert f'action="{url}"' in mine and "Stop beskederne" in mine
    back = client.post(url, data={"stay_informed": "no", "next": "/mine#place-2"})
    assert back.headers["Location"] == "/mine#place-2"
    db.refresh(member)
    assert member.stay_informed is False
    elsewhere = client.post(url, data={"stay_informed": "yes", "next": "https://evil.example/"})
    assert elsewhere.headers["Location"].startswith("/assemblies/groent-byliv-indre-oesterbro")
    client.post("/logout")
    login_as("resident")
    assert client.post(url, data={"stay_informed": "yes"}).status_code == 403


def test_the_hourly_job_tells_followers_once(app, db: Session) -> None:  # type: ignore[no-untyped-def]
    from portal import jobs
    from portal.models import Assembly, FollowerNotice, Member, OutboxEmail

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "skybrud-amager-oest"))
    assert assembly is not None
    member = db.scalar(select(Member).where(Member.assembly_id == assembly.id))
    resident = db.scalar(select(User).where(User.email == "resident@example.org"))
    assert member is not None and resident is not None
    member.user_id, member.stay_informed = resident.id, True
    db.commit()
    jobs.tell_overdue_followers()
    jobs.tell_overdue_followers()
    mails = db.scalars(select(OutboxEmail).where(OutboxEmail.to == "resident@example.org")).all()
    assert len(mails) == 1 and "Regnvandsbede i sidegaderne" in mails[0].body
    assert len(db.scalars(select(FollowerNotice)).all()) == 3
