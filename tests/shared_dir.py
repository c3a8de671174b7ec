"""Where the workplace's shared test and benchmark data lives (read from there, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """$SAMLING_SHARED_DIR, else ../shared beside the project root, else the machine's /work/shared."""
    candidates = [Path(p) for p in [os.environ.get("SAMLING_SHARED_DIR")] if p]
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]
