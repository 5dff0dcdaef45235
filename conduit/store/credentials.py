"""Sealed provider credentials in the `credentials` table: written by the CLI, opened by the proxy at start-up.

Only sealed secrets are stored; every write bumps the policy version in the same transaction so a running proxy
reloads. The database must be migrated first. Imports `conduit.core.sealing` and `conduit.store` siblings only.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from conduit.core.sealing import Sealed, unseal
from conduit.store import policy_version
from conduit.store.connection import connect
from conduit.store.errors import sqlite_error

_T = TypeVar("_T")

_UPSERT = """
INSERT INTO credentials (name, provider, nonce, sealed, created_at_ms, updated_at_ms)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
    provider = excluded.provider,
    nonce = excluded.nonce,
    sealed = excluded.sealed,
    updated_at_ms = excluded.updated_at_ms
"""


@dataclass(frozen=True, slots=True)
class CredentialInfo:
    """What may be shown about a credential: its name, provider and dates, never its secret."""

    name: str
    provider: str
    created_at_ms: int
    updated_at_ms: int


def put(db: Path, name: str, provider: str, sealed: Sealed) -> int:
    """Store (or replace) the sealed credential `name` and return the new policy version."""
    now_ms = time.time_ns() // 1_000_000
    row = (name, provider, sealed.nonce, sealed.ciphertext, now_ms, now_ms)

    def write(conn: sqlite3.Connection) -> int:
        conn.execute(_UPSERT, row)
        return policy_version.bump(conn)

    return _write(db, f"storing the credential {name!r}", write)


def delete(db: Path, name: str) -> int | None:
    """Remove the credential `name` and return the new policy version, or None if there was no such credential."""

    def write(conn: sqlite3.Connection) -> int | None:
        if conn.execute("DELETE FROM credentials WHERE name = ?", (name,)).rowcount == 0:
            return None
        return policy_version.bump(conn)

    return _write(db, f"deleting the credential {name!r}", write)


def list_all(db: Path) -> list[CredentialInfo]:
    """Every credential's name, provider and dates, by name."""
    sql = "SELECT name, provider, created_at_ms, updated_at_ms FROM credentials ORDER BY name"
    rows = _read(db, sql, "listing credentials")
    return [CredentialInfo(str(row[0]), str(row[1]), int(row[2]), int(row[3])) for row in rows]


def load_sealed(db: Path) -> dict[str, tuple[str, Sealed]]:
    """Every credential as name → (provider, sealed secret), for the proxy to open."""
    rows = _read(db, "SELECT name, provider, nonce, sealed FROM credentials ORDER BY name", "reading credentials")
    return {str(name): (str(provider), Sealed(bytes(nonce), bytes(sealed))) for name, provider, nonce, sealed in rows}


def open_all(db: Path, master_key: bytes) -> dict[str, str]:
    """Every credential as name → plain secret; raises SealError for the first one that does not open."""
    return {name: unseal(master_key, name, provider, sealed) for name, (provider, sealed) in load_sealed(db).items()}


def _write(db: Path, doing: str, change: Callable[[sqlite3.Connection], _T]) -> _T:
    """Run `change` in one write transaction, rolled back if anything fails."""
    conn = connect(db)
    try:
        conn.execute("BEGIN IMMEDIATE")
        result = change(conn)
        conn.execute("COMMIT")
        return result
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise sqlite_error(db, exc, doing) from exc
    finally:
        conn.close()


def _read(db: Path, sql: str, doing: str) -> list[tuple[Any, ...]]:
    conn = connect(db)
    try:
        return [tuple(row) for row in conn.execute(sql)]
    except sqlite3.Error as exc:
        raise sqlite_error(db, exc, doing) from exc
    finally:
        conn.close()
