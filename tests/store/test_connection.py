"""Connection openers: pragmas on writers, private file creation, and read-only readers that cannot write."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from conduit.store.connection import (
    BUSY_TIMEOUT_MS,
    connect,
    connect_async,
    connect_readonly,
    connect_readonly_async,
)
from conduit.store.errors import StoreError
from conduit.store.migrations import migrate


def _pragmas(conn: sqlite3.Connection) -> tuple[str, int, int]:
    return (
        conn.execute("PRAGMA journal_mode").fetchone()[0],
        conn.execute("PRAGMA synchronous").fetchone()[0],
        conn.execute("PRAGMA busy_timeout").fetchone()[0],
    )


def test_connect_creates_a_private_file_with_writer_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "usage.db"
    conn = connect(path)
    try:
        assert _pragmas(conn) == ("wal", 1, BUSY_TIMEOUT_MS)
        assert conn.isolation_level is None
    finally:
        conn.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_connect_leaves_an_existing_files_mode_alone(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    path.chmod(0o640)
    connect(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


async def test_connect_async_uses_the_same_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    conn = await connect_async(path)
    try:
        values = []
        for pragma in ("journal_mode", "synchronous", "busy_timeout"):
            async with conn.execute(f"PRAGMA {pragma}") as cursor:
                row = await cursor.fetchone()
                assert row is not None
                values.append(row[0])
        assert tuple(values) == ("wal", 1, BUSY_TIMEOUT_MS)
    finally:
        await conn.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_readonly_reads_but_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    writer = connect(path)
    writer.execute("INSERT INTO meta (key, value) VALUES ('k', x'01')")
    writer.close()
    reader = connect_readonly(path)
    try:
        assert reader.execute("SELECT key FROM meta").fetchall() == [("k",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("DELETE FROM meta")
    finally:
        reader.close()


async def test_readonly_async_is_not_blocked_by_an_open_write(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    writer = connect(path)
    writer.execute("INSERT INTO meta (key, value) VALUES ('committed', x'01')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO meta (key, value) VALUES ('pending', x'02')")
    reader = await connect_readonly_async(path)
    try:
        async with reader.execute("SELECT key FROM meta") as cursor:
            assert [tuple(row) for row in await cursor.fetchall()] == [("committed",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await reader.execute("DELETE FROM meta")
    finally:
        await reader.close()
        writer.execute("ROLLBACK")
        writer.close()


async def test_readonly_on_a_missing_file_says_so_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no usage database at") as caught:
        connect_readonly(path)
    assert str(path) in str(caught.value)
    with pytest.raises(StoreError, match="no usage database at"):
        await connect_readonly_async(path)
    assert not path.exists()


def test_connect_on_a_folder_in_the_way_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as caught:
        connect(blocker / "usage.db")
    assert str(blocker / "usage.db") in str(caught.value)
