"""Per-database secrets kept in the `meta` table, such as the key that makes API-key fingerprints stable.

Secret values never appear in messages. Imports the standard library and `conduit.store` siblings only.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

from conduit.store.connection import connect
from conduit.store.errors import StoreError, sqlite_error

SECRET_BYTES = 32


def install_secret(path: Path, name: str) -> bytes:
    """Return the 32-byte secret stored under `name` in a migrated database, creating it on first use."""
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
        if row is None:
            value = secrets.token_bytes(SECRET_BYTES)
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (name, value))
        else:
            value = row[0]
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, f"reading the secret {name!r}") from exc
    finally:
        conn.close()
    if not isinstance(value, bytes) or len(value) != SECRET_BYTES:
        raise StoreError(
            f"the secret {name!r} in {path} is damaged (not {SECRET_BYTES} bytes); "
            "restore the database from a backup"
        )
    return value
