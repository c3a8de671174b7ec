"""The comment phase as people use it (issue 12): a resident comments on a paragraph with only
the keyboard, another by touch on a phone, the lokaludvalg files a response with a PDF, the
secretariat hides a comment with a reason the public then sees; axe finds nothing on these pages
at desktop and phone width; and hostile text (every XSS payload in ../shared) reads back as typed
with no script running."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.shared_dir import shared_dir

from .conftest import AXE_JS, GuardedContext, guard, require_node_modules

pytestmark = pytest.mark.browser

PASSWORD = "demo-adgangskode"  # noqa: S105 - the published demo accounts
SLUG = "groent-byliv-indre-oesterbro"
REC = f"/assemblies/{SLUG}/recommendations"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
XSS_DIR = shared_dir() / "testdata" / "xss"


def payloads() -> list[str]:
    files = sorted(XSS_DIR.glob("*.txt"))
    assert files, f"XSS payloads missing in {XSS_DIR}"
    lines = [
        line.strip()
        for f in files
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    return [line for line in lines if line]


def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def axe(page: Any) -> list[str]:
    page.evaluate(AXE_JS.read_text())  # evaluate: not an inline script, so the CSP allows it
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]
    return [f"{page.url}: {v['id']} {[n['html'][:120] for n in v['nodes']]}" for v in violations]


def focused(page: Any) -> dict[str, str]:
    """The focused element's tag, role and text as a screen reader would start to read it."""
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id || '',
                  text: (el.textContent || '').replace(/\\s+/g, ' ').trim()}; }"""
    )


@contextmanager
def domain(live_app: Any) -> Iterator[Any]:
    """A session on the live server's database, inside its app context (for domain commands)."""
    with live_app.app_context(), live_app.extensions["write_sessionmaker"]() as session:
        yield session


def make_resident(live_app: Any, email: str, name: str) -> None:
    from portal.models import User
    from portal.passwords import hash_password

    with domain(live_app) as session:
        if session.scalar(select(User).where(User.email == email)) is None:
            session.add(
                User(
                    email=email,
                    display_name=name,
                    password_hash=hash_password(PASSWORD, "fast"),
                    email_verified_at=datetime.now(UTC),
                )
            )
            session.commit()


def test_resident_comments_on_a_paragraph_with_only_the_keyboard(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    require_node_modules()
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    try:
        log_in(page, "resident@example.org")
        page.goto(f"{REC}/1")
        # Every paragraph's control is a link whose accessible name carries the paragraph number.
        for n in (1, 2, 3, 4):
            expect(
                page.get_by_role("link", name=f"Kommentér dette afsnit (afsnit {n})", exact=True)
            ).to_be_visible()
        # Tab from the top: the controls come in reading order, each followed by its count.
        order: list[str] = []
        for _step in range(120):
            page.keyboard.press("Tab")
            now = focused(page)
            if now["text"].startswith("Kommentér dette afsnit") or re.match(
                r"^\d+ kommentar(er)? til afsnit", now["text"]
            ):
                order.append(now["text"])
            if now["text"] == "Kommentér dette afsnit (afsnit 2)":
                break
        assert order[:3] == [
            "Kommentér dette afsnit (afsnit 1)",
            order[1],
            "Kommentér dette afsnit (afsnit 2)",
        ] and order[1].endswith("til afsnit 1"), order
        assert focused(page)["tag"] == "a"
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/comment\?paragraph=2#comment-form$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Kommentér afsnit 2 af anbefaling 1"
        )
        page.wait_for_load_state("load")  # the #comment-form target sets where Tab starts
        page.keyboard.press("Tab")
        box = page.get_by_role("textbox", name="Din kommentar til afsnit 2")
        expect(box).to_be_focused()
        page.keyboard.type("Husk de ældre i gaden, når lommeparken tegnes.")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Læs husreglerne")).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Send kommentar")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"{REC}/1#comment-\d+$"))
        comment = page.locator("article.comment", has_text="Husk de ældre i gaden")
        expect(comment).to_be_visible()
        expect(comment.get_by_role("link", name="om afsnit 2")).to_be_visible()
        assert not axe(page)
    finally:
        guarded.context.close()


