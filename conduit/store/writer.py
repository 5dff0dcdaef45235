"""The batched usage writer: the request path hands events to `submit()`, a background task inserts them.

Events wait on a bounded queue and are committed `batch_rows` at a time (or `flush_interval_s` after the first
one waits), one transaction per batch, which also folds the batch into the usage rollups. Each batch's whole
transaction runs in one call on the writer's own thread, so the write lock is never held while waiting for
the event loop. Logs carry counts only, never event contents.
Imports the standard library, `conduit.core` and `conduit.store` siblings only.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from conduit.core.event import UsageEvent
from conduit.store.connection import connect
from conduit.store.errors import StoreError
from conduit.store.queries.rollup import FOLD_STATEMENTS, register_functions

log = logging.getLogger(__name__)
_T = TypeVar("_T")

EVENT_COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(UsageEvent))
INSERT_EVENT_SQL = (
    f"INSERT INTO usage_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})"
)
_values = attrgetter(*EVENT_COLUMNS)
_STATUS_INDEX = EVENT_COLUMNS.index("status")
_BOOL_INDEXES = tuple(i for i, field in enumerate(fields(UsageEvent)) if field.type in (bool, "bool"))


def event_row(event: UsageEvent) -> tuple[Any, ...]:
    """The `usage_events` row for an event: its fields in order, the status as text and bools as 0/1. A NUL in
    a text value (a model name can hold one) is stored as U+FFFD, as C code reading the text would stop there."""
    row = list(_values(event))
    row[_STATUS_INDEX] = event.status.value
    for index in _BOOL_INDEXES:
        row[index] = int(row[index])
    for index, value in enumerate(row):
        if isinstance(value, str) and "\x00" in value:
            row[index] = value.replace("\x00", "\ufffd")
    return tuple(row)


class EventWriter:
    """Owns the proxy's write connection and commits submitted usage events in batches."""

    def __init__(
        self,
        path: Path,
        *,
        batch_rows: int = 500,
        flush_interval_s: float = 0.1,
        max_queue: int = 100_000,
    ) -> None:
        self._path = path
        self._batch_rows = max(1, batch_rows)
        self._flush_interval_s = flush_interval_s
        self._queue: asyncio.Queue[UsageEvent] = asyncio.Queue(maxsize=max_queue)
        self._hurry = asyncio.Event()
        self._progress = asyncio.Event()
        self._conn: sqlite3.Connection | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._dropping = False
        self._accepted = 0
        self._written = 0
        self._failed = 0
        self._dropped = 0
        self._flush_target = 0

    @property
    def queued(self) -> int:
        """Events accepted by `submit()` and not yet committed (or lost to a failed batch)."""
        return self._accepted - self._written - self._failed

    @property
    def written(self) -> int:
        """Events committed to the database."""
        return self._written

    @property
    def dropped(self) -> int:
        """Events refused by `submit()` because the queue was full or the writer was closed."""
        return self._dropped

    @property
    def failed(self) -> int:
        """Events lost because the batch that carried them could not be committed."""
        return self._failed

    async def start(self) -> None:
        """Open the write connection and start the background task that commits batches."""
        if self._task is not None:
            raise StoreError(f"the usage writer for {self._path} is already started")
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"conduit-writer-{self._path.name}")
        self._conn = await self._on_thread(_open, self._path)
        self._task = asyncio.create_task(self._run(), name=f"conduit-event-writer:{self._path.name}")

    def submit(self, event: UsageEvent) -> None:
        """Queue an event for writing without blocking; when the queue is full it is dropped and counted."""
        if self._closed:
            self._dropped += 1
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._drop()
            return
        self._accepted += 1
        self._dropping = False
        if self._queue.qsize() >= self._batch_rows - 1:
            self._hurry.set()

    async def flush(self) -> None:
        """Return once every event submitted before this call is committed (or counted as failed)."""
        target = self._accepted
        if self._written + self._failed >= target:
            return
        if self._task is None or self._task.done():
            raise StoreError(f"the usage writer for {self._path} is not running; call start() first")
        self._flush_target = max(self._flush_target, target)
        while self._written + self._failed < target:
            progress = self._progress
            self._hurry.set()
            await progress.wait()

    async def close(self) -> None:
        """Stop accepting events, commit what is queued, and close the connection."""
        if self._closed:
            return
        self._closed = True
        task, conn = self._task, self._conn
        if task is not None and not task.done():
            await self.flush()
            task.cancel()
            await asyncio.wait([task])
        if conn is not None:
            self._conn = None
            await self._on_thread(conn.close)
        if self._thread is not None:
            self._thread.shutdown(wait=False)

    async def _on_thread(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run `function(*args)` on the writer's thread (the only thread that touches its connection)."""
        assert self._thread is not None
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _drop(self) -> None:
        self._dropped += 1
        if not self._dropping:
            self._dropping = True
            log.warning(
                "usage queue is full (%d events waiting); dropping usage events until the writer catches up",
                self._queue.qsize(),
            )

    async def _run(self) -> None:
        """Collect batches from the queue and write them, forever (until cancelled by `close()`)."""
        while True:
            batch = [await self._queue.get()]
            await self._wait_for_batch(batch)
            while len(batch) < self._batch_rows and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._write(batch)

    async def _wait_for_batch(self, batch: list[UsageEvent]) -> None:
        """Wait until a full batch is waiting, a flush is asked for, or the flush interval has passed."""
        self._hurry.clear()
        if len(batch) + self._queue.qsize() >= self._batch_rows or self._flush_wanted():
            return
        try:
            await asyncio.wait_for(self._hurry.wait(), self._flush_interval_s)
        except TimeoutError:
            pass

    def _flush_wanted(self) -> bool:
        return self._flush_target > self._written + self._failed

    async def _write(self, batch: list[UsageEvent]) -> None:
        """Insert one batch in one transaction; a failure is logged with counts only and the batch is lost."""
        conn = self._conn
        assert conn is not None
        try:
            await self._on_thread(_commit, conn, batch)
        except Exception as exc:  # noqa: BLE001 - a bad batch must not stop the writer
            self._failed += len(batch)
            log.error(
                "could not write a batch of %d usage events to %s (%s); %d lost so far",
                len(batch),
                self._path,
                getattr(exc, "sqlite_errorname", type(exc).__name__),
                self._failed,
            )
        else:
            self._written += len(batch)
        finally:
            self._progress.set()
            self._progress = asyncio.Event()


def _open(path: Path) -> sqlite3.Connection:
    """The writer's connection (WAL, autocommit), with the functions the rollup statements use."""
    conn = connect(path)
    register_functions(conn)
    return conn


def _commit(conn: sqlite3.Connection, batch: list[UsageEvent]) -> None:
    """Insert the batch's rows and fold them into the rollups in one transaction, rolled back on any error."""
    rows = [event_row(event) for event in batch]
    try:
        conn.execute("BEGIN IMMEDIATE")
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM usage_events").fetchone()[0]
        conn.executemany(INSERT_EVENT_SQL, rows)
        for statement in FOLD_STATEMENTS:
            conn.execute(statement, (last,))
        conn.execute("COMMIT")
    except BaseException:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.error("could not roll back a failed usage batch")
        raise
