"""The store's exceptions: each message names the database file, says what is wrong and how to fix it.

    StoreError            the database cannot be opened, read or written
    ├── StoreLockedError  another `conduit proxy` owns the database
    └── SchemaTooNewError the database was written by a newer Conduit

Imports nothing but the standard library.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_NOT_A_DATABASE = 26
_CANT_OPEN = 14
_BUSY = 5
_LOCKED = 6
_READ_ONLY = 8
_CORRUPT = 11
_FULL = 13


class StoreError(Exception):
    """The usage database cannot be used; the message says which file, why, and what to do."""


class StoreLockedError(StoreError):
    """Another process holds the single-proxy lock of a database."""

    def __init__(self, db_path: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(
            f"another `conduit proxy` ({who}) is already using {db_path}; "
            "stop it or set a different `database` in conduit.toml"
        )
        self.db_path = db_path
        self.pid = pid


class SchemaTooNewError(StoreError):
    """The database's schema version is newer than this Conduit knows how to read."""

    def __init__(self, db_path: Path, found: int, known: int) -> None:
        super().__init__(
            f"{db_path} was written by a newer Conduit (schema v{found}; this one knows up to v{known}): "
            "upgrade Conduit or point `database` at another file"
        )
        self.db_path = db_path
        self.found = found
        self.known = known


def sqlite_error(db_path: Path, exc: sqlite3.Error, doing: str) -> StoreError:
    """Turn a sqlite3 error met while `doing` something into a StoreError a person can act on."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == _NOT_A_DATABASE:
        return StoreError(
            f"{db_path} is not a SQLite database (or it is encrypted); "
            "point `database` in conduit.toml at another file, or move this one away"
        )
    if code == _CANT_OPEN:
        return StoreError(
            f"cannot open the database {db_path}: check that its folder exists and is writable, "
            "or set a different `database` in conduit.toml"
        )
    if code in (_BUSY, _LOCKED):
        return StoreError(
            f"the database {db_path} is locked by another process while {doing}; "
            "try again, or stop the process that holds it"
        )
    if code == _READ_ONLY:
        return StoreError(f"the database {db_path} is read-only; fix its file permissions or set `database`")
    if code == _CORRUPT:
        return StoreError(
            f"the database {db_path} is corrupt; restore a backup or point `database` at another file"
        )
    if code == _FULL:
        return StoreError(f"the disk holding {db_path} is full; free some space and try again")
    return StoreError(f"the database {db_path} failed while {doing}: {exc}")
