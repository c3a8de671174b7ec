"""E-mails to a person are written in their language: the one they signed up or last logged in
with, or chose on their account page (moderation, dispositions, followers of the council's answers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.council import notify
from portal.demo import DEMO_PASSWORD
from portal.models import Assembly, Comment, Member, OutboxEmail, User
from tests.consultation_helpers import REC_URL, user


@pytest.fixture
def data(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["sessionmaker"]()
    yield session
    session.close()


def login(app: Flask, email: str, language: str = "da") -> FlaskClient:
    client = app.test_client()
    client.set_cookie("samling-lang", language)
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def mails_to(data: Session, address: str) -> list[OutboxEmail]:
    data.expire_all()
    return list(
        data.scalars(select(OutboxEmail).where(OutboxEmail.to == address).order_by(OutboxEmail.id))
    )


def test_logging_in_in_english_makes_the_emails_english(app: Flask, data: Session) -> None:
    login(app, "resident@example.org", "en")
    data.expire_all()
    assert user(data, "resident@example.org").language == "en"
    login(app, "resident@example.org", "da")
    data.expire_all()
    assert user(data, "resident@example.org").language == "da"


def test_the_account_page_sets_the_language_of_emails(app: Flask, data: Session) -> None:
    client = login(app, "resident@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert 'id="language-da" name="language" value="da" checked' in page
    assert client.post("/account/language", data={"language": "en"}).status_code == 302
    data.expire_all()
    assert user(data, "resident@example.org").language == "en"
    refused = client.post("/account/language", data={"language": "xx"})
    assert refused.status_code == 422 and "Vælg dansk eller engelsk." in refused.get_data(
        as_text=True
    )
    data.expire_all()
    assert user(data, "resident@example.org").language == "en"


def test_moderation_tells_the_author_in_their_language_and_approval_is_told_too(
    app: Flask, data: Session
) -> None:
    author = login(app, "resident@example.org", "en")
    staff = login(app, "secretariat@example.org")
    author.post(f"{REC_URL}/2/comments", data={"text": "Off topic remark"})
    comment = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert comment is not None
    hide = f"/secretariat/moderation/comments/{comment.id}/hide"
    assert staff.post(hide, data={"reason": "off_topic", "note": ""}).status_code == 302
    [hidden] = mails_to(data, "resident@example.org")
    assert hidden.language == "en" and "hidden by a moderator" in hidden.subject

    # Pre-moderation: releasing a held comment tells its author, with a link to it.
    staff.post(
        f"/secretariat/assemblies/{REC_URL.split('/')[2]}/premoderation",
        data={"premoderation": "on"},
    )
    author.post(f"{REC_URL}/3/comments", data={"text": "Held for a moment"})
    held = data.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert held is not None and held.status == "pending"
    assert staff.post(f"/secretariat/moderation/comments/{held.id}/approve").status_code == 302
    approved = mails_to(data, "resident@example.org")[-1]
    assert approved.language == "en" and "public" in approved.subject
    assert f"{REC_URL}/3#comment-{held.id}" in approved.body


def test_followers_hear_of_answers_in_their_own_language(app: Flask, data: Session) -> None:
    assembly = data.scalar(select(Assembly).where(Assembly.slug == "skybrud-amager-oest"))
    assert assembly is not None
    members = data.scalars(select(Member).where(Member.assembly_id == assembly.id)).all()
    da_user, en_user = user(data, "resident@example.org"), user(data, "member2@example.org")
    for member, person in zip(members[:2], (da_user, en_user), strict=True):
        member.user_id, member.stay_informed = person.id, True
    en_user.language = "en"
    data.commit()
    recs = [r for r in assembly.recommendations if r.answer is not None][:1]
    with app.test_request_context():
        assert notify.answers_published(data, assembly, recs) >= 2
    data.commit()
    [danish] = mails_to(data, da_user.email)
    [english] = mails_to(data, en_user.email)
    assert danish.language == "da" and danish.subject.startswith("Politikerne har svaret")
    assert english.language == "en" and not english.subject.startswith("Politikerne")


def test_a_user_is_danish_unless_they_choose(data: Session) -> None:
    fresh = User(email="sprog@example.org", display_name="Sprog", password_hash="x")
    data.add(fresh)
    data.flush()
    assert fresh.language == "da"
