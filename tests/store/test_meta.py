"""Per-database secrets: created once, 32 random bytes, stable across calls, never shown in errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conduit.store.errors import StoreError
from conduit.store.meta import install_secret
from conduit.store.migrations import migrate


def test_secret_is_32_bytes_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    first = install_secret(path, "key_fingerprint")
    assert isinstance(first, bytes) and len(first) == 32
    assert install_secret(path, "key_fingerprint") == first
    assert install_secret(path, "other") != first
    conn = sqlite3.connect(path)
    stored = conn.execute("SELECT value FROM meta WHERE key = 'key_fingerprint'").fetchone()[0]
    conn.close()
    assert stored == first


def test_each_database_gets_its_own_secret(tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    migrate(one)
    migrate(two)
    assert install_secret(one, "key_fingerprint") != install_secret(two, "key_fingerprint")


def test_a_damaged_secret_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO meta (key, value) VALUES ('key_fingerprint', x'c0ffee')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="damaged") as caught:
        install_secret(path, "key_fingerprint")
    assert str(path) in str(caught.value)
    assert "c0ffee" not in str(caught.value).lower()
