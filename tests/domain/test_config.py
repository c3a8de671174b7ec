"""Configuration: environment overrides; production refuses the development secret."""

from __future__ import annotations

import pytest

from portal import config, create_app


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_PAGE_SIZE", "25")
    monkeypatch.setenv("PORTAL_ACCESSIBILITY_STATEMENT_URL", "https://www.was.digst.dk/x")
    loaded = config.load()
    assert loaded["PAGE_SIZE"] == 25
    assert loaded["ACCESSIBILITY_STATEMENT_URL"] == "https://www.was.digst.dk/x"


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(config.ConfigError, match="development secret"):
        create_app()
    monkeypatch.setenv("PORTAL_SECRET_KEY", "too-short")
    with pytest.raises(config.ConfigError, match="at least 32"):
        config.load()
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a" * 48)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://samling.example.dk")
    assert config.load()["ENV"] == "production"


def test_wsgi_refuses_to_start_in_production_with_dev_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    env.pop("PORTAL_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        env=env,
        capture_output=True,
        text=True,
        cwd=config.ROOT,
    )
    assert result.returncode != 0 and "development secret" in result.stderr