def test_phone_resident_comments_by_touch(chromium: Any, live_server: str) -> None:
    require_node_modules()
    context = chromium.new_context(
        base_url=live_server, viewport=PHONE, has_touch=True, is_mobile=True, locale="da-DK"
    )
    guard(context)
    try:
        page = context.new_page()
        log_in(page, "member2@example.org")
        page.goto(f"{REC}/2")
        control = page.get_by_role("link", name="Kommentér dette afsnit (afsnit 3)", exact=True)
        box = control.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 24
        control.tap()
        box_text = page.get_by_role("textbox", name="Din kommentar til afsnit 3")
        box_text.tap()
        box_text.fill("Vælg træer, der tåler vores salte vintre.")
        page.get_by_role("button", name="Send kommentar").tap()
        expect(page.locator("article.comment", has_text="tåler vores salte vintre")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        assert not axe(page)
    finally:
        context.close()


def test_lokaludvalg_files_a_response_with_a_pdf(
    guarded_context: Callable[..., GuardedContext],
) -> None:
    from portal.demo.files import tiny_pdf

    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    try:
        log_in(page, "lokaludvalg@example.org")
        page.goto(f"{REC}/3")
        page.get_by_role("link", name="Afgiv høringssvar for jeres organisation").click()
        expect(page.get_by_label("Svaret gælder")).to_have_value("3")
        page.get_by_label("Titel").fill("Lokaludvalget om gårdene")
        page.get_by_text("Støtter med ændringer", exact=True).click()
        page.get_by_label("Høringssvaret").fill(
            "Vi støtter forslaget, men kræver et klart flertal."
        )
        page.get_by_label("Vedhæft en PDF (valgfrit)").set_input_files(
            {
                "name": "Gårde svar.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("Svar", ["x"]),
            }
        )
        assert not axe(page)
        page.get_by_role("button", name="Send høringssvaret").click()
        expect(page).to_have_url(re.compile(rf"{REC}/3#response-\d+$"))
        response = page.locator("article.committee-input", has_text="Lokaludvalget om gårdene")
        expect(response).to_contain_text("Støtter med ændringer")
        expect(response).to_contain_text("Verificeret organisation")
        link = response.get_by_role("link", name="Hent høringssvaret som PDF")
        download = page.request.get(link.get_attribute("href"))
        assert download.ok and download.body().startswith(b"%PDF-")
        disposition = download.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=") and "/" not in disposition
        assert "filename*=UTF-8''G%C3%A5rde-svar.pdf" in disposition
        assert download.headers["x-content-type-options"] == "nosniff"
    finally:
        guarded.context.close()


def test_secretariat_hides_a_comment_and_the_public_sees_the_reason(
    guarded_context: Callable[..., GuardedContext], live_app: Any
) -> None:
    from portal.consultation import comments
    from portal.models import Assembly, User

    make_resident(live_app, "grim@example.org", "Grim Gæst")
    with domain(live_app) as session:
        assembly = session.scalar(select(Assembly).where(Assembly.slug == SLUG))
        rec = next(r for r in assembly.recommendations if r.number == 1)
        author = session.scalar(select(User).where(User.email == "grim@example.org"))
        made = comments.create_comment(
            session, author, rec, "Alle der vil lukke gaden er idioter.", datetime.now(UTC)
        )
        comment_id = made.id
    staff = guarded_context(DESKTOP)
    public = guarded_context(PHONE, "en")
    try:
        page = staff.context.new_page()
        log_in(page, "secretariat@example.org")
        page.goto(f"{REC}/1#comment-{comment_id}")
        page.locator(f"#comment-{comment_id}").get_by_role("link", name="Moderér").click()
        page.get_by_role("button", name="Skjul med denne begrundelse").click()
        expect(page.get_by_text("Vælg en begrundelse.").first).to_be_visible()
        page.get_by_text("Personangreb eller chikane", exact=True).click()
        page.get_by_label("Uddybning til forfatteren (valgfri)").fill(
            "Skriv om sagen, ikke om folk."
        )
        assert not axe(page)
        page.get_by_role("button", name="Skjul med denne begrundelse").click()
        expect(page).to_have_url(re.compile(r"/secretariat/moderation$"))
        assert not axe(page)
        reader = public.context.new_page()
        reader.goto(f"{REC}/1?order=newest")
        hidden = reader.locator(f"#comment-{comment_id}")
        expect(hidden).to_contain_text("Hidden by a moderator: Personal attack or harassment")
        expect(hidden).not_to_contain_text("idioter")
        assert not axe(reader)
    finally:
        staff.context.close()
        public.context.close()


PAGES = [
    f"{REC}/1",
    f"{REC}/1/comment?paragraph=2",
    "/house-rules",
    "/organisations/1",
    "/mine/input",
    f"/assemblies/{SLUG}/responses/new",
]


@pytest.mark.parametrize(("width", "lang"), [("desktop", "da"), ("phone", "en"), ("phone", "da")])
def test_comment_pages_have_no_axe_violations(
    guarded_context: Callable[..., GuardedContext], width: str, lang: str
) -> None:
    require_node_modules()
    guarded = guarded_context(DESKTOP if width == "desktop" else PHONE, lang)
    page = guarded.context.new_page()
    try:
        found: list[str] = []
        page.goto(f"{REC}/1")
        found += axe(page)  # anonymous: the log-in prompt instead of the form
        log_in(page, "lokaludvalg@example.org")
        for path in PAGES:
            response = page.goto(path)
            assert response is not None and response.ok, path
            found += axe(page)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert not found, "\n".join(found)
    finally:
        guarded.context.close()


def _read_back(page: Any, selector: str) -> list[str]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].map(
             el => el.innerText.replace(/\\s+/g, ' ').trim())""",
        selector,
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_hostile_text_reads_back_as_typed_and_runs_nothing(
    guarded_context: Callable[..., GuardedContext], live_app: Any
) -> None:
    from portal.consultation import comments, moderation, responses
    from portal.models import Assembly, Comment, User

    hostile = payloads()
    make_resident(live_app, "hostile@example.org", "Hostile Tester")
    now = datetime.now(UTC)
    with domain(live_app) as session:
        assembly = session.scalar(select(Assembly).where(Assembly.slug == SLUG))
        rec = next(r for r in assembly.recommendations if r.number == 3)
        author = session.scalar(select(User).where(User.email == "hostile@example.org"))
        staff = session.scalar(select(User).where(User.email == "secretariat@example.org"))
        person = session.scalar(select(User).where(User.email == "lokaludvalg@example.org"))
        org = responses.organisations_for(session, person)[0]
        settings = responses.UploadSettings(live_app.config["UPLOAD_DIR"], 1_000_000)
        hidden_ids = []
        for text in hostile:
            root = comments.create_comment(session, author, rec, text, now)
            comments.create_comment(session, author, rec, text, now, parent_id=root.id)
            form = responses.ResponseForm(org.id, text[:200], "other", text)
            responses.file_response(session, person, assembly, rec, form, None, settings, now)
            extra = comments.create_comment(session, author, rec, "skjules", now)
            moderation.hide(session, staff, extra, "off_topic", text[:2000], now)
            hidden_ids.append(extra.id)
        mine = session.scalars(select(Comment.id).where(Comment.author_id == author.id)).all()
        assert len(mine) == 3 * len(hostile)
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    old_size = live_app.config["PAGE_SIZE"]
    live_app.config["PAGE_SIZE"] = 10_000
    try:
        log_in(page, "hostile@example.org")
        page.goto(f"{REC}/3?order=oldest")
        expected = sorted(_norm(t) for t in hostile)
        by_me = page.evaluate(
            """() => [...document.querySelectorAll('article.comment')]
                 .filter(a => a.querySelector('.comment-meta strong').innerText.includes('Hostile Tester'))
                 .map(a => (a.querySelector('.comment-text') || {innerText: ''}).innerText
                           .replace(/\\s+/g, ' ').trim())"""
        )
        roots_and_replies = sorted(t for t in by_me if t not in ("skjules", ""))
        assert roots_and_replies == sorted(expected * 2)
        titles = page.evaluate(
            """() => [...document.querySelectorAll('article.committee-input')].map(a => [
                 a.querySelector('h3').innerText.replace(/\\s+/g, ' ').trim(),
                 (a.querySelector('.comment-text') || {innerText: ''}).innerText
                   .replace(/\\s+/g, ' ').trim()])"""
        )
        texts = {t for _title, t in titles}
        assert set(expected) <= texts
        assert {_norm(t[:200]) for t in hostile} <= {title for title, _t in titles}
        page.goto("/mine/input")
        notes = _read_back(page, ".moderation-note")
        assert sorted(notes) == sorted(_norm(t[:2000]) for t in hostile)
        # A few through the real forms too.
        for text in hostile[:3]:
            page.goto(f"{REC}/3/comment?paragraph=1")
            page.get_by_role("textbox", name="Din kommentar til afsnit 1").fill(text)
            page.get_by_role("button", name="Send kommentar").click()
            expect(page).to_have_url(re.compile(r"#comment-\d+$"))
            anchor = page.url.rsplit("#", 1)[1]
            assert _norm(page.locator(f"#{anchor} .comment-text").inner_text()) == _norm(text)
        assert dialogs == []
        assert page.evaluate("typeof window.__xss === 'undefined'")
    finally:
        live_app.config["PAGE_SIZE"] = old_size
        guarded.context.close()
