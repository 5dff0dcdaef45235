"""Schema steps: from a blank file, from every older version, re-runs, and the errors a person can meet."""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from conduit.core.event import UsageEvent
from conduit.store.errors import SchemaTooNewError, StoreError
from conduit.store.migrations import MIGRATIONS, Migration, migrate

LATEST = MIGRATIONS[-1].version
SQL_TYPES = {"int": "INTEGER", "bool": "INTEGER", "float": "REAL", "str": "TEXT", "Status": "TEXT"}
SAMPLE_VALUES: dict[str, Any] = {"INTEGER": 7, "REAL": 1.5, "BLOB": b"\x00\xffsample"}


def _apply_by_hand(path: Path, upto: int) -> None:
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:upto]:
        conn.executescript(step.sql)
        if step.after is not None:
            step.after(conn)
        conn.execute(f"PRAGMA user_version = {step.version}")
    conn.commit()
    conn.close()


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in rows)


def _insert_samples(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """Insert one row into every table that exists, with a value of each column's declared type."""
    conn = sqlite3.connect(path)
    samples = {}
    for table in _tables(conn):
        values = {}
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        keys = [decl for *_, decl, _, _, pk in info if pk]
        rowid_alias = keys == ["INTEGER"]
        for _, name, decl, _, _, pk in info:
            if not (pk and rowid_alias):
                values[name] = SAMPLE_VALUES.get(decl, f"{table}.{name}")
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))
        found = conn.execute(f"SELECT rowid FROM {table} WHERE {' AND '.join(f'{n} IS ?' for n in values)}",
                             tuple(values.values())).fetchone() if not _without_rowid(conn, table) else (0,)
        samples[(table, int(found[0]))] = values
    conn.commit()
    conn.close()
    return samples


def _without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    return "WITHOUT ROWID" in sql.upper()


def _schema_dump(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    return rows


def test_steps_are_numbered_from_one_without_gaps_and_named() -> None:
    assert [step.version for step in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert all(step.name and step.sql.strip() for step in MIGRATIONS)
    assert len({step.name for step in MIGRATIONS}) == len(MIGRATIONS)


def test_blank_database_is_created_private_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state" / "nested" / "usage.db"
    assert migrate(path) == LATEST
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert _tables(conn) == [
        "credentials", "meta", "usage_context_daily", "usage_context_hourly", "usage_daily", "usage_events",
        "usage_governance_daily", "usage_governance_hourly", "usage_hourly", "usage_latency_daily",
        "usage_latency_hourly", "usage_sessions", "virtual_keys",
    ]
    conn.close()


def test_usage_events_has_one_column_per_event_field_in_order(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = sqlite3.connect(path)
    info = conn.execute("PRAGMA table_info(usage_events)").fetchall()
    conn.close()
    assert info[0][1:3] == ("id", "INTEGER") and info[0][5] == 1
    columns = [(name, decl, bool(notnull)) for _, name, decl, notnull, _, _ in info[1:]]
    expected = []
    for field in fields(UsageEvent):
        kind = str(field.type)
        base = kind.removesuffix(" | None")
        expected.append((field.name, SQL_TYPES[base], base == kind))
    assert columns == expected


def test_indexes_cover_time_key_model_session_and_status(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = sqlite3.connect(path)
    indexed = set()
    for _, name, *_ in conn.execute("PRAGMA index_list(usage_events)"):
        indexed.add(tuple(row[2] for row in conn.execute(f"PRAGMA index_info({name})")))
    meta = conn.execute("PRAGMA table_info(meta)").fetchall()
    conn.close()
    assert {
        ("started_at_ms",),
        ("key_id", "started_at_ms"),
        ("model", "started_at_ms"),
        ("session_id",),
        ("status", "started_at_ms"),
        ("team", "started_at_ms"),
    } <= indexed
    assert [(name, decl, notnull, pk) for _, name, decl, notnull, _, pk in meta] == [
        ("key", "TEXT", 0, 1),
        ("value", "BLOB", 1, 0),
    ]


@pytest.mark.parametrize("start", range(len(MIGRATIONS) + 1))
def test_upgrade_from_each_older_version_keeps_rows(tmp_path: Path, start: int) -> None:
    path = tmp_path / "usage.db"
    _apply_by_hand(path, start)
    samples = _insert_samples(path)
    assert migrate(path) == LATEST
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    for (table, rowid), values in samples.items():
        if _without_rowid(conn, table):
            match = " AND ".join(f"{name} IS ?" for name in values)
            row = conn.execute(f"SELECT * FROM {table} WHERE {match}", tuple(values.values())).fetchone()
        else:
            row = conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        assert row is not None, f"row of {table} lost upgrading from v{start}"
        current = dict(row)
        kept = {name: current[name] for name in values if name in current}
        assert kept == {name: values[name] for name in kept}
    conn.close()


def test_rerun_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    samples = _insert_samples(path)
    before = _schema_dump(path)
    assert migrate(path) == LATEST
    assert _schema_dump(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    conn.close()
    assert len(samples) == len(_tables(sqlite3.connect(path)))


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError) as caught:
        migrate(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"schema v{LATEST + 1}; this one knows up to v{LATEST}" in message
    assert "upgrade Conduit or point `database` at another file" in message
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1
    conn.close()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    content = b"this is a notes file, not a database\n" * 200
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        migrate(path)
    assert str(path) in str(caught.value)
    assert "is not a SQLite database" in str(caught.value)
    assert path.read_bytes() == content


def test_a_failing_step_is_rolled_back_and_named(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    broken = Migration(LATEST + 1, "broken_step", "CREATE TABLE extra (x INTEGER); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(StoreError) as caught:
        migrate(path, steps=(*MIGRATIONS, broken))
    assert "broken_step" in str(caught.value) and str(path) in str(caught.value)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert "extra" not in _tables(conn)
    conn.close()


def test_steps_may_hold_statements_with_inner_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    step = Migration(
        1,
        "trigger",
        """
        CREATE TABLE t (x TEXT);
        CREATE TABLE log (x TEXT);
        CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
            INSERT INTO log (x) VALUES (new.x || ';');
        END;
        """,
    )
    assert migrate(path, steps=(step,)) == 1
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO t VALUES ('a;b')")
    assert conn.execute("SELECT x FROM log").fetchall() == [("a;b;",)]
    conn.close()
