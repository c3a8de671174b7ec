"""Shared fixtures: the published instances are read from ../shared, never copied here."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.selection.io import load_instance
from portal.selection.model import Instance
from tests.shared_dir import shared_dir

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = shared_dir() / "benchmarks" / "sortition" / "data"


def shared_instance(name: str, k: int) -> Instance:
    """Load one published instance folder (`<name>` with panel size k)."""
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.fail(f"shared benchmark data missing at {folder}")
    return load_instance(folder / "categories.csv", folder / "respondents.csv", k)


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a small CSV fixture file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
