"""The response ledger's rules: who records and proposes, required fields, history, bulk, the
untreated count, notifications, filters, diffs, the hvidbog's CSV and "Mit input"."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import csvsafe
from portal.consultation import charts, input_report, ledger
from portal.consultation.input_report import InputFilter
from portal.consultation.ledger import InputRef
from portal.errors import Forbidden, Invalid, NotFound
from portal.models import (
    AuditEvent,
    Disposition,
    DispositionKind,
    DispositionState,
    OutboxEmail,
    Role,
)
from tests import ledger_factory as f
from tests.conftest import NOW


def _ref(row: object) -> InputRef:
    kind = "response" if type(row).__name__ == "ConsultationResponse" else "comment"
    return InputRef(kind, row.id)  # type: ignore[attr-defined, arg-type]


def _mails(db: Session, to: str) -> list[OutboxEmail]:
    return list(db.scalars(select(OutboxEmail).where(OutboxEmail.to == to)))


def test_only_facilitators_and_the_secretariat_record_members_propose(db: Session) -> None:
    s = f.setup(db)
    assert ledger.get_access(db, s.assembly.slug, s.facilitator).can_record
    assert not ledger.get_access(db, s.assembly.slug, s.member).can_record
    secretariat = f.user(db, "Sekretær")
    secretariat.set_roles({Role.SECRETARIAT})
    assert ledger.get_access(db, s.assembly.slug, secretariat).can_record
    with pytest.raises(Forbidden):
        ledger.get_access(db, s.assembly.slug, s.residents[0])
    other = f.setup(db)  # a member of another assembly
    with pytest.raises(Forbidden):
        ledger.get_access(db, s.assembly.slug, other.member)
    with pytest.raises(NotFound):
        ledger.get_access(db, "no-such-assembly", s.facilitator)
    c = f.comment(db, s, s.residents[0], "Flere bænke")
    member = ledger.get_access(db, s.assembly.slug, s.member)
    with pytest.raises(Forbidden):
        ledger.record_dispositions(db, member, NOW, [_ref(c)], "adopted", "Godt")


def test_a_disposition_needs_a_kind_and_a_rationale(db: Session) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], "Flere bænke")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    with pytest.raises(Invalid) as err:
        ledger.record_dispositions(db, access, NOW, [_ref(c)], "", "  ")
    assert set(err.value.field_errors) == {"kind", "rationale"}
    assert "begrundelse" in err.value.field_errors["rationale"]
    with pytest.raises(Invalid) as err:
        ledger.record_dispositions(db, access, NOW, [_ref(c)], "maybe", "x" * 2001)
    assert set(err.value.field_errors) == {"kind", "rationale"}
    with pytest.raises(Invalid) as err:
        ledger.record_dispositions(db, access, NOW, [], "adopted", "Godt")
    assert "inputs" in err.value.field_errors
    # The influenced revision must be one of the input's recommendation's.
    other = f.setup(db)
    with pytest.raises(Invalid) as err:
        ledger.record_dispositions(db, access, NOW, [_ref(c)], "adopted", "Godt", other.draft2.id)
    assert "revision_id" in err.value.field_errors
    # Replies take their thread's disposition, and other assemblies' input is not found.
    reply = f.comment(db, s, s.residents[1], "Enig", parent=c)
    with pytest.raises(Invalid):
        ledger.record_dispositions(db, access, NOW, [_ref(reply)], "adopted", "Godt")
    foreign = f.comment(db, other, other.residents[0], "Andet sted")
    with pytest.raises(NotFound):
        ledger.record_dispositions(db, access, NOW, [_ref(foreign)], "adopted", "Godt")
    assert db.scalar(select(Disposition).where(Disposition.comment_id == c.id)) is None


def test_recording_tells_the_author_and_a_change_adds_a_row(db: Session) -> None:
    s = f.setup(db)
    author = s.residents[0]
    c = f.comment(db, s, author, "Flere bænke")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    assert ledger.record_dispositions(db, access, NOW, [_ref(c)], "noted", "Vi ser på det") == 1
    mails = _mails(db, author.email)
    assert len(mails) == 1 and "Taget til efterretning" in mails[0].body
    assert "/mine/input" in mails[0].body and mails[0].language == "da"
    # The same decision again changes nothing: no row, no second e-mail.
    assert ledger.record_dispositions(db, access, NOW, [_ref(c)], "noted", "Vi ser på det") == 0
    assert len(_mails(db, author.email)) == 1
    later = NOW + timedelta(days=1)
    ledger.record_dispositions(
        db, access, later, [_ref(c)], "adopted", "Bænke er skrevet ind", s.draft2.id
    )
    history = ledger.dispositions_for(db, [_ref(c)])[_ref(c)]
    assert [h.kind for h in history] == [DispositionKind.NOTED, DispositionKind.ADOPTED]
    assert ledger.current_of(history).revision_id == s.draft2.id  # type: ignore[union-attr]
    mails = _mails(db, author.email)
    assert len(mails) == 2 and "ændret" in mails[1].subject
    actions = set(
        db.scalars(select(AuditEvent.action).where(AuditEvent.subject.contains(s.assembly.slug)))
    )
    assert {"disposition.recorded", "disposition.changed"} <= actions


def test_bulk_records_one_disposition_for_several_inputs(db: Session) -> None:
    s = f.setup(db)
    comments = [f.comment(db, s, r, f"Bænke {i}") for i, r in enumerate(s.residents)]
    resp = f.response(db, s, "Vi støtter")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    assert ledger.untreated_counts(db, [s.assembly.id]) == {s.assembly.id: 4}
    refs = [_ref(c) for c in comments[:2]] + [_ref(resp)]
    assert ledger.record_dispositions(db, access, NOW, refs, "partly_adopted", "Delvist") == 3
    assert ledger.untreated_counts(db, [s.assembly.id]) == {s.assembly.id: 1}
    work = ledger.list_untreated(db, s.assembly)
    assert [c.id for c in work.comments] == [comments[2].id] and work.responses == []
    assert len(_mails(db, s.org_person.email)) == 1  # type: ignore[union-attr]


def test_hidden_input_and_replies_are_not_counted_as_untreated(db: Session) -> None:
    s = f.setup(db)
    root = f.comment(db, s, s.residents[0], "Flere bænke")
    f.comment(db, s, s.residents[1], "Enig", parent=root)
    f.comment(db, s, s.residents[2], "Grimt", hidden=True)
    assert ledger.untreated_counts(db, [s.assembly.id]) == {s.assembly.id: 1}


def test_members_propose_and_a_facilitator_accepts(db: Session) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], "Flere bænke")
    member = ledger.get_access(db, s.assembly.slug, s.member)
    with pytest.raises(Invalid):
        ledger.propose_disposition(db, member, NOW, [_ref(c)], "adopted", "")
    other = f.comment(db, s, s.residents[1], "Flere træer")
    with pytest.raises(Invalid):
        ledger.propose_disposition(db, member, NOW, [_ref(c), _ref(other)], "adopted", "Ja")
    proposal = ledger.propose_disposition(db, member, NOW, [_ref(c)], "adopted", "Bænke kom med")
    assert proposal.state == DispositionState.PROPOSED
    assert ledger.dispositions_for(db, [_ref(c)])[_ref(c)] == []  # not public
    assert _mails(db, s.residents[0].email) == []
    work = ledger.list_untreated(db, s.assembly)
    assert [p.id for p in work.proposals[_ref(c)]] == [proposal.id]
    with pytest.raises(Forbidden):
        ledger.accept_proposal(db, member, NOW, proposal.id)
    facilitator = ledger.get_access(db, s.assembly.slug, s.facilitator)
    ledger.accept_proposal(db, facilitator, NOW, proposal.id)
    current = ledger.current_of(ledger.dispositions_for(db, [_ref(c)])[_ref(c)])
    assert current is not None and current.rationale == "Bænke kom med"
    assert current.decided_by_id == s.facilitator.id


def test_the_overview_filters_by_recommendation_kind_disposition_and_district(db: Session) -> None:
    s = f.setup(db)
    c1 = f.comment(db, s, s.residents[0], "Flere bænke")
    f.comment(db, s, s.residents[1], "Flere træer")
    resp = f.response(db, s, "Vi støtter", district="Nørrebro")
    whole = f.response(db, s, "Hele udkastet", whole=True)
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    ledger.record_dispositions(db, access, NOW, [_ref(c1), _ref(resp)], "adopted", "Ja")

    def keys(filt: InputFilter) -> set[str]:
        return {i.ref.key for i in input_report.get_overview(db, s.assembly, filt).page.items}

    assert len(keys(InputFilter())) == 4
    assert keys(InputFilter(kind="organisation")) == {_ref(resp).key, _ref(whole).key}
    assert keys(InputFilter(kind="resident", disposition="adopted")) == {_ref(c1).key}
    assert keys(InputFilter(disposition="none", kind="organisation")) == {_ref(whole).key}
    assert keys(InputFilter(recommendation=0)) == {_ref(whole).key}
    assert len(keys(InputFilter(recommendation=1))) == 3
    assert keys(InputFilter(district="Nørrebro")) == {_ref(resp).key, _ref(whole).key}
    overview = input_report.get_overview(db, s.assembly, InputFilter())
    assert overview.districts == ["Nørrebro"]
    page = input_report.get_overview(db, s.assembly, InputFilter(), page=2, size=3)
    assert page.page.number == 2 and len(page.page.items) == 1 and page.page.total == 4


def test_the_diff_runs_from_the_version_written_on_to_the_latest_public_one(db: Session) -> None:
    s = f.setup(db)
    f.comment(db, s, s.residents[0], "Bænke", revision=s.draft1)
    f.comment(db, s, s.residents[1], "Også bænke", revision=s.draft2)
    db.expire(s.rec, ["revisions"])
    recs = input_report.get_all_items(db, s.assembly)[0]
    (rd,) = input_report.diffs_for(db, s.assembly, recs)
    assert rd.target is not None and rd.target.id == s.draft2.id
    # Only Udkast 1 differs from the target; input on Udkast 2 needs no diff.
    assert [src.id for src, _ in rd.diffs] == [s.draft1.id]
    inserted = "".join(t for op, t in rd.diffs[0][1] if op == "insert")
    assert "flere" in inserted and "bænke" in inserted


def test_hidden_input_never_shows_its_text(db: Session) -> None:
    s = f.setup(db)
    f.comment(db, s, s.residents[0], "HEMMELIG fornærmelse", hidden=True)
    recs, items = input_report.get_all_items(db, s.assembly)
    assert items[0].hidden
    data = input_report.csv_report(recs, items).decode("utf-8-sig")
    assert "HEMMELIG" not in data and "Skjult af moderator: personangreb, Groft sprog" in data
    assert s.residents[0].display_name not in data


def test_the_csv_is_semicolon_separated_utf8_with_bom_and_neutralises_formulas(db: Session) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], '=HYPERLINK("http://evil")')
    f.comment(db, s, s.residents[1], "-2+3")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    ledger.record_dispositions(
        db, access, NOW, [_ref(c)], "outside_remit", "@uden for", s.draft2.id
    )
    recs, items = input_report.get_all_items(db, s.assembly)
    raw = input_report.csv_report(recs, items)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nummer" and len(rows) == 3
    texts = {r[7] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in texts and "'-2+3" in texts
    answered = next(r for r in rows[1:] if r[8] == "Uden for rammen")
    assert answered[9] == "'@uden for" and answered[10] == "Udkast 2" and answered[5] == "Udkast 1"
    assert csvsafe.cell("=1+1") == "'=1+1" and csvsafe.cell("ok") == "ok"


def test_charts_count_per_recommendation_kind_district_and_disposition(db: Session) -> None:
    s = f.setup(db)
    c = f.comment(db, s, s.residents[0], "Bænke")
    f.comment(db, s, s.residents[1], "Træer")
    f.response(db, s, "Støtter", district="Nørrebro")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    ledger.record_dispositions(db, access, NOW, [_ref(c)], "adopted", "Ja")
    overview = input_report.get_overview(db, s.assembly, InputFilter())
    made = {
        chart.key: chart for chart in charts.input_charts(overview.rows, overview.recommendations)
    }
    assert [(b.label, b.count) for b in made["kind"].bars] == [("Borger", 2), ("Organisation", 1)]
    assert [(b.label, b.count) for b in made["district"].bars] == [("Nørrebro", 1)]
    counts = {b.label: b.count for b in made["disposition"].bars}
    assert counts["Indarbejdet"] == 1 and counts["Ikke besvaret endnu"] == 2
    assert made["recommendation"].bars[0].count == 3 and made["recommendation"].bars[0].share == 1.0


def test_my_input_lists_comments_replies_and_my_organisations_responses(db: Session) -> None:
    s = f.setup(db)
    me = s.residents[0]
    root = f.comment(db, s, me, "Min kommentar")
    reply = f.comment(db, s, me, "Mit svar", parent=f.comment(db, s, s.residents[1], "Andens"))
    f.comment(db, s, s.residents[2], "Ikke min")
    access = ledger.get_access(db, s.assembly.slug, s.facilitator)
    ledger.record_dispositions(
        db, access, NOW, [InputRef("comment", reply.parent_id or 0)], "noted", "Noteret"
    )
    mine = input_report.list_my_input(db, me)
    assert {i.input.id for _, i in mine} == {root.id, reply.id}
    by_id = {i.input.id: i for _, i in mine}
    assert by_id[reply.id].disposition is not None  # a reply shows its thread's disposition
    assert by_id[root.id].disposition is None
    resp = f.response(db, s, "Vores svar")
    colleague = f.user(db, "Kollega")
    from portal.models import OrganisationPerson

    db.add(OrganisationPerson(organisation_id=s.organisation.id, user_id=colleague.id))  # type: ignore[union-attr]
    db.flush()
    assert [i.input.id for _, i in input_report.list_my_input(db, colleague)] == [resp.id]
