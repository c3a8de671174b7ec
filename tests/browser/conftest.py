"""A live portal on 127.0.0.1 with the demo data, and Debian's Chromium driven by Playwright.

The browser tests need /usr/bin/chromium (apt) and node_modules/ (`npm ci`); `make test`
installs both. When they are missing the tests fail with that instruction instead of skipping,
so CI can never go green without having run them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# The CI machine is shared and busy: give assertions time before they call something missing.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# RECIPES.md: the flags Debian's Chromium needs here (no sandbox in containers, no network chatter).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Every public page (issue 2, section 3), with the status it must answer.
PUBLIC_PAGES: list[tuple[str, int]] = [
    ("/", 200),
    ("/assemblies", 200),
    ("/assemblies?phase=public_comment", 200),
    ("/assemblies?page=2", 200),  # may be an empty page, but still a page
    ("/assemblies/middelalderbyen-2019", 200),
    ("/assemblies/middelalderbyen-2019/recommendations/1", 200),
    ("/assemblies/groent-byliv-indre-oesterbro", 200),
    ("/assemblies/groent-byliv-indre-oesterbro/recommendations/1", 200),
    ("/assemblies/baeredygtigt-forbrug", 200),
    ("/assemblies/baeredygtigt-forbrug/register", 200),
    ("/assemblies/baeredygtigt-forbrug/selection", 200),
    ("/assemblies/middelalderbyen-2019/selection", 200),
    ("/assemblies/groent-byliv-indre-oesterbro/selection", 200),
    ("/assemblies/middelalderbyen-2019/meetings/1", 200),  # the first meeting seeded
    ("/assemblies/middelalderbyen-2019/materials", 200),
    ("/assemblies/middelalderbyen-2019/materials?kind=report", 200),
    ("/assemblies/middelalderbyen-2019/input", 200),
    ("/assemblies/middelalderbyen-2019/input/report", 200),
    ("/assemblies/skybrud-amager-oest", 200),
    ("/assemblies/skybrud-amager-oest/recommendations/1", 200),
    ("/assemblies/middelalderbyen-2019/recommendations/9", 200),
    ("/recommendations", 200),
    ("/recommendations?overdue=1", 200),
    ("/login", 200),
    ("/privacy", 200),
    ("/assemblies/does-not-exist", 404),
]
LANGUAGES = ("da", "en")


def require(path: Path, how: str) -> None:
    """Fail (never skip) when a test prerequisite is missing, saying how to install it."""
    if not path.exists():
        pytest.fail(f"{path} is missing: {how} (`make test` does this)", pytrace=False)


def require_node_modules() -> None:
    how = "run `npm ci --no-audit --no-fund` in the repository root"
    require(AXE_JS, how)
    require(VNU_JAR, how)


def switch_language_url(lang: str, next_path: str = "/") -> str:
    return f"/language/{lang}?next={next_path}"


# --- the live server ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The portal on a fresh SQLite file, schema built from the models, demo data loaded."""
    from portal import create_app
    from portal.demo import load_demo
    from portal.models import Base

    tmp = tmp_path_factory.mktemp("browser-db")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp}/browser.db",
            "QUEUE_URL": f"sqlite:///{tmp}/queue.db",
            "SECRET_KEY": "x" * 40,
            "PASSWORD_HASH": "fast",
            "TESTING": False,
            "SERVER_NAME": None,
            "UPLOAD_DIR": str(tmp / "uploads"),
        }
    )
    Base.metadata.create_all(app.extensions["engine"])
    with app.extensions["sessionmaker"]() as session:
        load_demo(session, now=None, upload_dir=str(tmp / "uploads"))
        session.commit()
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> Iterator[str]:
    """Serve the app on 127.0.0.1:<free port> in a daemon thread, with the job consumer running
    beside it as its own process (as `make run` does); yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_DATABASE_URL=live_app.config["DATABASE_URL"],
        PORTAL_QUEUE_URL=live_app.config["QUEUE_URL"],
        PORTAL_BASE_URL=base_url,
    )
    consumer = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "run-consumer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield base_url
    finally:
        consumer.send_signal(signal.SIGINT)
        consumer.wait(timeout=60)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser --------------------------------------------------------------------------


@dataclass
class Traffic:
    """What a context asked for that it should not have: other hosts, and local failures."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.blocked.clear()
        self.failed.clear()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


def guard(context: Any) -> Traffic:
    """Abort every request that is not to 127.0.0.1 and record it; record local 4xx/5xx."""
    traffic = Traffic()

    def route(route: Any) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    def on_response(response: Any) -> None:
        # The document's own status is asserted by the tests (a 404 page is expected to 404).
        if response.status >= 400 and response.request.resource_type != "document":
            traffic.failed.append(f"{response.status} {response.url}")

    context.route("**/*", route)
    context.on("response", on_response)
    return traffic


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """For pytest-playwright's own fixtures, should anyone use them: Debian's Chromium."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def chromium(playwright: Any) -> Iterator[Any]:
    """One Debian Chromium for the whole session (pytest-playwright's `playwright` driver)."""
    require(CHROMIUM, "install Debian's chromium package (`apt-get install -y chromium`)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class GuardedContext:
    context: Any
    traffic: Traffic


@pytest.fixture(scope="session")
def guarded_context(chromium: Any, live_server: str) -> Callable[..., GuardedContext]:
    """Factory for browser contexts on the live server with outside traffic blocked.

    A context is closed with the browser at the end of the session unless closed earlier.
    """

    def make(viewport: dict[str, int] = DESKTOP, lang: str = "da") -> GuardedContext:
        context = chromium.new_context(
            base_url=live_server, viewport=viewport, locale="da-DK", timezone_id="Europe/Copenhagen"
        )
        context.set_default_timeout(20_000)
        traffic = guard(context)
        if lang != "da":
            page = context.new_page()
            response = page.goto(switch_language_url(lang))
            assert response is not None and response.ok, f"switching language to {lang} failed"
            page.close()
            traffic.reset()
        return GuardedContext(context, traffic)

    return make


@pytest.fixture
def page(guarded_context: Callable[..., GuardedContext]) -> Iterator[Any]:
    """A fresh desktop page (own cookies) on the live server; requests off 127.0.0.1 abort.

    `page.traffic` lists what was blocked or failed, for tests that want to assert on it.
    """
    guarded = guarded_context(DESKTOP)
    page = guarded.context.new_page()
    page.traffic = guarded.traffic
    yield page
    guarded.context.close()
