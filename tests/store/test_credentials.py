"""Stored credentials: sealed rows only, upserts keep the creation date, every write bumps the policy version,
and a wrong master key or an altered row fails at `open_all`."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from conduit.core.sealing import SealError, seal
from conduit.store import credentials, policy_version
from conduit.store.connection import connect
from conduit.store.migrations import migrate

KEY = os.urandom(32)
SECRET = "sk-ant-api03-store-canary-7f3e9a"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "conduit.db"
    migrate(path)
    return path


def version(db: Path) -> int:
    conn = connect(db)
    try:
        return policy_version.read(conn)
    finally:
        conn.close()


def test_put_then_open_all_round_trips(db: Path) -> None:
    credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    credentials.put(db, "oa", "openai", seal(KEY, "oa", "openai", "sk-openai-2"))
    assert credentials.open_all(db, KEY) == {"oa": "sk-openai-2", "work": SECRET}
    loaded = credentials.load_sealed(db)
    assert sorted(loaded) == ["oa", "work"]
    assert loaded["work"][0] == "anthropic"


def test_database_file_never_holds_the_secret(db: Path) -> None:
    credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    stored = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert SECRET.encode() not in stored
    assert credentials.open_all(db, KEY) == {"work": SECRET}


def test_every_write_bumps_the_policy_version(db: Path) -> None:
    assert version(db) == 0
    first = credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    assert first == version(db) == 1
    second = credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", "rotated"))
    assert second == version(db) == 2
    assert credentials.delete(db, "work") == version(db) == 3
    assert credentials.delete(db, "work") is None
    assert version(db) == 3


def test_replace_keeps_created_and_moves_updated(db: Path) -> None:
    credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    conn = sqlite3.connect(db)
    conn.execute("UPDATE credentials SET created_at_ms = 1000, updated_at_ms = 1000")
    conn.commit()
    conn.close()
    credentials.put(db, "work", "openai", seal(KEY, "work", "openai", "rotated"))
    [info] = credentials.list_all(db)
    assert (info.name, info.provider, info.created_at_ms) == ("work", "openai", 1000)
    assert info.updated_at_ms > 1000
    assert credentials.open_all(db, KEY) == {"work": "rotated"}


def test_list_all_shows_no_secret(db: Path) -> None:
    credentials.put(db, "b", "openai", seal(KEY, "b", "openai", SECRET))
    credentials.put(db, "a", "anthropic", seal(KEY, "a", "anthropic", SECRET))
    infos = credentials.list_all(db)
    assert [(i.name, i.provider) for i in infos] == [("a", "anthropic"), ("b", "openai")]
    assert SECRET not in repr(infos)


def test_wrong_master_key_fails_at_open_all(db: Path) -> None:
    credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    with pytest.raises(SealError, match="credential 'work' cannot be opened with this master key"):
        credentials.open_all(db, os.urandom(32))


def test_a_row_moved_to_another_name_fails_at_open_all(db: Path) -> None:
    credentials.put(db, "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
    conn = sqlite3.connect(db)
    conn.execute("UPDATE credentials SET name = 'stolen'")
    conn.commit()
    conn.close()
    with pytest.raises(SealError, match="credential 'stolen' cannot be opened") as caught:
        credentials.open_all(db, KEY)
    assert SECRET not in str(caught.value)


def test_no_credentials_opens_to_nothing(db: Path) -> None:
    assert credentials.open_all(db, KEY) == {}
    assert credentials.list_all(db) == []
