"""The `flask …` commands run as a newcomer runs them: real processes, no request context."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.config import ROOT

pytestmark = pytest.mark.slow


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bindir = Path(sys.executable).parent
    return subprocess.run(
        [str(bindir / args[0]), *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An empty SQLite database, migrated by Alembic as `make migrate` does."""
    path = tmp_path_factory.mktemp("cli") / "fresh.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_DATABASE_URL"] = f"sqlite:///{path}"
    env["PORTAL_PASSWORD_HASH"] = "fast"
    env["PORTAL_QUEUE_IMMEDIATE"] = "true"
    migrated = _run(["alembic", "upgrade", "head"], env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_seed_demo_on_an_empty_database_outside_any_request(cli_env: dict[str, str]) -> None:
    first = _run(["flask", "--app", "wsgi", "seed-demo"], cli_env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "middelalderbyen-2019: 36 members, 9 recommendations" in first.stdout
    # The demo is loaded idempotently: a second run changes nothing and still succeeds.
    again = _run(["flask", "--app", "wsgi", "seed-demo"], cli_env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def test_create_user_refuses_bad_input_with_a_message_not_a_traceback(
    cli_env: dict[str, str],
) -> None:
    base = ["flask", "--app", "wsgi", "create-user", "--name", "Ny Bruger", "--role", "council"]
    short = _run([*base, "--email", "ny@example.org", "--password", "kort"], cli_env)
    assert short.returncode == 1
    assert "Traceback" not in short.stderr
    assert "mindst 12 tegn" in short.stderr

    good = "en lang og god adgangsfrase 42"
    created = _run([*base, "--email", "ny@example.org", "--password", good], cli_env)
    assert created.returncode == 0, created.stderr
    twice = _run([*base, "--email", "ny@example.org", "--password", good], cli_env)
    assert twice.returncode == 1
    assert "Traceback" not in twice.stderr
    assert "findes allerede" in twice.stderr
