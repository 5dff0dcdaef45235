"""Which events `conduit export` writes: a filter over usage events, and the consecutive time slices (chunks)
the export is read in, so memory stays constant and several processes can each render a chunk.

Imports the standard library, `conduit.core` and `conduit.store` only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from conduit.core.status import Status


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which events to export: a half-open time window [since_ms, until_ms), a key (its name, prefix or id),
    a team, a model glob (`*` and `?`), and any of several statuses; None or empty means no restriction."""

    since_ms: int | None = None
    until_ms: int | None = None
    key: str | None = None
    team: str | None = None
    model: str | None = None
    statuses: tuple[Status, ...] = ()

    def __post_init__(self) -> None:
        if self.since_ms is not None and self.until_ms is not None and self.until_ms <= self.since_ms:
            raise ValueError("the end of the time window must be after its start")
        for name in ("key", "team", "model"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ValueError(f"--{name} is empty; give a value or leave the option out")


def parse_statuses(values: Iterable[str]) -> tuple[Status, ...]:
    """The statuses named in `values` (each may hold several, comma-separated), in order and without repeats;
    ValueError naming the unknown one and the known ones otherwise."""
    found: list[Status] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if not name:
                continue
            try:
                status = Status(name)
            except ValueError:
                known = ", ".join(s.value for s in Status)
                raise ValueError(f"unknown status {name!r}; use one of: {known}") from None
            if status not in found:
                found.append(status)
    return tuple(found)


def glob_sql(pattern: str) -> str:
    """An fnmatch-style pattern (`*` any text, `?` one character, everything else literal) as an SQL GLOB
    pattern: `[` and `]` are wrapped in brackets so they match themselves."""
    return "".join("[[]" if char == "[" else "[]]" if char == "]" else char for char in pattern)


def filter_sql(export_filter: ExportFilter) -> tuple[list[str], list[Any]]:
    """The conditions on usage_events (ANDed) and their parameters for everything but the filter's time window,
    which the chunks carry."""
    clauses: list[str] = []
    params: list[Any] = []
    if export_filter.key is not None:
        clauses.append("(key_name = ? OR key_prefix = ? OR key_id = ?)")
        params.extend([export_filter.key] * 3)
    if export_filter.team is not None:
        clauses.append("team = ?")
        params.append(export_filter.team)
    if export_filter.model is not None:
        clauses.append("model GLOB ?")
        params.append(glob_sql(export_filter.model))
    if export_filter.statuses:
        clauses.append(f"status IN ({', '.join('?' for _ in export_filter.statuses)})")
        params.extend(status.value for status in export_filter.statuses)
    return clauses, params


class Chunk(NamedTuple):
    """A slice of the export: events with since_ms <= started_at_ms < until_ms (None: unbounded) and id <= last_id,
    the highest id when the export began, so every reader of every chunk sees the same events."""

    since_ms: int | None
    until_ms: int | None
    last_id: int

    def sql(self) -> tuple[list[str], list[Any]]:
        """The chunk's conditions on usage_events (ANDed) and their parameters."""
        clauses: list[str] = ["id <= ?"]
        params: list[Any] = [self.last_id]
        if self.since_ms is not None:
            clauses.append("started_at_ms >= ?")
            params.append(self.since_ms)
        if self.until_ms is not None:
            clauses.append("started_at_ms < ?")
            params.append(self.until_ms)
        return clauses, params


def export_chunks(conn: sqlite3.Connection, export_filter: ExportFilter, rows: int) -> Iterator[Chunk]:
    """Consecutive chunks of the filter's time window, oldest first, each holding about `rows` events (counted over
    all events in the window; the other filters only make chunks smaller). Events written after the first chunk
    is made are in none: the export is of the database as it was when it began."""
    last_id = int(conn.execute("SELECT ifnull(max(id), 0) FROM usage_events").fetchone()[0])
    rest = Chunk(export_filter.since_ms, export_filter.until_ms, last_id)
    while True:
        clauses, params = rest.sql()
        found = conn.execute(
            f"SELECT started_at_ms FROM usage_events WHERE {' AND '.join(clauses)} "
            "ORDER BY started_at_ms LIMIT 1 OFFSET ?", [*params, rows]
        ).fetchone()
        if found is None:
            yield rest
            return
        # More than `rows` events may share one start time: that chunk holds all of them and no other.
        since_ms = rest.since_ms
        next_ms = found[0] if since_ms is None or found[0] > since_ms else since_ms + 1
        yield rest._replace(until_ms=next_ms)
        rest = rest._replace(since_ms=next_ms)
