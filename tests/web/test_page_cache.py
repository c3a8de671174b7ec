"""Kept public pages: served without queries to anonymous visitors, dropped when their data changes,
never kept for a logged-in visitor or a page with a per-session token (portal/pagecache.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, select, update

from portal.db import write_session
from portal.models import Assembly, LoginAttempt
from tests.conftest import DEMO_EMAILS, app_committing_to, new_database

SLUG = "groent-byliv-indre-oesterbro"
PAGE = f"/assemblies/{SLUG}"
TITLE = "Borgersamling om grønt byliv på Indre Østerbro"


@pytest.fixture(scope="module")
def engine_for_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    eng, drop = new_database(tmp_path_factory)
    yield eng
    drop()


@pytest.fixture
def cached_app(engine_for_cache, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    return app_committing_to(
        engine_for_cache, PAGE_CACHE=True, PAGE_CACHE_VERSION_FILE=str(tmp_path / "v.version")
    )


def _queries(app: Flask, client, url: str, **kwargs):  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url, **kwargs)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response, len(statements)


def _set_title(app: Flask, title: str) -> None:
    with write_session(app) as session:
        assembly = session.scalar(select(Assembly).where(Assembly.slug == SLUG))
        assert assembly is not None
        assembly.title = title
        session.commit()


def test_a_kept_page_is_served_without_queries_and_answers_its_etag(cached_app: Flask) -> None:
    client = cached_app.test_client()
    first, queries = _queries(cached_app, client, PAGE)
    assert first.status_code == 200 and queries > 3
    assert "Set-Cookie" not in first.headers
    again, queries = _queries(cached_app, client, PAGE)
    assert again.status_code == 200 and queries == 0
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert "Cookie" in again.headers["Vary"]
    unchanged = client.get(PAGE, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and not unchanged.data


def test_a_change_to_the_data_changes_the_page(cached_app: Flask) -> None:
    client = cached_app.test_client()
    original = client.get(PAGE).get_data(as_text=True)
    try:
        _set_title(cached_app, "Grønt byliv, nu med ny titel")
        changed = client.get(PAGE).get_data(as_text=True)
        assert "nu med ny titel" in changed and changed != original
        # A statement that bypasses the unit of work (a bulk UPDATE) counts as a write too.
        with write_session(cached_app) as session:
            session.execute(
                update(Assembly).where(Assembly.slug == SLUG).values(title="Grønt byliv, masse")
            )
            session.commit()
        assert "Grønt byliv, masse" in client.get(PAGE).get_data(as_text=True)
    finally:
        _set_title(cached_app, TITLE)


def test_another_process_writing_is_seen_through_the_version_file(
    cached_app: Flask, engine_for_cache, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A second app (another gunicorn worker, the job consumer) shares the version file."""
    other = app_committing_to(
        engine_for_cache, PAGE_CACHE=True, PAGE_CACHE_VERSION_FILE=str(tmp_path / "v.version")
    )
    client = cached_app.test_client()
    client.get(PAGE)
    try:
        _set_title(other, "Skrevet af en anden proces")
        assert "Skrevet af en anden proces" in client.get(PAGE).get_data(as_text=True)
    finally:
        _set_title(other, TITLE)


def test_private_writes_leave_the_kept_pages(cached_app: Flask) -> None:
    client = cached_app.test_client()
    client.get(PAGE)
    with write_session(cached_app) as session:
        session.add(LoginAttempt(address="127.0.0.9", email="nogen@example.org"))
        session.commit()
    _, queries = _queries(cached_app, client, PAGE)
    assert queries == 0


def test_language_and_htmx_are_part_of_the_key(cached_app: Flask) -> None:
    client = cached_app.test_client()
    danish = client.get("/assemblies").get_data(as_text=True)
    client.set_cookie("samling-lang", "en")
    english = client.get("/assemblies").get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="da"' in danish.split(">")[1]
    partial = client.get("/assemblies", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "<html" in english


def test_logged_in_visitors_never_get_kept_pages(cached_app: Flask) -> None:
    client = cached_app.test_client()
    anonymous = client.get(PAGE)
    assert "X-CSRFToken" not in anonymous.get_data(as_text=True)
    response = client.post(
        "/login", data={"email": DEMO_EMAILS["resident"], "password": "demo-adgangskode"}
    )
    assert response.status_code == 302
    page, queries = _queries(cached_app, client, PAGE)
    html = page.get_data(as_text=True)
    assert queries > 0 and "ETag" not in page.headers
    assert "Log ud" in html and "X-CSRFToken" in html
    client.post("/logout")


def test_pages_with_a_form_token_are_never_kept(cached_app: Flask) -> None:
    """The guard holds even for a page marked cacheable: a CSRF token in it means not kept."""
    from flask import render_template_string

    from portal.pagecache import cached_page

    @cached_page
    def with_form() -> str:
        return render_template_string('<form><input name="csrf_token" value="{{ csrf_token() }}">')

    cached_app.add_url_rule("/test-form", "test_form", with_form)
    client = cached_app.test_client()
    first = client.get("/test-form")
    assert "Set-Cookie" in first.headers and "ETag" not in first.headers
    other = cached_app.test_client().get("/test-form")
    assert "ETag" not in other.headers
    assert other.get_data(as_text=True) != first.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/recommendations",
        "/recommendations?overdue=1",
        "/assemblies/middelalderbyen-2019/input",
        "/assemblies/middelalderbyen-2019/input/report",
        "/organisations/1",
    ],
)
def test_the_tracker_input_and_organisation_pages_are_kept(cached_app: Flask, url: str) -> None:
    client = cached_app.test_client()
    first, queries = _queries(cached_app, client, url)
    assert first.status_code == 200 and queries > 0
    again, queries = _queries(cached_app, client, url)
    assert again.status_code == 200 and queries == 0 and again.data == first.data
