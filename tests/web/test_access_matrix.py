"""Access matrix: every route of app.url_map × every role × method, against a written-down table.

Each route names who may use it (ACCESS below). A route without an entry fails
`test_every_route_has_an_entry` with the line to add, so a new route cannot be forgotten. The
requests use real rows of the demo data (so a refusal is never just a missing row) and empty
forms for POST (so an allowed action answers with its form's messages and changes nothing).

Outcomes: "allowed" (anything but a refusal), "login" (redirect to the login page), "refused"
(403 or 404); a 5xx is always a failure.

Personal links (seat offers, sign-up receipts, set-password links) are the credential themselves:
anyone holding one may use it, and a changed token gives 404, never another person's page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from portal.demo import DEMO_PASSWORD
from portal.models import (
    Assembly,
    Body,
    Comment,
    CommentStatus,
    ConsultationResponse,
    CouncilAnswer,
    Disposition,
    DispositionKind,
    DispositionState,
    Facilitator,
    ImplementationItem,
    InvitationBatch,
    Material,
    Meeting,
    Member,
    Milestone,
    MinorityStatement,
    ModerationReason,
    Organisation,
    OrganisationPerson,
    Post,
    Recommendation,
    RecommendationRevision,
    Registrant,
    RegistrantStatus,
    SelectionRun,
    Thread,
    User,
)
from portal.passwords import hash_password
from portal.people.residents import verification_link
from portal.people.tokens import LinkSettings, make_token

from ..conftest import DEMO_EMAILS, NOW

ROLES = [
    "anonymous",
    "resident",
    "committee",  # a person of an organisation (lokaludvalg@)
    "member",  # a member of this assembly (Grønt byliv)
    "outsider",  # a member of another assembly (Middelalderbyen)
    "council",
    "secretariat",
    "admin",
]
OUTSIDER = "matrix-outsider@example.org"
WORKSPACE = "groent-byliv-indre-oesterbro"
OFFICE = "middelalderbyen-2019"  # has meetings, materials and a drawn panel
RECRUITING = "baeredygtigt-forbrug"

A, L, R = "allowed", "login", "refused"


def _who(allowed: set[str], anonymous: str = L) -> dict[str, str]:
    return {role: (A if role in allowed else R) for role in ROLES} | (
        {"anonymous": anonymous} if "anonymous" not in allowed else {}
    )


# Who may use a route. Keys of ACCESS name one of these.
EVERYONE = "everyone"
PERSONAL_LINK = "personal link"  # the token in the address is the credential
SIGNED_IN = "signed in"
OWN_MEMBERSHIP = "own membership"  # only the member whose membership it is
MEMBERS = "members"  # members of this assembly and its facilitators (the secretariat; not admins)
FACILITATORS = "facilitators"  # the assembly's facilitators only (groups, moderation, publishing)
VOTING_MEMBERS = "voting members"  # the assembly's members only (support, minority statements)
OWN_POST = "own post"  # only the post's author (the member wrote the post used here)
SECRETARIAT = "secretariat"  # the secretariat (and admins, who hold every role)
ADMIN = "admin"
DEVELOPMENT = "development"  # the dev outbox: staff only, and only outside production
AUTHOR = "author"  # only the input's author (resident@ wrote the comment used here)
ORGANISATION_PEOPLE = "organisation people"  # people of an organisation (høringssvar)
RESPONSE_AUTHOR = "response author"  # who filed the høringssvar used here (lokaludvalg@)
COUNCIL = "council"  # council users of the receiving body, and admins
LEDGER = "ledger"  # the response ledger: members, facilitators and the secretariat (admins too)
LEDGER_DECIDERS = "ledger deciders"  # recording dispositions: facilitators, secretariat, admins

CLASSES: dict[str, dict[str, str]] = {
    EVERYONE: _who(set(ROLES)),
    PERSONAL_LINK: _who(set(ROLES)),
    SIGNED_IN: _who(set(ROLES) - {"anonymous"}),
    OWN_MEMBERSHIP: _who({"member"}),
    MEMBERS: _who({"member", "secretariat"}),
    FACILITATORS: _who({"secretariat"}),
    VOTING_MEMBERS: _who({"member"}),
    OWN_POST: _who({"member"}),
    SECRETARIAT: _who({"secretariat", "admin"}),
    ADMIN: _who({"admin"}),
    DEVELOPMENT: _who({"secretariat", "admin"}),
    AUTHOR: _who({"resident"}),
    ORGANISATION_PEOPLE: _who({"committee"}),
    RESPONSE_AUTHOR: _who({"committee"}),
    COUNCIL: _who({"council", "admin"}),
    LEDGER: _who({"member", "secretariat", "admin"}),
    LEDGER_DECIDERS: _who({"secretariat", "admin"}),
}

# The table: endpoint → who may use it (for every method the route has).
ACCESS: dict[str, str] = {
    "static": EVERYONE,
    "public.index": EVERYONE,
    "public.favicon": EVERYONE,
    "public.healthz": EVERYONE,
    "public.list_assemblies": EVERYONE,
    "public.set_language": EVERYONE,
    "public.show_assembly": EVERYONE,
    "public.show_privacy": EVERYONE,
    "public.show_recommendation": EVERYONE,
    "public.show_selection": EVERYONE,
    "public.download_selection_file": EVERYONE,
    "library.list_materials": EVERYONE,
    "library.show_meeting": EVERYONE,
    "library.download_material": EVERYONE,
    "participate.show_registration": EVERYONE,
    "participate.create_registration": EVERYONE,
    "participate.show_receipt": PERSONAL_LINK,
    "participate.withdraw_registration": PERSONAL_LINK,
    "participate.show_seat": PERSONAL_LINK,
    "participate.confirm_seat": PERSONAL_LINK,
    "participate.decline_seat": PERSONAL_LINK,
    "participate.change_seat_consent": PERSONAL_LINK,
    "account.login": EVERYONE,
    "account.create_session": EVERYONE,
    "account.logout": EVERYONE,
    "account.show_set_password": PERSONAL_LINK,
    "account.set_password": PERSONAL_LINK,
    "account.show_account": SIGNED_IN,
    "account.change_password": SIGNED_IN,
    "account.change_email_language": SIGNED_IN,
    "account.end_sessions": SIGNED_IN,
    "account.change_display_consent": OWN_MEMBERSHIP,
    "mypage.show_mypage": SIGNED_IN,
    "members.show_workspace": MEMBERS,
    "members.list_groups": MEMBERS,
    "members.create_group": FACILITATORS,
    "members.list_threads": MEMBERS,
    "members.create_thread": MEMBERS,
    "members.show_thread": MEMBERS,
    "members.update_thread": FACILITATORS,
    "members.create_post": MEMBERS,
    "members.show_post": MEMBERS,
    "members.edit_post": OWN_POST,
    "members.update_post": OWN_POST,
    "members.new_recommendation": MEMBERS,
    "members.create_recommendation": MEMBERS,
    "members.show_recommendation": MEMBERS,
    "members.edit_recommendation": MEMBERS,
    "members.create_revision": MEMBERS,
    "members.list_revisions": MEMBERS,
    "members.show_diff": MEMBERS,
    "members.preview_diff": MEMBERS,
    "members.create_proposal": MEMBERS,
    "members.set_support": VOTING_MEMBERS,
    "members.publish_draft": FACILITATORS,
    "members.publish_final": FACILITATORS,
    "members.create_minority_statement": VOTING_MEMBERS,
    "members.sign_minority_statement": VOTING_MEMBERS,
    "office.list_assemblies": SECRETARIAT,
    "office.new_assembly": SECRETARIAT,
    "office.create_assembly": SECRETARIAT,
    "office.show_assembly": SECRETARIAT,
    "office.edit_assembly": SECRETARIAT,
    "office.update_assembly": SECRETARIAT,
    "office.edit_timeline": SECRETARIAT,
    "office.save_timeline": SECRETARIAT,
    "office.change_status": SECRETARIAT,
    "office_meetings.new_meeting": SECRETARIAT,
    "office_meetings.create_meeting": SECRETARIAT,
    "office_meetings.edit_meeting": SECRETARIAT,
    "office_meetings.update_meeting": SECRETARIAT,
    "office_meetings.publish_meeting": SECRETARIAT,
    "office_meetings.confirm_delete_meeting": SECRETARIAT,
    "office_meetings.delete_meeting": SECRETARIAT,
    "office_meetings.new_material": SECRETARIAT,
    "office_meetings.create_material": SECRETARIAT,
    "office_meetings.edit_material": SECRETARIAT,
    "office_meetings.update_material": SECRETARIAT,
    "office_meetings.publish_material": SECRETARIAT,
    "office_meetings.confirm_delete_material": SECRETARIAT,
    "office_meetings.delete_material": SECRETARIAT,
    "secretariat.show_recruitment": SECRETARIAT,
    "secretariat.save_settings": SECRETARIAT,
    "secretariat.edit_quotas": SECRETARIAT,
    "secretariat.save_quotas": SECRETARIAT,
    "secretariat.check_quotas": SECRETARIAT,
    "secretariat.create_invitations": SECRETARIAT,
    "secretariat.download_invitations": SECRETARIAT,
    "secretariat.show_draw": SECRETARIAT,
    "secretariat.start_draw": SECRETARIAT,
    "secretariat.enter_seed": SECRETARIAT,
    "secretariat.replace_declined": SECRETARIAT,
    "secretariat.show_outbox": SECRETARIAT,
    "secretariat.blank_personal_data": SECRETARIAT,
    "secretariat_people.list_registrants": SECRETARIAT,
    "secretariat_people.export_registrants": SECRETARIAT,
    "secretariat_people.list_members": SECRETARIAT,
    "secretariat_people.update_member_status": SECRETARIAT,
    "secretariat_people.resend_login": SECRETARIAT,
    "secretariat_people.add_facilitator": SECRETARIAT,
    "secretariat_people.remove_facilitator": SECRETARIAT,
    "secretariat_people.edit_eligibility": SECRETARIAT,
    "secretariat_people.save_eligibility": SECRETARIAT,
    "secretariat_people.list_organisations": SECRETARIAT,
    "secretariat_people.create_organisation": SECRETARIAT,
    "secretariat_people.show_organisation": SECRETARIAT,
    "secretariat_people.update_organisation": SECRETARIAT,
    "secretariat_people.add_organisation_person": SECRETARIAT,
    "secretariat_people.remove_organisation_person": SECRETARIAT,
    "admin.show_settings": ADMIN,
    "admin.update_settings": ADMIN,
    "admin.list_users": ADMIN,
    "admin.invite_user": ADMIN,
    "admin.show_user": ADMIN,
    "admin.update_roles": ADMIN,
    "admin.update_active": ADMIN,
    "admin.send_reset": ADMIN,
    "admin.list_bodies": ADMIN,
    "admin.create_body": ADMIN,
    "admin.add_body_person": ADMIN,
    "admin.remove_body_person": ADMIN,
    "dev.show_dev_outbox": DEVELOPMENT,
    "residents.show_signup": EVERYONE,
    "residents.create_account": EVERYONE,
    "residents.show_signup_sent": EVERYONE,
    "residents.verify_email": SIGNED_IN,  # the link proves the address of the logged-in account
    "residents.resend_verification": SIGNED_IN,
    "residents.show_reset": EVERYONE,
    "residents.request_reset": EVERYONE,
    "residents.show_reset_sent": EVERYONE,
    "residents.show_delete": SIGNED_IN,
    "residents.delete_account": SIGNED_IN,  # an empty form deletes nothing (password needed)
    "residents.download_data_json": SIGNED_IN,
    "residents.download_data_csv": SIGNED_IN,
    "residents.show_house_rules": EVERYONE,
    "ledger.show_input": EVERYONE,
    "ledger.show_report": EVERYONE,
    "ledger.download_report": EVERYONE,
    "ledger.show_my_input": SIGNED_IN,
    "ledger.show_ledger": LEDGER,
    "ledger.propose_disposition": LEDGER,
    "ledger.record_disposition": LEDGER_DECIDERS,
    "ledger.accept_proposal": LEDGER_DECIDERS,
    "consultation.list_comments": EVERYONE,
    "consultation.show_version": EVERYONE,
    "consultation.show_organisation": EVERYONE,
    "consultation.download_attachment": EVERYONE,
    "consultation.new_comment": EVERYONE,  # the form, or how to log in and verify
    "consultation.create_comment": SIGNED_IN,
    "consultation.edit_comment": AUTHOR,
    "consultation.update_comment": AUTHOR,
    "consultation.edit_response": RESPONSE_AUTHOR,
    "consultation.update_response": RESPONSE_AUTHOR,
    "consultation.new_report": SIGNED_IN,
    "consultation.create_report": SIGNED_IN,
    "consultation.new_appeal": AUTHOR,
    "consultation.create_appeal": AUTHOR,
    "consultation.list_my_comments": SIGNED_IN,
    "consultation.new_response": ORGANISATION_PEOPLE,
    "consultation.create_response": ORGANISATION_PEOPLE,
    "consultation.show_queue": SECRETARIAT,
    "consultation.show_item": SECRETARIAT,
    "consultation.moderate": SECRETARIAT,
    "consultation.set_premoderation": SECRETARIAT,
    "tracker.list_recommendations": EVERYONE,
    "tracker.download_recommendations": EVERYONE,
    "tracker.set_stay_informed": VOTING_MEMBERS,
    "council.show_desk": COUNCIL,
    "council.show_assembly": COUNCIL,
    "council.publish_answers": COUNCIL,
    "council.apply_template": COUNCIL,
    "council.edit_answer": COUNCIL,
    "council.save_answer": COUNCIL,
    "council.preview_answer": COUNCIL,
    "council.publish_answer": COUNCIL,
    "council.update_implementation": COUNCIL,
    "council.add_milestone": COUNCIL,
    "council.complete_milestone": COUNCIL,
    "council.add_item": COUNCIL,
    "council.update_item": COUNCIL,
    "council.create_template": COUNCIL,
    "council.import_csv": COUNCIL,
    "council.edit_handover": SECRETARIAT,
    "council.record_handover": SECRETARIAT,
}

# Actions that end the session they are sent in: run last, then log in again.
ENDS_SESSION = {"account.logout", "account.end_sessions", "account.create_session"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Call:
    endpoint: str
    method: str
    path: str


@pytest.fixture
def data(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def _one(session: Session, query: Any) -> Any:
    row = session.scalars(query).first()
    assert row is not None, str(query)
    return row


def _assembly(session: Session, slug: str) -> Assembly:
    return _one(session, select(Assembly).where(Assembly.slug == slug))


def _user(session: Session, email: str) -> User:
    return _one(session, select(User).where(User.email == email))


@pytest.fixture
def values(app: Flask, data: Session) -> dict[str, dict[str, Any]]:
    """URL values per endpoint prefix: real rows, so only permissions decide the outcome."""
    workspace, office, recruiting = (
        _assembly(data, WORKSPACE),
        _assembly(data, OFFICE),
        _assembly(data, RECRUITING),
    )
    # A member of another assembly, with a login of their own.
    outsider = User(
        email=OUTSIDER,
        display_name="Anden Borgersamling",
        password_hash=hash_password(DEMO_PASSWORD, "fast"),
        email_verified_at=NOW,  # like every demo account (unverified posting: test_consultation)
    )
    data.add(outsider)
    data.flush()
    office.members[0].user_id = outsider.id
    mette = _user(data, DEMO_EMAILS["member"])
    thread = _one(data, select(Thread).where(Thread.assembly_id == workspace.id))
    post = _one(
        data,
        select(Post)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Thread.assembly_id == workspace.id, Post.author_id == mette.id),
    )
    rec = _one(
        data,
        select(Recommendation).where(
            Recommendation.assembly_id == workspace.id, Recommendation.number == 1
        ),
    )
    statement = _one(
        data, select(MinorityStatement).where(MinorityStatement.recommendation_id == rec.id)
    )
    revisions = data.scalars(
        select(RecommendationRevision.id)
        .where(RecommendationRevision.recommendation_id == rec.id)
        .order_by(RecommendationRevision.id)
    ).all()
    member = _one(
        data,
        select(Member).where(Member.assembly_id == workspace.id, Member.user_id == mette.id),
    )
    people = data.scalars(
        select(Registrant).where(Registrant.assembly_id == recruiting.id).order_by(Registrant.id)
    ).all()
    receipt, seat = people[0], people[1]
    seat.status = RegistrantStatus.DRAWN
    seated = _one(
        data,
        select(Registrant).join(Member, Member.registrant_id == Registrant.id),
    )
    run = _one(data, select(SelectionRun).where(SelectionRun.assembly_id == office.id))
    batch = InvitationBatch(
        assembly_id=recruiting.id,
        seed="1 2 3",
        register_digest="0" * 64,
        register_size=0,
        invited=0,
    )
    data.add(batch)
    organisation = _one(data, select(Organisation))
    org_person = _one(
        data,
        select(OrganisationPerson).where(OrganisationPerson.organisation_id == organisation.id),
    )
    facilitator = _one(data, select(Facilitator))
    body = _one(data, select(Body))
    resident = _user(data, DEMO_EMAILS["resident"])
    comment = Comment(
        recommendation_id=rec.id, revision_id=revisions[0], author_id=resident.id, text="Matrix"
    )
    data.add(comment)
    data.flush()
    proposal = Disposition(
        comment_id=comment.id,
        state=DispositionState.PROPOSED,
        kind=DispositionKind.NOTED,
        rationale="Matrix",
    )
    data.add(proposal)
    # resident@'s comment, hidden by a moderator (so its author may appeal once).
    comment.status = CommentStatus.HIDDEN
    comment.moderation_reason = ModerationReason.OFF_TOPIC
    public_revision = _one(
        data,
        select(RecommendationRevision).where(
            RecommendationRevision.recommendation_id == rec.id,
            RecommendationRevision.public_label.is_not(None),
        ),
    )
    response = _one(
        data,
        select(ConsultationResponse).where(ConsultationResponse.attachment_path.is_not(None)),
    )
    answered = _one(
        data,
        select(CouncilAnswer)
        .join(Recommendation, CouncilAnswer.recommendation_id == Recommendation.id)
        .where(Recommendation.assembly_id == office.id, Recommendation.number == 1),
    )
    milestone = Milestone(answer_id=answered.id, title="Matrix", due_on=NOW.date())
    item = ImplementationItem(answer_id=answered.id, title="Matrix")
    data.add_all([milestone, item])
    data.commit()
    links = LinkSettings(secret=str(app.config["SECRET_KEY"]), base_url="", hours=72)
    secret = str(app.config["SECRET_KEY"])
    base = {
        "slug": OFFICE,
        "number": 1,
        "meeting_id": _one(data, select(Meeting.id).where(Meeting.assembly_id == office.id)),
        "material_id": _one(data, select(Material.id).where(Material.assembly_id == office.id)),
        "run_id": run.id,
        "name": "respondents.csv",
        "code": "en",
        "filename": "css/portal.css",
    }
    return {
        "": base,
        "members.": {
            "slug": WORKSPACE,
            "thread_id": thread.id,
            "post_id": post.id,
            "statement_id": statement.id,
        },
        "members.show_diff": {"?": f"from={revisions[0]}&to={revisions[-1]}"},
        "participate.": {"slug": RECRUITING, "token": seat.token},
        "participate.show_receipt": {"token": receipt.token},
        "participate.withdraw_registration": {"token": receipt.token},
        "participate.change_seat_consent": {"token": seated.token},
        "account.": {"member_id": member.id, "token": make_token(secret, resident, NOW)},
        "secretariat.": {"slug": RECRUITING, "batch_id": batch.id},
        "secretariat.enter_seed": {"slug": OFFICE},
        "secretariat_people.": {
            "slug": WORKSPACE,
            "member_id": member.id,
            "facilitator_id": facilitator.id,
            "organisation_id": organisation.id,
            "person_id": org_person.id,
        },
        "secretariat_people.remove_facilitator": {"slug": _slug(data, facilitator.assembly_id)},
        "admin.": {"user_id": resident.id, "body_id": body.id},
        "residents.": {
            "token": verification_link(links, resident, NOW).rsplit("/", 1)[1],
        },
        "ledger.": {"slug": WORKSPACE, "proposal_id": proposal.id},
        "tracker.": {"slug": WORKSPACE},
        "consultation.": {
            "slug": WORKSPACE,
            "revision_id": public_revision.id,
            "comment_id": comment.id,
            "kind": "comments",
            "action": "hide",  # an empty form: the reason is missing, nothing changes
            "item_id": comment.id,
            "response_id": response.id,
            "organisation_id": response.organisation_id,
        },
        "council.": {"milestone_id": milestone.id, "item_id": item.id},
        "ledger.show_input": {"slug": OFFICE},
        "ledger.show_report": {"slug": OFFICE},
        "ledger.download_report": {"slug": OFFICE},
    }


def _slug(session: Session, assembly_id: int) -> str:
    assembly = session.get(Assembly, assembly_id)
    assert assembly is not None
    return assembly.slug


def _value(values: dict[str, dict[str, Any]], endpoint: str, name: str) -> Any:
    """The most specific value: the endpoint's own, its blueprint's, then the common one."""
    for key in (endpoint, endpoint.split(".")[0] + ".", ""):
        if name in values.get(key, {}):
            return values[key][name]
    raise AssertionError(f"no value for <{name}> in {endpoint}: add one to the values fixture")


def calls(app: Flask, values: dict[str, dict[str, Any]]) -> list[Call]:
    """Every rule × method with real values; reads first, session-ending actions last."""
    found = []
    for rule in app.url_map.iter_rules():
        args = {name: _value(values, rule.endpoint, name) for name in rule.arguments}
        path = _build(rule, args)
        query = values.get(rule.endpoint, {}).get("?")
        path += f"?{query}" if query else ""
        for method in sorted((rule.methods or set()) & set(METHODS)):
            found.append(Call(rule.endpoint, method, path))
    order = {"GET": 0}
    return sorted(
        found,
        key=lambda c: (order.get(c.method, 1), c.endpoint in ENDS_SESSION, c.endpoint, c.path),
    )


def _build(rule: Rule, args: dict[str, Any]) -> str:
    path = rule.rule
    for match in re.finditer(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule):
        path = path.replace(match.group(0), str(args[match.group(1)]))
    return path


def _login(client: FlaskClient, role: str) -> None:
    if role == "anonymous":
        return
    email = OUTSIDER if role == "outsider" else DEMO_EMAILS[role]
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (role, response.status_code)


def outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status in (301, 302, 303, 307):
        # The login page with `next`: sent there to log in (not a logout's or a login's own redirect).
        target = urlsplit(response.headers["Location"])
        if target.path == "/login" and "next=" in target.query:
            return L
    if status in (403, 404):
        return R
    return A


def test_every_route_has_an_entry(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - ACCESS.keys())
    lines = "\n".join(
        f'    "{e}": EVERYONE,  # or SIGNED_IN, MEMBERS, SECRETARIAT, …' for e in missing
    )
    assert not missing, (
        f"These routes are not in the access matrix. Add them to ACCESS in {__file__} "
        f"with who may use them (see CLASSES there), and give any new URL part a real value "
        f"in the `values` fixture:\n{lines}"
    )
    stale = sorted(ACCESS.keys() - endpoints)
    assert not stale, f"ACCESS names routes that no longer exist; remove them: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, values: dict[str, dict[str, Any]], role: str) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    _login(client, role)
    wrong = []
    for call in calls(app, values):
        if call.endpoint not in ACCESS:
            continue  # test_every_route_has_an_entry says what to add
        response = client.open(call.path, method=call.method, data={})
        got, expected = outcome(response), CLASSES[ACCESS[call.endpoint]][role]
        if got != expected:
            wrong.append(f"{call.method} {call.path} ({call.endpoint}): {got} ≠ {expected}")
        if call.endpoint in ENDS_SESSION:
            client = app.test_client()
            _login(client, role)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- personal links -----------------------------------------------------------------------


def _altered(token: str, other: str) -> list[str]:
    """The ways someone might try a link that is not theirs."""
    # A character inside the signature (the last base64 character carries padding bits, so
    # changing it may not change the bytes at all).
    flipped = token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]
    return [
        flipped,
        token[:-1],
        token + "A",
        token.upper() if token.upper() != token else token.lower(),
        other[: len(other) // 2] + token[len(token) // 2 :],
        "0" * len(token),
    ]


def test_personal_links_are_long_random_and_distinct(data: Session) -> None:
    tokens = data.scalars(select(Registrant.token)).all()
    assert len(tokens) > 100 and len(set(tokens)) == len(tokens)
    assert min(len(t) for t in tokens) >= 43  # 256 bits from secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/seat/{}", "GET"),
        ("/seat/{}/confirm", "POST"),
        ("/seat/{}/decline", "POST"),
        ("/seat/{}/consent", "POST"),
        ("/assemblies/baeredygtigt-forbrug/register/{}", "GET"),
        ("/assemblies/baeredygtigt-forbrug/register/{}/withdraw", "POST"),
    ],
)
def test_an_altered_seat_or_receipt_link_is_not_found(
    app: Flask, data: Session, path: str, method: str
) -> None:
    recruiting = _assembly(data, RECRUITING)
    mine, other = data.scalars(
        select(Registrant).where(Registrant.assembly_id == recruiting.id).limit(2)
    ).all()
    mine.status = RegistrantStatus.DRAWN
    data.commit()
    names = {p.first_name + " " + p.last_name for p in data.scalars(select(Registrant)).all()}
    client = app.test_client()
    for token in _altered(mine.token, other.token):
        response = client.open(path.format(token), method=method, data={"confirm": "yes"})
        html = response.get_data(as_text=True)
        assert response.status_code == 404, (token, response.status_code)
        assert not any(name in html for name in names), token
    data.refresh(mine)
    assert mine.status == RegistrantStatus.DRAWN  # nothing was confirmed or withdrawn
    # The real link still works (so the 404s above were about the token).
    assert client.get(f"/seat/{mine.token}").status_code == 200


def test_an_altered_set_password_link_opens_no_account(app: Flask, data: Session) -> None:
    resident = _user(data, DEMO_EMAILS["resident"])
    council = _user(data, DEMO_EMAILS["council"])
    secret = str(app.config["SECRET_KEY"])
    token = make_token(secret, resident, NOW)
    other = make_token(secret, council, NOW)
    client = app.test_client()
    assert resident.email in client.get(f"/account/set-password/{token}").get_data(as_text=True)
    before = resident.password_hash
    for altered in _altered(token, other):
        page = client.get(f"/account/set-password/{altered}")
        html = page.get_data(as_text=True)
        assert page.status_code in (404, 422), (altered, page.status_code)
        assert resident.email not in html and council.email not in html
        sent = client.post(
            f"/account/set-password/{altered}",
            data={"password": "ny-adgangskode-1234", "password_again": "ny-adgangskode-1234"},
        )
        assert sent.status_code in (404, 422), (altered, sent.status_code)
    # A link signed with another secret (forged) is refused too.
    forged = make_token("another-secret-" + "y" * 32, resident, NOW)
    assert client.get(f"/account/set-password/{forged}").status_code in (404, 422)
    data.refresh(resident)
    assert resident.password_hash == before
