"""The one place that opens SQLite connections, with Conduit's pragmas: sync (sqlite3) for start-up steps,
async (aiosqlite) for the running proxy, and read-only variants for the dashboard and export.

Imports the standard library, aiosqlite and `conduit.store.errors` only.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import aiosqlite

from conduit.store.errors import StoreError, sqlite_error

BUSY_TIMEOUT_MS = 5_000
FILE_MODE = 0o600
FOLDER_MODE = 0o700

_WRITER_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
)
_READER_PRAGMAS = (f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",)

# aiosqlite logs every statement with its parameters at DEBUG; usage rows must never reach a log.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


def create_private_file(path: Path) -> None:
    """Create `path` (and its missing folders, 0700) as an empty 0600 file unless it already exists."""
    try:
        path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            return
    except OSError as exc:
        raise StoreError(
            f"cannot create {path} ({exc.filename}: {exc.strerror}); check the folder and its permissions, "
            "or set a different `database` in conduit.toml"
        ) from exc
    os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    """Open `path` for reading and writing (creating it 0600 if missing), in autocommit mode with WAL."""
    create_private_file(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "opening it") from exc
    _apply_pragmas(conn, path, _WRITER_PRAGMAS)
    return conn


async def connect_async(path: Path) -> aiosqlite.Connection:
    """Open `path` for reading and writing from the event loop, with the same pragmas as `connect`."""
    create_private_file(path)
    try:
        conn = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "opening it") from exc
    await _apply_pragmas_async(conn, path, _WRITER_PRAGMAS)
    return conn


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open an existing database read-only (`mode=ro`), so a reader can never change it."""
    _require_existing(path)
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "opening it read-only") from exc
    _apply_pragmas(conn, path, _READER_PRAGMAS)
    return conn


async def connect_readonly_async(path: Path) -> aiosqlite.Connection:
    """Open an existing database read-only from the event loop."""
    _require_existing(path)
    try:
        conn = await aiosqlite.connect(_readonly_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "opening it read-only") from exc
    await _apply_pragmas_async(conn, path, _READER_PRAGMAS)
    return conn


def _apply_pragmas(conn: sqlite3.Connection, path: Path, pragmas: tuple[str, ...]) -> None:
    try:
        for pragma in pragmas:
            conn.execute(pragma)
    except sqlite3.Error as exc:
        conn.close()
        raise sqlite_error(path, exc, "opening it") from exc


async def _apply_pragmas_async(conn: aiosqlite.Connection, path: Path, pragmas: tuple[str, ...]) -> None:
    try:
        for pragma in pragmas:
            await conn.execute(pragma)
    except sqlite3.Error as exc:
        await conn.close()
        raise sqlite_error(path, exc, "opening it") from exc


def _require_existing(path: Path) -> None:
    if not path.is_file():
        raise StoreError(
            f"there is no usage database at {path} yet; run `conduit proxy` once to create it, "
            "or check `database` in conduit.toml"
        )


def _readonly_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"
