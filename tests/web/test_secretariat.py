"""The secretariat's recruitment pages: quotas with a live check, the invitation lottery, privacy."""

from __future__ import annotations

import io
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import (
    Assembly,
    AuditEvent,
    QuotaTarget,
    Registrant,
    RegistrantStatus,
    RunKind,
    RunStatus,
    SelectionRun,
)
from portal.recruitment.invitations import choose_households
from tests.conftest import NOW

BASE = "/secretariat/assemblies/baeredygtigt-forbrug"


def test_only_the_secretariat_gets_in(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    assert client.get(BASE).status_code == 302  # anonymous: to the login page
    login_as("resident")
    assert client.get(BASE).status_code == 403
    assert client.post(BASE + "/quotas", data={"quotas": "a,b,0.5"}).status_code == 403
    client.post("/logout")
    login_as("secretariat")
    html = client.get(BASE).get_data(as_text=True)
    assert "Tilmeldte" in html and "320" in html


def test_quotas_are_saved_and_checked_against_the_pool(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    page = client.get(BASE + "/quotas").get_data(as_text=True)
    assert "Region Hovedstaden" in page and "Ja. Der findes et panel" in page
    text = "category,value,share,min,max\nKøn,Kvinde,50%\nKøn,Mand,0.5,30,36\n"
    assert client.post(BASE + "/quotas", data={"quotas": text}).status_code == 302
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    rows = db.scalars(select(QuotaTarget).where(QuotaTarget.assembly_id == assembly.id)).all()
    assert [(q.value, q.min_count, q.max_count) for q in rows] == [
        ("Kvinde", 30, 36),
        ("Mand", 30, 36),
    ]


def test_bad_quotas_name_the_line_and_keep_the_text(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    text = "Køn,Kvinde,0.5,40,30\nKøn,Mand,x\n"
    response = client.post(BASE + "/quotas", data={"quotas": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Linje 1: min skal være mindst 0 og højst max" in html and "Linje 2" in html
    assert "Køn,Kvinde,0.5,40,30" in html


def test_live_check_returns_the_partial_and_explains_infeasibility(
    client: FlaskClient, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    text = "Køn,Kvinde,0.5,60,66\nKøn,Mand,0.5,30,66\n"  # 60 + 30 > 66 seats
    response = client.post(
        BASE + "/quotas/check", data={"quotas": text}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="feasibility"')
    assert "Nej. Intet panel" in html and "Sænk minimum" in html
    full = client.post(BASE + "/quotas/check", data={"quotas": text}).get_data(as_text=True)
    assert "<html" in full and "Nej. Intet panel" in full
    bad = client.post(
        BASE + "/quotas/check", data={"quotas": "nonsense"}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith(
        '<section id="feasibility"'
    )


REGISTER = "household,bydel,alder\n" + "".join(
    f"Gade {i},{'Nord' if i % 3 else 'Syd'},{20 + i % 60}\n" for i in range(300)
)


def test_invitation_lottery_is_seeded_spread_and_exported(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    data = {
        "count": "30",
        "seed": "4 6 1 2 5",
        "spread": "bydel",
        "register": (io.BytesIO(REGISTER.encode()), "register.csv"),
    }
    response = client.post(BASE + "/invitations", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(BASE).get_data(as_text=True)
    assert "30 / 300" in page and "4 6 1 2 5" in page
    batch_link = page.split("/invitations/")[1].split(".csv")[0]
    csv_text = client.get(f"{BASE}/invitations/{batch_link}.csv").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0] == "code,household,bydel,alder" and len(lines) == 31
    nord = sum(1 for line in lines[1:] if ",Nord," in line)
    assert nord == 20  # two thirds of the households are in Nord
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "invitations.drawn")) is not None


def test_invitation_choice_is_reproducible_from_the_seed() -> None:
    rows = [{"household": f"h{i}", "bydel": "A" if i % 2 else "B"} for i in range(100)]
    first = choose_households(rows, 10, "seed", None)
    assert first == choose_households(rows, 10, "seed", None)
    assert first != choose_households(rows, 10, "other seed", None)
    spread = choose_households(rows, 10, "seed", "bydel")
    assert sum(1 for h in spread if int(h[1:]) % 2) == 5


def test_register_with_cpr_numbers_is_refused(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    data = {
        "count": "3",
        "seed": "1",
        "register": (io.BytesIO(b"household,cpr\nA,0101011234\n"), "r.csv"),
    }
    response = client.post(BASE + "/invitations", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "CPR" in response.get_data(as_text=True)


def _drawn_run(db, assembly: Assembly, finished_days_ago: int) -> None:  # type: ignore[no-untyped-def]
    db.add(
        SelectionRun(
            assembly_id=assembly.id,
            kind=RunKind.DRAW,
            status=RunStatus.DRAWN,
            code_version="t",
            inputs_digest="x",
            finished_at=NOW - timedelta(days=finished_days_ago),
        )
    )
    db.commit()


def test_personal_data_is_blanked_only_after_the_window(
    app, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    refused = client.post(BASE + "/privacy/blank")
    assert refused.status_code == 422 and "først slettes" in refused.get_data(as_text=True)
    _drawn_run(db, assembly, finished_days_ago=91)
    people = db.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)).all()
    people[0].status = RegistrantStatus.CONFIRMED
    db.commit()
    assert client.post(BASE + "/privacy/blank").status_code == 302
    db.expire_all()
    kept = db.get(Registrant, people[0].id)
    blanked = db.get(Registrant, people[1].id)
    assert kept.email and kept.blanked_at is None
    assert blanked.email == "" and blanked.first_name == "" and blanked.address == ""
    assert blanked.answers and blanked.household_key  # counts and audit still add up
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.blanked")) is not None


def test_settings_switch_to_invitation_mode_with_validation(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Recruitment, RecruitmentMode

    login_as("secretariat")
    bad = client.post(BASE + "/settings", data={"mode": "invitation", "retention_days": "x"})
    assert bad.status_code == 422 and "mellem 1 og 730" in bad.get_data(as_text=True)
    ok = client.post(
        BASE + "/settings",
        data={"mode": "invitation", "household_rule": "yes", "retention_days": "30"},
    )
    assert ok.status_code == 302
    assembly = db.scalar(select(Assembly).where(Assembly.slug == "baeredygtigt-forbrug"))
    settings = db.scalar(select(Recruitment).where(Recruitment.assembly_id == assembly.id))
    assert settings.mode == RecruitmentMode.INVITATION and settings.retention_days == 30
    assert "Kode fra dit invitationsbrev" in client.get(
        "/assemblies/baeredygtigt-forbrug/register"
    ).get_data(as_text=True)


def test_members_contact_data_goes_when_the_assembly_has_ended(app, db) -> None:  # type: ignore[no-untyped-def]
    from portal.recruitment.privacy import blank_member_contacts

    assembly = db.scalar(select(Assembly).where(Assembly.slug == "middelalderbyen-2019"))
    count = blank_member_contacts(db, assembly, NOW, None)
    assert count == 36
    seated = db.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id, Registrant.status == RegistrantStatus.CONFIRMED
        )
    ).all()
    assert all(p.email == "" and p.address == "" for p in seated)
    active = db.scalar(select(Assembly).where(Assembly.slug == "groent-byliv-indre-oesterbro"))
    import pytest

    from portal.errors import Invalid

    with app.test_request_context(), pytest.raises(Invalid):
        blank_member_contacts(db, active, NOW, None)
