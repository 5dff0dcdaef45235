"""The dashboard's reader: one thread that owns a read-only connection and runs store queries on it, so the
SQLite page cache stays warm between refreshes and the event loop never blocks on the database.

Imports the standard library and `conduit.store` only (no textual).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from conduit.store.errors import StoreError
from conduit.store.queries import open_reader

T = TypeVar("T")


class StoreFetcher:
    """Runs queries one at a time on a private thread; the connection is (re)opened there on demand."""

    def __init__(self, database: Path) -> None:
        self._database = database
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="conduit-dashboard-reader")
        self._conn: sqlite3.Connection | None = None

    def submit(self, query: Callable[[sqlite3.Connection], T]) -> Future[T]:
        """Run `query` on the reader thread; the future raises StoreError when the database cannot be read."""
        return self._executor.submit(self._run, query)

    def close(self) -> None:
        """Close the connection and stop the thread once queued queries are done."""
        self._executor.submit(self._drop)
        self._executor.shutdown(wait=True)

    def _run(self, query: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            self._conn = open_reader(self._database)
        try:
            return query(self._conn)
        except sqlite3.Error as exc:
            self._drop()
            raise StoreError(f"could not read {self._database}: {exc}; is it a Conduit usage database?") from exc
        except StoreError:
            self._drop()
            raise

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
