"""A change counter for keys and credentials, so a running proxy picks up CLI changes without a restart.

The CLI bumps `policy_version` in the same transaction as its change; the proxy polls it, reloads, and
records `policy_applied`; the CLI then waits for that acknowledgement. Imports `conduit.store` siblings only.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from pathlib import Path

import aiosqlite

from conduit.store.connection import connect
from conduit.store.lock import lock_path

VERSION_KEY = "policy_version"
APPLIED_KEY = "policy_applied"


def bump(conn: sqlite3.Connection) -> int:
    """Increase the policy version inside the caller's open transaction and return the new value."""
    version = read(conn, VERSION_KEY) + 1
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (VERSION_KEY, str(version).encode()))
    return version


def read(conn: sqlite3.Connection, key: str = VERSION_KEY) -> int:
    """The counter stored under `key` (`policy_version` or `policy_applied`), 0 if never set."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(bytes(row[0]).decode()) if row else 0


async def read_async(conn: aiosqlite.Connection, key: str = VERSION_KEY) -> int:
    """`read` over the proxy's asynchronous connection."""
    async with conn.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cursor:
        row = await cursor.fetchone()
    return int(bytes(row[0]).decode()) if row else 0


def current_policy_version(db_path: Path) -> int:
    """The policy version stored in the database at `db_path`."""
    conn = connect(db_path)
    try:
        return read(conn)
    finally:
        conn.close()


def mark_applied(db_path: Path, version: int) -> None:
    """Record that the running proxy now enforces policy `version` (the CLI waits for this)."""
    conn = connect(db_path)
    try:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (APPLIED_KEY, str(version).encode()))
    finally:
        conn.close()


def running_proxy_pid(db_path: Path) -> int | None:
    """The pid of the `conduit proxy` holding the database's lock, or None when none is running."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def wait_applied(db_path: Path, version: int, timeout_s: float = 5.0) -> bool:
    """Wait until a running proxy reports it applied `version`; False if it has not within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    conn = connect(db_path)
    try:
        while read(conn, APPLIED_KEY) < version:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True
    finally:
        conn.close()
