"""Every public page's full HTML has zero errors in the Nu HTML Checker (vnu.jar).

Not a browser test: it renders with Flask's test client and runs vnu once over all pages
(one JVM start, ~2 s). It needs Java and node_modules/ (`npm ci`), which `make test` installs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import LANGUAGES, PUBLIC_PAGES, VNU_JAR, require_node_modules, switch_language_url


def file_name(lang: str, path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "index"
    return f"{lang}__{slug}.html"


def render_pages(app: Any, out: Path) -> dict[str, str]:
    """Write every public page in every language to `out`; return {file name: 'lang path'}."""
    written: dict[str, str] = {}
    for lang in LANGUAGES:
        client = app.test_client()
        switched = client.get(switch_language_url(lang))
        assert switched.status_code in (301, 302, 303, 307), (
            f"GET {switch_language_url(lang)} answered {switched.status_code}, not a redirect"
        )
        for path, status in PUBLIC_PAGES:
            response = client.get(path)
            assert response.status_code == status, (
                f"GET {path} ({lang}) answered {response.status_code}, not {status}"
            )
            assert response.mimetype == "text/html", f"GET {path} is {response.mimetype}"
            name = file_name(lang, path)
            (out / name).write_bytes(response.get_data())
            written[name] = f"{lang} {path}"
    return written


def run_vnu(files: list[Path]) -> list[dict[str, Any]]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a JRE (`apt-get install -y default-jre-headless`)")
    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; exit status 1 means it found errors.
    report = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages: list[dict[str, Any]] = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {proc.returncode}):\n{report[:2000]}")
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not messages):
        pytest.fail(f"vnu failed (exit {proc.returncode}):\n{report[:2000]}")
    return messages


def test_public_pages_are_valid_html(live_app: Any, tmp_path: Path) -> None:
    require_node_modules()
    written = render_pages(live_app, tmp_path)
    messages = run_vnu(sorted(tmp_path / name for name in written))
    problems = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    lines = []
    for m in problems:
        name = Path(m.get("url", "")).name
        where = f"{written.get(name, name)} ({name}) line {m.get('lastLine', '?')}"
        where += f":{m.get('firstColumn', m.get('lastColumn', '?'))}"
        lines.append(f"- {where}: {m.get('message')}\n    {m.get('extract', '').strip()[:200]}")
    if problems:
        pytest.fail(f"{len(problems)} HTML error(s):\n" + "\n".join(lines))


STAFF_PAGES = [
    "/secretariat/assemblies/baeredygtigt-forbrug",
    "/secretariat/assemblies/baeredygtigt-forbrug/quotas",
    "/assemblies/middelalderbyen-2019/workspace/ledger",
    "/mine/input",
    "/secretariat/assemblies/baeredygtigt-forbrug/draw",
    "/secretariat/assemblies/middelalderbyen-2019/draw",
    "/account",
    "/secretariat/assemblies",
    "/secretariat/assemblies/new",
    "/secretariat/assemblies/middelalderbyen-2019/overview",
    "/secretariat/assemblies/middelalderbyen-2019/edit",
    "/secretariat/assemblies/middelalderbyen-2019/timeline",
    "/secretariat/assemblies/middelalderbyen-2019/meetings/new",
    "/secretariat/assemblies/middelalderbyen-2019/meetings/1/edit",
    "/secretariat/assemblies/middelalderbyen-2019/materials/new",
    "/secretariat/assemblies/middelalderbyen-2019/materials/1/edit",
]


def test_staff_and_personal_pages_are_valid_html(live_app: Any, tmp_path: Path) -> None:
    """The secretariat's pages, the account page and a seat link's page are documents too."""
    from sqlalchemy import select

    from portal.models import Registrant

    require_node_modules()
    client = live_app.test_client()
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    login = client.post(
        "/login",
        data={
            "email": "secretariat@example.org",
            "password": "demo-adgangskode",
            "csrf_token": csrf.group(1),
        },
    )
    assert login.status_code == 302
    with live_app.extensions["sessionmaker"]() as session:
        token = session.scalar(
            select(Registrant.token).where(Registrant.blanked_at.is_(None)).limit(1)
        )
    files = []
    for path in [*STAFF_PAGES, f"/seat/{token}", "/assemblies/baeredygtigt-forbrug/register"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S)
        assert title is not None and "<" not in title.group(1), (path, title)
        name = file_name("da", path)
        (tmp_path / name).write_bytes(response.get_data())
        files.append(tmp_path / name)
    problems = [m for m in run_vnu(files) if m.get("type") in ("error", "non-document-error")]
    assert problems == [], [
        (Path(m.get("url", "")).name, m.get("lastLine"), m.get("message")) for m in problems
    ]
