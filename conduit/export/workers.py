"""Encoding an export's chunks, in this process or, when there is more than one chunk and more than one CPU, in a
pool of forked worker processes, each with its own read-only connection. Chunks come back in order, and at most
two per worker are under way, so memory stays bounded however slowly the output is consumed.

A worker puts its encoded bytes in a slot of memory shared with the parent (mapped before the fork) rather than
sending them through a pipe, which would copy every byte four more times.

Imports the standard library, `conduit.store` and `conduit.export` siblings only.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import signal
import sqlite3
from collections import deque
from collections.abc import Generator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from conduit.export.encode import EncodedChunk, encode_chunk
from conduit.export.formats import FORMATS
from conduit.store.connection import connect_readonly
from conduit.store.export_rows import Chunk, ExportFilter, export_chunks

CHUNK_ROWS = 10_000
MAX_JOBS = 4
SLOT_BYTES = 32 << 20  # far more than CHUNK_ROWS rows take; a bigger chunk comes back through the pipe
_worker_conn: sqlite3.Connection | None = None
_slots: mmap.mmap | None = None  # set in the parent just before the fork


def default_jobs() -> int:
    """One worker per CPU this process may run on, at most MAX_JOBS (beyond that, writing is the limit)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_JOBS, cpus))


def encoded_chunks(
    conn: sqlite3.Connection, db_path: Path, export_filter: ExportFilter, fmt_name: str, *, jobs: int,
    chunk_rows: int = CHUNK_ROWS,
) -> Generator[EncodedChunk, None, None]:
    """The export's chunks encoded in format `fmt_name`, in order, by up to `jobs` processes; `conn` reads the
    database at `db_path`. A worker that dies (killed, out of memory) raises BrokenProcessPool."""
    chunks = export_chunks(conn, export_filter, chunk_rows)
    first = next(chunks)
    second = next(chunks, None)
    if second is None or jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        fmt = FORMATS[fmt_name]
        for chunk in chain((first,), () if second is None else chain((second,), chunks)):
            yield encode_chunk(conn, export_filter, fmt, chunk)
        return
    global _slots
    in_flight = 2 * jobs
    slots = _slots = mmap.mmap(-1, in_flight * SLOT_BYTES)  # anonymous and shared: pages are only used once written
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
    finished = False
    try:
        pending: deque[tuple[int, Future[EncodedChunk | _InSlot]]] = deque()
        for index, chunk in enumerate(chain((first, second), chunks)):
            slot = index % in_flight  # free: the chunk that used it last has been consumed
            pending.append((slot, _submit(pool, db_path, export_filter, fmt_name, chunk, slot)))
            if len(pending) == in_flight:
                yield _collect(slots, *pending.popleft())
        while pending:
            yield _collect(slots, *pending.popleft())
        finished = True
    finally:
        # After an error or Ctrl-C, chunks not started are dropped and the workers stop after their current one.
        pool.shutdown(wait=finished, cancel_futures=True)
        _slots = None


def _submit(
    pool: ProcessPoolExecutor, db_path: Path, export_filter: ExportFilter, fmt_name: str, chunk: Chunk, slot: int
) -> Future[EncodedChunk | _InSlot]:
    """Hand a chunk to the pool. The first call forks the workers, and Ctrl-C during a fork would land in an
    at-fork hook, be printed and lost (or leave a lock held): it is held back until the call returns."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(_encode, db_path, export_filter, fmt_name, chunk, slot)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class _InSlot(NamedTuple):
    """An encoded chunk left in a shared slot: its length there and the rest of the EncodedChunk."""

    length: int
    rows: int
    first_ms: int | None
    last_ms: int | None


def _collect(slots: mmap.mmap, slot: int, result: Future[EncodedChunk | _InSlot]) -> EncodedChunk:
    done = result.result()
    if isinstance(done, EncodedChunk):
        return done
    start = slot * SLOT_BYTES
    return EncodedChunk([memoryview(slots)[start:start + done.length]], done.rows, done.first_ms, done.last_ms)


def _start_worker() -> None:
    """Ctrl-C is the parent's to handle: it stops the pool, so a worker neither reacts nor prints a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _encode(
    db_path: Path, export_filter: ExportFilter, fmt_name: str, chunk: Chunk, slot: int
) -> EncodedChunk | _InSlot:
    """In a worker: encode the chunk into the shared slot (or return it whole if it does not fit)."""
    global _worker_conn
    if _worker_conn is None:
        _worker_conn = connect_readonly(db_path)
    encoded = encode_chunk(_worker_conn, export_filter, FORMATS[fmt_name], chunk)
    length = sum(len(part) for part in encoded.parts)
    if _slots is None or length > SLOT_BYTES:
        return EncodedChunk([b"".join(encoded.parts)], encoded.rows, encoded.first_ms, encoded.last_ms)
    at = slot * SLOT_BYTES
    for part in encoded.parts:
        _slots[at:at + len(part)] = part
        at += len(part)
    return _InSlot(length, encoded.rows, encoded.first_ms, encoded.last_ms)
