"""SQLite's query planner gets table statistics (nightly, and when the consumer starts)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from portal.db import make_engine, refresh_statistics
from portal.models import Base


def test_sqlite_gets_statistics_and_other_databases_are_left_alone(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'stats.db'}")
    Base.metadata.create_all(engine)
    assert refresh_statistics(engine) is True
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).all()
    assert tables == [("sqlite_stat1",)]
    engine.dispose()
    other = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected
    assert refresh_statistics(other) is False
