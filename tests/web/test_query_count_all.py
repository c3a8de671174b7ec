"""Every public page makes the same number of SQL queries on a small and on a larger data set.

The pages come from the URL map: every GET route of a blueprint that anonymous visitors use must
be listed in PAGES (with the URL to measure) or in NOT_MEASURED (with the reason), so a public page
added later cannot be forgotten; a blueprint that is in neither PUBLIC_BLUEPRINTS nor
STAFF_BLUEPRINTS fails the classification test. Both data sets come from bench/data.py; the page
cache is off (PORTAL_PAGE_CACHE=0 in conftest), or this would measure nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, event, text

from bench import data
from portal import create_app
from portal.db import make_engine
from tests.conftest import TEST_DB_ENV, app_committing_to

PUBLIC_BLUEPRINTS = {
    "public",
    "library",
    "participate",
    "account",
    "consultation",
    "residents",
    "ledger",
    "tracker",
}
STAFF_BLUEPRINTS = {
    "admin",
    "council",
    "dev",
    "members",
    "mypage",
    "office",
    "office_meetings",
    "secretariat",
    "secretariat_people",
}
SLUG = data.assembly_slug(1)  # running now: draft recommendations open for comment
HOT_SLUG, HOT_NUMBER = data.hot_recommendation()

# endpoint → the URL measured (the same rows exist at both sizes: ids are given by position).
PAGES: dict[str, str] = {
    "public.index": "/",
    "public.list_assemblies": "/assemblies",
    "public.show_assembly": f"/assemblies/{SLUG}",
    "public.show_recommendation": f"/assemblies/{HOT_SLUG}/recommendations/{HOT_NUMBER}",
    "public.show_selection": f"/assemblies/{SLUG}/selection",
    "public.show_privacy": "/privacy",
    "library.list_materials": f"/assemblies/{SLUG}/materials",
    "library.show_meeting": f"/assemblies/{SLUG}/meetings/1",
    "participate.show_registration": f"/assemblies/{SLUG}/register",
    "account.login": "/login",
    "residents.show_signup": "/signup",
    "residents.show_signup_sent": "/signup/sent",
    "residents.show_reset": "/account/reset",
    "residents.show_reset_sent": "/account/reset/sent",
    "residents.show_house_rules": "/house-rules",
    "ledger.show_input": f"/assemblies/{HOT_SLUG}/input",
    "ledger.show_report": f"/assemblies/{HOT_SLUG}/input/report",
    "tracker.list_recommendations": "/recommendations",
    "consultation.list_comments": f"/assemblies/{HOT_SLUG}/recommendations/{HOT_NUMBER}/comments",
    "consultation.new_comment": f"/assemblies/{HOT_SLUG}/recommendations/{HOT_NUMBER}/comment",
    # bench/data.py: the hot recommendation's first public version is revision 1.
    "consultation.show_version": (
        f"/assemblies/{HOT_SLUG}/recommendations/{HOT_NUMBER}/versions/1"
    ),
    "consultation.show_organisation": "/organisations/1",
}
NOT_MEASURED: dict[str, str] = {
    "public.download_selection_file": "a file of one draw run, not a page",
    "public.favicon": "a static file",
    "public.healthz": "one fixed query",
    "public.set_language": "a redirect that sets a cookie",
    "library.download_material": "a file, not a page",
    "participate.show_receipt": "one registrant's personal link (one row)",
    "participate.show_seat": "one drawn person's personal link (one row)",
    "account.show_account": "needs a login",
    "account.show_set_password": "one account's personal link (one row)",
    "residents.verify_email": "one account's personal link (one row)",
    "residents.show_delete": "needs a login",
    "residents.download_data_json": "needs a login",
    "residents.download_data_csv": "needs a login",
    "ledger.show_ledger": "needs a login (the assembly's workspace)",
    "ledger.show_my_input": "needs a login",
    "ledger.download_report": "a download of the report page's rows (one query per kind)",
    "tracker.download_recommendations": "a download of the tracker's rows",
    "consultation.download_attachment": "a file, not a page",
    "consultation.edit_comment": "needs a login (the comment's author)",
    "consultation.edit_response": "needs a login (the response's author)",
    "consultation.list_my_comments": "needs a login",
    "consultation.new_appeal": "needs a login (the author of hidden input)",
    "consultation.new_report": "needs a login",
    "consultation.new_response": "needs a login (an organisation's people)",
    "consultation.show_item": "needs a login (the secretariat)",
    "consultation.show_queue": "needs a login (the secretariat)",
}

SMALL = replace(
    data.Scale.of(0.003),
    recommendations_per_assembly=3,
    members_per_assembly=5,
    meetings_per_assembly=2,
    materials_per_assembly=2,
)
LARGE = replace(
    data.Scale.of(0.03),
    recommendations_per_assembly=10,
    members_per_assembly=20,
    meetings_per_assembly=6,
    materials_per_assembly=6,
)


def _routes() -> dict[str, str]:
    """GET endpoint → rule, of the whole portal (the URL map of an app on no database)."""
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40, "TESTING": True})
    return {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint != "static"
    }


ROUTES = _routes()
PUBLIC_ENDPOINTS = sorted(e for e in ROUTES if e.split(".")[0] in PUBLIC_BLUEPRINTS)


def test_every_route_belongs_to_a_known_blueprint() -> None:
    unknown = {
        f"{e} ({ROUTES[e]})"
        for e in ROUTES
        if e.split(".")[0] not in PUBLIC_BLUEPRINTS | STAFF_BLUEPRINTS
    }
    assert not unknown, (
        f"GET routes of a blueprint this test does not know: {sorted(unknown)}. Add the blueprint "
        "to PUBLIC_BLUEPRINTS (and its pages to PAGES) or to STAFF_BLUEPRINTS in "
        "tests/web/test_query_count_all.py."
    )


def test_the_tables_name_only_existing_routes() -> None:
    stale = (set(PAGES) | set(NOT_MEASURED)) - set(ROUTES)
    assert not stale, f"no such GET routes any more: {sorted(stale)}"


def _empty_database(name: str) -> tuple[Engine, Callable[[], None]]:
    url = os.environ.get(TEST_DB_ENV)
    if url and url.startswith("postgresql"):
        schema = f"samling_qc_{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})

        def drop() -> None:
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        return engine, drop
    import tempfile

    folder = tempfile.mkdtemp(prefix="samling-qc-")
    engine = make_engine(f"sqlite:///{folder}/{name}.db")

    def remove() -> None:
        import shutil

        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    return engine, remove


@pytest.fixture(scope="module")
def sized_apps() -> Iterator[dict[str, Flask]]:
    apps, drops = {}, []
    for name, scale in (("small", SMALL), ("large", LARGE)):
        engine, drop = _empty_database(name)
        drops.append(drop)
        data.build(engine, scale)
        apps[name] = app_committing_to(engine)
    yield apps
    for drop in drops:
        drop()


def _count(app: Flask, url: str) -> int:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = app.test_client().get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


@pytest.mark.parametrize("endpoint", PUBLIC_ENDPOINTS)
def test_public_page_queries_do_not_grow(endpoint: str, sized_apps: dict[str, Flask]) -> None:
    if endpoint in NOT_MEASURED:
        pytest.skip(NOT_MEASURED[endpoint])
    if endpoint not in PAGES:
        pytest.fail(
            f"{endpoint} ({ROUTES[endpoint]}) is a public GET route missing from PAGES in "
            "tests/web/test_query_count_all.py: add the URL to measure (or list it in "
            "NOT_MEASURED with the reason)."
        )
    url = PAGES[endpoint]
    small = _count(sized_apps["small"], url)
    large = _count(sized_apps["large"], url)
    assert small == large, f"{url}: {small} queries on the small data set, {large} on the larger"
