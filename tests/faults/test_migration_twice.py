"""A migration applied twice changes nothing; down to the base and up again gives the same schema.

Runs on SQLite and, with PORTAL_TEST_DATABASE_URL, on PostgreSQL (in a schema of its own).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, text

from portal.config import ROOT
from portal.db import make_engine

pytestmark = [
    # SQLite's reflection cannot read expression indexes (user.lower(email)).
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path}/twice.db"
    schema = None
    if url.startswith("postgresql"):
        schema = f"samling_twice_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        eng = make_engine(url)
    yield eng
    eng.dispose()
    if schema:
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def migrate(engine: Engine, to: str, down: bool = False) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.connect() as connection:  # alembic begins and commits the transaction
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, to)


def schema_of(engine: Engine) -> dict[str, Any]:
    """Every table's columns, indexes, unique constraints and foreign keys, as plain data."""
    found = inspect(engine)
    tables: dict[str, Any] = {}
    for table in sorted(found.get_table_names()):
        tables[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"] or "", tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                for i in found.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in found.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"])
                for f in found.get_foreign_keys(table)
            ),
        }
    return tables


def rows_of(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        settings = connection.execute(text("SELECT * FROM site_settings")).all()
    return [version, settings]


def test_upgrading_to_head_twice_changes_nothing(engine: Engine) -> None:
    migrate(engine, "head")
    with engine.begin() as connection:  # data that a second run must leave alone
        connection.execute(
            text(
                "INSERT INTO site_settings (id, municipality, logo_url, contact_email,"
                " contact_phone, contact_url, data_controller, privacy_text, privacy_text_en,"
                " updated_at) VALUES (1, 'Testrup Kommune', '', 'kontakt@testrup.dk', '',"
                " '', 'Testrup Kommune', 'Tekst', 'Text', '2026-12-01 10:00:00+00:00')"
            )
        )
    before_schema, before_rows = schema_of(engine), rows_of(engine)
    assert len(before_rows[0]) == 1 and len(before_rows[1]) == 1  # one head, one row
    migrate(engine, "head")
    assert schema_of(engine) == before_schema
    assert rows_of(engine) == before_rows


def test_down_to_the_base_and_up_again_gives_the_same_schema(engine: Engine) -> None:
    migrate(engine, "head")
    first = schema_of(engine)
    migrate(engine, "base", down=True)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine, "head")
    assert schema_of(engine) == first


def contents_of(engine: Engine) -> dict[str, tuple[int, ...]]:
    """Per table: its number of rows and, per foreign key column, how many rows hold a value."""
    found = inspect(engine)
    counts: dict[str, tuple[int, ...]] = {}
    with engine.connect() as connection:
        for table in found.get_table_names():
            if table == "alembic_version":
                continue
            columns = sorted(
                c for fk in found.get_foreign_keys(table) for c in fk["constrained_columns"]
            )
            parts = ["COUNT(*)"] + [f'COUNT("{c}")' for c in columns]
            counts[table] = tuple(
                connection.execute(text(f'SELECT {", ".join(parts)} FROM "{table}"')).one()
            )
    return counts


def test_the_last_migration_down_and_up_keeps_every_row_and_reference(engine: Engine) -> None:
    """With data in it: SQLite's batch mode copies and drops tables, and a foreign key's
    ON DELETE must not fire then (it once emptied user_role and unlinked every member)."""
    from sqlalchemy.orm import Session

    from portal.demo import load_demo

    from ..conftest import NOW

    migrate(engine, "head")
    with Session(engine) as session:
        load_demo(session, now=NOW, hash_kind="fast")
        session.commit()
    before = contents_of(engine)
    assert before["user_role"][0] > 0 and before["member"][1] > 0
    migrate(engine, "-1", down=True)
    migrate(engine, "head")
    assert contents_of(engine) == before
