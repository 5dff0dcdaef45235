"""Opening the usage database for the dashboard and reports: read-only, with one clear message for a missing
file or a database from a newer Conduit. A database from before the rollups is read from its events alone.

Imports the standard library and `conduit.store` only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conduit.store.connection import connect_readonly
from conduit.store.errors import SchemaTooNewError, StoreError, sqlite_error


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the usage database at `path`; StoreError (or SchemaTooNewError) otherwise."""
    from conduit.store.migrations import MIGRATIONS

    if not path.is_file():
        raise StoreError(
            f"there is no usage database at {path} yet; start the proxy with `conduit proxy`, "
            "or try `conduit demo`"
        )
    conn = connect_readonly(path)
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        has_events = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_events'"
        ).fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise sqlite_error(path, exc, "reading its schema") from exc
    known = MIGRATIONS[-1].version
    if found > known:
        conn.close()
        raise SchemaTooNewError(path, found, known)
    if has_events is None:
        conn.close()
        raise StoreError(
            f"{path} holds no Conduit usage yet (schema v{found}); start the proxy with `conduit proxy` once"
        )
    return conn
