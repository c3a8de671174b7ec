"""The draw in the portal: lottery with progress, fingerprint before seed, reproducible by anyone."""

from __future__ import annotations

import json
import subprocess
import sys

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import (
    Assembly,
    Member,
    OutboxEmail,
    PhaseKind,
    Registrant,
    RegistrantStatus,
    RunStatus,
    SelectionRun,
)
from tests.conftest import NOW

SLUG = "baeredygtigt-forbrug"
BASE = f"/secretariat/assemblies/{SLUG}"


def _into_selection_phase(db) -> Assembly:  # type: ignore[no-untyped-def]
    assembly = db.scalar(select(Assembly).where(Assembly.slug == SLUG))
    for phase in assembly.phases:
        if phase.kind == PhaseKind.RECRUITMENT:
            phase.ends_on = NOW.date().replace(day=NOW.day - 1)
        if phase.kind == PhaseKind.SELECTION:
            phase.starts_on = NOW.date()
    db.commit()
    return assembly


def test_draw_is_refused_outside_the_selection_phase(app, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("secretariat")
    assert client.post(BASE + "/draw").status_code == 409


def test_full_draw_fingerprint_then_seed_then_confirmation(
    app, client: FlaskClient, login_as, db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    assembly = _into_selection_phase(db)
    login_as("secretariat")
    assert client.post(BASE + "/draw").status_code == 302
    run = db.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    db.refresh(run)
    assert run.status == RunStatus.READY, run.message
    assert run.fingerprint and run.fingerprint_published_at and run.seed is None
    assert run.min_probability > 0.1  # 66 of 320, quotas permitting
    status = client.get(BASE + "/draw", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert status.lstrip().startswith('<section id="draw-status"') and run.fingerprint in status
    # The public sees the fingerprint before the seed exists.
    public = client.get(f"/assemblies/{SLUG}/selection").get_data(as_text=True)
    assert run.fingerprint in public and "Endnu ikke slået fast" in public
    empty = client.post(f"{BASE}/draw/{run.id}/seed", data={"seed": " ", "confirm": "yes"})
    assert empty.status_code == 422
    # Drawing the panel cannot be undone: without the confirmation box nothing happens.
    unconfirmed = client.post(f"{BASE}/draw/{run.id}/seed", data={"seed": "3 1 4 1 5 9"})
    assert unconfirmed.status_code == 422 and "Sæt kryds" in unconfirmed.get_data(as_text=True)
    db.refresh(run)
    assert run.status == RunStatus.READY
    seeded = client.post(
        f"{BASE}/draw/{run.id}/seed", data={"seed": "3 1 4 1 5 9", "confirm": "yes"}
    )
    assert seeded.status_code == 302
    db.refresh(run)
    assert run.status == RunStatus.DRAWN and len(run.result) == assembly.seats
    drawn = db.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id, Registrant.status == RegistrantStatus.DRAWN
        )
    ).all()
    assert {p.public_id for p in drawn} == set(run.result)
    mails = db.scalars(select(OutboxEmail).where(OutboxEmail.assembly_id == assembly.id)).all()
    assert {m.to for m in mails} == {p.email for p in drawn}
    assert mails[0].body.count("http://127.0.0.1:5000/seat/") == 1  # BASE_URL, not the Host
    # Without SMTP in development, delivery jobs count them as sent (the dev outbox shows them).
    assert {m.status for m in mails} == {"sent"}
    # The published inputs carry no personal data: pseudonymous ids and households only.
    for name in ("respondents.csv", "quotas.csv"):
        text = client.get(f"/assemblies/{SLUG}/selection/runs/{run.id}/{name}").get_data(
            as_text=True
        )
        assert not any(p.email in text or p.address in text or p.last_name in text for p in drawn)
    # Anyone can re-run the draw on the published files and get the same panel.
    lottery = client.get(f"/assemblies/{SLUG}/selection/runs/{run.id}/lottery.json")
    (tmp_path / "lottery.json").write_bytes(lottery.data)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal.selection",
            "draw",
            "--lottery",
            str(tmp_path / "lottery.json"),
            "--seed",
            "3 1 4 1 5 9",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(json.loads(result.stdout)["members"]) == sorted(run.result)
    # A drawn person confirms and becomes a member, shown as they chose.
    person = drawn[0]
    client.post("/logout")
    page = client.get(f"/seat/{person.token}").get_data(as_text=True)
    assert "Du er trukket ud" in page
    assert (
        client.post(f"/seat/{person.token}/confirm", data={"consent": "full_name"}).status_code
        == 302
    )
    member = db.scalar(select(Member).where(Member.registrant_id == person.id))
    assert member is not None and member.profile == person.answers
    assembly_page = client.get(f"/assemblies/{SLUG}").get_data(as_text=True)
    assert f"{person.first_name} {person.last_name}" in assembly_page


def test_public_selection_page_has_charts_tables_and_no_personal_data(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/assemblies/{SLUG}/selection").get_data(as_text=True)
    assert "LEXIMIN" in html and "<svg" in html and 'role="img"' in html and "<table" in html
    people = db.scalars(select(Registrant).where(Registrant.assembly_id.is_not(None))).all()
    for person in people[:50]:
        assert person.email not in html and person.address not in html


def test_replacements_keep_the_quotas_and_are_recorded(
    app, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    from portal.models import RunKind

    assembly = _into_selection_phase(db)
    login_as("secretariat")
    client.post(BASE + "/draw")
    run = db.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    client.post(f"{BASE}/draw/{run.id}/seed", data={"seed": "2 7 1 8", "confirm": "yes"})
    db.refresh(run)
    drawn = db.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id, Registrant.status == RegistrantStatus.DRAWN
        )
    ).all()
    declined = drawn[:2]
    unconfirmed = client.post(f"/seat/{declined[0].token}/decline")
    assert unconfirmed.status_code == 422 and "Sæt kryds" in unconfirmed.get_data(as_text=True)
    db.refresh(declined[0])
    assert declined[0].status == RegistrantStatus.DRAWN
    for person in declined:
        answer = client.post(f"/seat/{person.token}/decline", data={"confirm": "yes"})
        assert answer.status_code == 302
    nothing = client.post(BASE + "/draw/replacements", data={"replacement_seed": ""})
    assert nothing.status_code == 422
    assert (
        client.post(BASE + "/draw/replacements", data={"replacement_seed": "6 6 6"}).status_code
        == 302
    )
    replacement = db.scalar(select(SelectionRun).where(SelectionRun.kind == RunKind.REPLACEMENT))
    assert replacement is not None and len(replacement.result) == 2
    assert not set(replacement.result) & set(run.result)
    assert replacement.lottery["meets_quotas"] is True
    new = db.scalars(select(Registrant).where(Registrant.public_id.in_(replacement.result))).all()
    assert all(p.status == RegistrantStatus.DRAWN for p in new)


def test_a_failed_computation_leaves_no_panel(
    app, client: FlaskClient, login_as, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from portal.recruitment import draws

    def broken(*_args: object) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(draws, "compute", broken)
    assembly = _into_selection_phase(db)
    login_as("secretariat")
    client.post(BASE + "/draw")
    run = db.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    db.refresh(run)
    assert run.status == RunStatus.FAILED and "solver crashed" in run.message
    assert run.result is None and run.fingerprint is None
    drawn = db.scalars(
        select(Registrant).where(
            Registrant.assembly_id == assembly.id, Registrant.status == RegistrantStatus.DRAWN
        )
    ).all()
    assert drawn == []
    page = client.get(BASE + "/draw").get_data(as_text=True)
    assert "mislykkedes" in page and "Beregn lotteriet" in page, page[
        page.find("<main") :
    ]  # a new run can start


def test_page_views_never_fail_a_running_draw(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    from portal.models import RunKind

    assembly = _into_selection_phase(db)
    run = SelectionRun(
        assembly_id=assembly.id,
        kind=RunKind.DRAW,
        status=RunStatus.RUNNING,
        code_version="t",
        inputs_digest="x",
        heartbeat_at=NOW,
    )
    db.add(run)
    db.commit()
    login_as("secretariat")
    page = client.get(BASE + "/draw").get_data(as_text=True)
    db.refresh(run)
    assert run.status == RunStatus.RUNNING and "Lotteriet beregnes" in page


def test_seated_people_change_how_they_appear_with_their_link(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    member = db.scalar(select(Member).where(Member.registrant_id.is_not(None)))
    person = db.get(Registrant, member.registrant_id)
    assert (
        client.post(f"/seat/{person.token}/consent", data={"consent": "full_name"}).status_code
        == 302
    )
    db.refresh(member)
    assert member.consent == "full_name"
    slug = db.get(Assembly, member.assembly_id).slug
    assert f"{member.first_name} {member.last_name}" in client.get(f"/assemblies/{slug}").get_data(
        as_text=True
    )
    client.post(f"/seat/{person.token}/consent", data={"consent": "hidden"})
    db.refresh(member)
    assert member.consent == "hidden"


def test_replacements_never_pick_people_who_withdrew_or_were_blanked(
    app, client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    from portal.models import RunKind
    from portal.recruitment import draws
    from portal.selection.replace import replace_dropouts

    assembly = _into_selection_phase(db)
    login_as("secretariat")
    client.post(BASE + "/draw")
    run = db.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    client.post(f"{BASE}/draw/{run.id}/seed", data={"seed": "5 5 5", "confirm": "yes"})
    db.refresh(run)
    people = {
        p.public_id: p
        for p in db.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id))
    }
    declined = sorted(run.result)[:2]
    for pid in declined:
        client.post(f"/seat/{people[pid].token}/decline", data={"confirm": "yes"})
    # Whom the replacement would pick if only the declined were left out (the old rule):
    instance = draws._instance(run.inputs, assembly.seats, run.parameters["household_rule"])
    naive = replace_dropouts(
        instance, run.result, declined, declined=declined, seed="9 9"
    ).replacements
    assert len(naive) == 2
    withdrawn, blanked = people[naive[0]], people[naive[1]]
    withdrawn.status = RegistrantStatus.WITHDRAWN
    blanked.blanked_at, blanked.email = NOW, ""
    db.commit()
    assert (
        client.post(BASE + "/draw/replacements", data={"replacement_seed": "9 9"}).status_code
        == 302
    )
    replacement = db.scalar(select(SelectionRun).where(SelectionRun.kind == RunKind.REPLACEMENT))
    assert len(replacement.result) == 2
    assert not set(replacement.result) & {withdrawn.public_id, blanked.public_id}
