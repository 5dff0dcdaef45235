"""Whether the proxy is ready for traffic: not shutting down, its usage writer committing (judged from the
writer's own counts, nothing on the request path) and its database file writable (a filesystem check run in a
worker thread and cached briefly). Answers name what is not ready, never a path or any content.
Imports the standard library, `conduit.proxy.state` and the store's writer.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

from conduit.proxy.state import ProxyState
from conduit.store.writer import EventWriter

FILE_CHECK_TTL_S = 1.0
STALL_S = 30.0
OK = "ok"


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """The outcome of one readiness check: each part's state (`ok` or why not) and whether all are ok."""

    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        """True when every check is ok."""
        return all(state == OK for state in self.checks.values())


class Readiness:
    """Judges readiness from the writer's progress between checks and a cached check of the database file."""

    __slots__ = ("_written", "_failed", "_dropped", "_writer_state", "_progress_s", "_file_state", "_file_at_s")

    def __init__(self) -> None:
        self._written = self._failed = self._dropped = 0
        self._writer_state = OK
        self._progress_s = time.monotonic()
        self._file_state = OK
        self._file_at_s = -FILE_CHECK_TTL_S

    async def check(self, state: ProxyState) -> ReadinessReport:
        """Check the proxy's readiness now (the file check is at most FILE_CHECK_TTL_S old)."""
        now_s = time.monotonic()
        if now_s - self._file_at_s >= FILE_CHECK_TTL_S:
            self._file_state = await asyncio.to_thread(database_file_state, state.config.database)
            self._file_at_s = time.monotonic()
        return ReadinessReport({
            "config": OK,
            "shutdown": "shutting down" if state.shutting_down else OK,
            "writer": self._writer(state.writer, now_s),
            "database": self._file_state,
        })

    def _writer(self, writer: EventWriter, now_s: float) -> str:
        """`ok`, or why the writer is not keeping up: a batch failed or events were dropped since the last check
        (ok again once only successful commits follow), or it has events waiting and commits nothing."""
        written, failed, dropped = writer.written, writer.failed, writer.dropped
        if failed > self._failed:
            self._writer_state = f"the latest usage events could not be committed ({failed} lost so far)"
        elif dropped > self._dropped:
            self._writer_state = f"the usage queue is full and events are being dropped ({dropped} so far)"
        elif written > self._written:
            self._writer_state = OK
        if written + failed > self._written + self._failed or writer.queued == 0:
            self._progress_s = now_s
        elif now_s - self._progress_s > STALL_S:
            self._writer_state = f"no usage event was committed for {now_s - self._progress_s:.0f}s " \
                                 f"({writer.queued} waiting)"
        self._written, self._failed, self._dropped = written, failed, dropped
        return self._writer_state


def database_file_state(database: Path) -> str:
    """`ok` when the database file and its folder exist and are writable, else which one is not (blocking I/O)."""
    if not database.is_file():
        return "the database file is missing"
    if not os.access(database, os.W_OK):
        return "the database file is not writable"
    if not os.access(database.parent, os.W_OK):
        return "the database folder is not writable"
    return OK
