"""The database unreachable (a loopback proxy between portal and PostgreSQL, cut by the test; the
shared PostgreSQL server is never stopped): a 503 page in the portal's look with Retry-After,
/healthz 503, and recovery by itself when the proxy is back (pooled connections are pre-pinged).

Needs PostgreSQL (PORTAL_TEST_DATABASE_URL); SQLite has no connection to cut, and its file
faults are tested in tests/web/test_failures.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from portal import create_app
from portal.demo import load_demo
from portal.models import Base

from ..conftest import DEMO_UPLOADS, NOW, TEST_DB_ENV
from ..web.test_registration import URL as REGISTER
from ..web.test_registration import valid
from .tcp_proxy import TcpProxy, tcp_proxy

URL = os.environ.get(TEST_DB_ENV, "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="needs PostgreSQL (PORTAL_TEST_DATABASE_URL)"
)
PAGES = ["/", "/assemblies", "/assemblies/baeredygtigt-forbrug"]


@pytest.fixture(scope="module")
def behind_proxy() -> Iterator[tuple[Flask, TcpProxy]]:
    schema = f"samling_proxy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    direct = create_engine(URL, connect_args={"options": f"-csearch_path={schema}"})
    Base.metadata.create_all(direct)
    with Session(direct) as session:
        load_demo(session, now=NOW, hash_kind="fast", upload_dir=DEMO_UPLOADS)
        session.commit()
    direct.dispose()
    real = make_url(URL)
    try:
        with tcp_proxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
            proxied = real.set(host="127.0.0.1", port=proxy.port, query={"connect_timeout": "5"})
            url = proxied.render_as_string(hide_password=False)
            app = create_app(
                {
                    "DATABASE_URL": f"{url}&options=-csearch_path%3D{schema}",
                    "SECRET_KEY": "x" * 40,
                    "NOW": NOW,
                    "WTF_CSRF_ENABLED": False,
                    "UPLOAD_DIR": DEMO_UPLOADS,
                }
            )
            yield app, proxy
            app.extensions["engine"].dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_cut_then_restored_database(behind_proxy: tuple[Flask, TcpProxy]) -> None:
    app, proxy = behind_proxy
    client = app.test_client()
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get("/healthz").status_code == 200
    pooled = app.extensions["engine"].pool.checkedin()
    assert pooled >= 1  # connections wait in the pool: the cut kills them

    proxy.cut()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"].isdigit()
        html = response.get_data(as_text=True)
        assert "Portalen er midlertidigt utilgængelig" in html and 'href="/static/' in html
    posted = client.post(REGISTER, data=valid(email="under-nedbrud@example.dk"))
    assert posted.status_code == 503 and "Retry-After" in posted.headers
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "unavailable"}

    proxy.restore()  # the database is back: no restart, no manual step
    assert client.get("/healthz").status_code == 200
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert client.post(REGISTER, data=valid(email="efter-nedbrud@example.dk")).status_code == 302


def test_a_short_cut_nobody_saw_leaves_no_dead_connection_behind(
    behind_proxy: tuple[Flask, TcpProxy],
) -> None:
    """Pooled connections broken while idle are replaced before use: no visitor gets the 503."""
    app, proxy = behind_proxy
    client = app.test_client()
    assert [client.get(path).status_code for path in PAGES] == [200] * len(PAGES)
    assert app.extensions["engine"].pool.checkedin() >= 1
    proxy.cut()
    proxy.restore()
    assert [client.get(path).status_code for path in PAGES] == [200] * len(PAGES)
    assert client.get("/healthz").status_code == 200
