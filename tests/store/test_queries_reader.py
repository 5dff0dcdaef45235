"""open_reader: read-only, one clear message for a missing file, a newer schema or a file with no usage, and a
database from before the rollups read correctly from its events."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conduit.store.errors import SchemaTooNewError, StoreError
from conduit.store.migrations import MIGRATIONS, migrate
from conduit.store.queries import Window, open_reader, spend_by


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_reader(tmp_path / "nothing.db")
    assert str(caught.value) == (f"there is no usage database at {tmp_path / 'nothing.db'} yet; start the proxy with "
                                 "`conduit proxy`, or try `conduit demo`")
    assert not (tmp_path / "nothing.db").exists()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {MIGRATIONS[-1].version + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="written by a newer Conduit"):
        open_reader(path)


def test_a_database_without_usage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE notes (x TEXT)").connection.close()
    with pytest.raises(StoreError, match="holds no Conduit usage yet"):
        open_reader(path)


def test_reader_cannot_write(seeded_db: Path) -> None:
    conn = open_reader(seeded_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM usage_events")
    conn.close()


def test_rollup_and_raw_reads_agree(seeded_db: Path, raw_db: Path) -> None:
    fast, slow = open_reader(seeded_db), open_reader(raw_db)
    for by in ("engineer", "model", "day"):
        a, b = spend_by(fast, Window(), by), spend_by(slow, Window(), by)
        assert [(r.label, r.requests, r.errors) for r in a] == [(r.label, r.requests, r.errors) for r in b]
        assert [r.cost_usd for r in a] == pytest.approx([r.cost_usd for r in b], abs=1e-9)
    fast.close()
    slow.close()
