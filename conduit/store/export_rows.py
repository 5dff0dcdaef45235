"""The rows behind `conduit export`: a filter over usage events and a generator of row batches in the export's
fixed column order, oldest first, read in chunks so memory stays constant however many events match.

Imports the standard library, `conduit.core` and `conduit.store` only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

from conduit.core.status import Status

COST_DIGITS = 15
BATCH_ROWS = 2_000

# The export's columns, in their stable order, and the SQL that reads each from `usage_events`.
_COLUMN_SQL: tuple[tuple[str, str], ...] = (
    ("timestamp", "strftime('%Y-%m-%dT%H:%M:%fZ', started_at_ms / 1000.0, 'unixepoch')"),
    ("request_id", "request_id"),
    ("key_name", "key_name"),
    ("key_prefix", "key_prefix"),
    ("team", "team"),
    ("provider", "provider"),
    ("api", "api"),
    ("model", "model"),
    ("client", "client"),
    ("session_id", "session_id"),
    ("status", "status"),
    ("http_status", "http_status"),
    ("streamed", "streamed"),
    ("input_tokens", "input_tokens"),
    ("output_tokens", "output_tokens"),
    ("cache_read_tokens", "cache_read_tokens"),
    ("cache_write_tokens", "cache_write_tokens"),
    ("tokens_estimated", "tokens_estimated"),
    ("cost_usd", f"CAST(printf('%.{COST_DIGITS}g', cost_usd) AS REAL)"),
    ("priced", "priced"),
    ("latency_ms", "latency_ms"),
    ("ttfb_ms", "ttfb_ms"),
    ("request_bytes", "request_bytes"),
    ("response_bytes", "response_bytes"),
    ("governance_categories", "governance_categories"),
    ("governance_action", "governance_action"),
    ("error_code", "error_code"),
)
EXPORT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _COLUMN_SQL)
BOOL_COLUMNS: tuple[str, ...] = ("streamed", "tokens_estimated", "priced")
_SELECT = f"SELECT {', '.join(sql for _, sql in _COLUMN_SQL)} FROM usage_events"

Row = tuple[Any, ...]


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


def where_sql(export_filter: ExportFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (empty when nothing is filtered) and its parameters for `export_filter`."""
    clauses: list[str] = []
    params: list[Any] = []
    if export_filter.since_ms is not None:
        clauses.append("started_at_ms >= ?")
        params.append(export_filter.since_ms)
    if export_filter.until_ms is not None:
        clauses.append("started_at_ms < ?")
        params.append(export_filter.until_ms)
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
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def export_batches(
    conn: sqlite3.Connection, export_filter: ExportFilter, *, batch_rows: int = BATCH_ROWS
) -> Generator[list[Row], None, None]:
    """Batches of matching rows (tuples in EXPORT_COLUMNS order), oldest first (by start time, then id).

    Values are as stored, except `timestamp` (ISO 8601 UTC text with milliseconds) and `cost_usd` (rounded to
    COST_DIGITS significant digits, all a double holds exactly, so float noise such as 0.30000000000000004 reads
    0.3). Booleans are 0/1, NULL is None.
    """
    where, params = where_sql(export_filter)
    cursor = conn.execute(f"{_SELECT}{where} ORDER BY started_at_ms, id", params)
    try:
        while batch := cursor.fetchmany(batch_rows):
            yield batch
    finally:
        cursor.close()
