"""The rollups the writer keeps in the same transaction as the events equal the rollups rebuilt from the
events (what the migration's backfill does), whatever the batch size; a v5 database with events is backfilled."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from conduit.store.migrations import MIGRATIONS, migrate
from conduit.store.queries.rollup import TABLES, rebuild
from conduit.store.writer import INSERT_EVENT_SQL, event_row
from tests.store.conftest import write_through_writer, writer_events

ROLLUP_TABLES = [name for hourly, daily, _, _ in TABLES for name in (hourly, daily)] + ["usage_sessions"]


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    tables = {table: sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                            for row in conn.execute(f"SELECT * FROM {table}")) for table in ROLLUP_TABLES}
    conn.close()
    return tables


def rebuilt(path: Path, target: Path) -> dict[str, list[tuple[object, ...]]]:
    target.write_bytes(path.read_bytes())
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("BEGIN")
    rebuild(conn)
    conn.execute("COMMIT")
    conn.close()
    return dump(target)


@pytest.mark.parametrize("batch_rows", [1, 7, 500])
def test_writer_rollups_equal_a_rebuild(tmp_path: Path, batch_rows: int) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    asyncio.run(write_through_writer(path, writer_events(300), batch_rows=batch_rows))
    written = dump(path)
    assert all(written[table] for table in ROLLUP_TABLES)
    assert written == rebuilt(path, tmp_path / "copy.db")


def test_a_v5_database_with_events_is_backfilled(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    migrate(old, steps=MIGRATIONS[:5])
    conn = sqlite3.connect(old)
    conn.executemany(INSERT_EVENT_SQL, [event_row(event) for event in writer_events(300)])
    conn.commit()
    conn.close()
    assert migrate(old) == MIGRATIONS[-1].version
    fresh = tmp_path / "fresh.db"
    migrate(fresh)
    asyncio.run(write_through_writer(fresh, writer_events(300)))
    backfilled = dump(old)
    assert backfilled["usage_hourly"] and backfilled == dump(fresh)
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT SUM(requests) FROM usage_daily").fetchone()[0] == 300
    conn.close()
