"""Export lines rendered by SQLite: one printf per event turns its columns into a CSV record or a JSON object
(everything after the date), far faster than building Python values column by column.

A value is written as stored, so a text value holding a delimiter, a quote or a control character would break
the line: the caller checks each batch (every such character shows as one too many) and asks `text_rows` for the
values of the rows to encode the careful way. (printf would also stop at a NUL, which the writer never stores.)
Numbers are as SQLite prints them: integers in full, reals to 15
significant digits (`0.1 + 0.2` reads 0.3, `3e-06` reads 3.0e-06). NULL is an empty CSV field or JSON null;
the three flags are 0/1 in CSV and true/false in JSON.

Imports the standard library and `conduit.store` only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Literal

from conduit.store.export_rows import Chunk, ExportFilter, filter_sql

LineKind = Literal["csv", "json"]
LineBatch = list[tuple[int, int, bytes, int]]

_TEXT, _INT, _REAL, _FLAG = "text", "int", "real", "flag"
# Every exported column after the timestamp, in order: (name, kind, may be NULL).
_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("request_id", _TEXT, False), ("key_name", _TEXT, True), ("key_prefix", _TEXT, True), ("team", _TEXT, True),
    ("provider", _TEXT, False), ("api", _TEXT, False), ("model", _TEXT, True), ("client", _TEXT, False),
    ("session_id", _TEXT, True), ("status", _TEXT, False), ("http_status", _INT, True), ("streamed", _FLAG, False),
    ("input_tokens", _INT, False), ("output_tokens", _INT, False), ("cache_read_tokens", _INT, False),
    ("cache_write_tokens", _INT, False), ("tokens_estimated", _FLAG, False), ("cost_usd", _REAL, False),
    ("priced", _FLAG, False), ("latency_ms", _REAL, False), ("ttfb_ms", _REAL, True), ("request_bytes", _INT, False),
    ("response_bytes", _INT, False), ("governance_categories", _TEXT, True), ("governance_action", _TEXT, True),
    ("error_code", _TEXT, True),
)
EXPORT_COLUMNS: tuple[str, ...] = ("timestamp", *(name for name, _, _ in _COLUMNS))
TEXT_COLUMNS: frozenset[str] = frozenset(name for name, kind, _ in _COLUMNS if kind == _TEXT)
FLAG_COLUMNS: frozenset[str] = frozenset(name for name, kind, _ in _COLUMNS if kind == _FLAG)

# The time of day, from the integer milliseconds (the date is added by the caller, which caches it per day).
_TIME_FORMAT = "%02d:%02d:%02d.%03dZ"
_TIME_ARGS = "started_at_ms / 3600000 % 24, started_at_ms / 60000 % 60, started_at_ms / 1000 % 60, started_at_ms % 1000"


def _text_sql(name: str, kind: str, nullable: bool) -> str:
    """The column as text, as the lines print it, NULL kept."""
    if kind != _REAL:
        return f"CAST({name} AS TEXT)"
    real = f"printf('%!.15g', {name})"
    return f"CASE WHEN {name} IS NOT NULL THEN {real} END" if nullable else real


def _field(name: str, kind: str, nullable: bool, line: LineKind) -> tuple[str, str]:
    """How a column goes into a line: its printf conversion and the SQL argument for it. Numbers that cannot
    be NULL are formatted by printf itself (no text made first); the rest go in as text (NULL prints nothing)."""
    if kind in (_INT, _FLAG) and not nullable and (kind == _INT or line == "csv"):
        return "%d", name
    if kind == _REAL and not nullable:
        return "%!.15g", name
    if line == "csv":
        return "%s", name if kind != _REAL else _text_sql(name, kind, nullable)
    if kind == _FLAG:
        return "%s", f"iif({name}, 'true', 'false')"
    if kind == _TEXT:
        return ('"%s"', name) if not nullable else ("%s", f"ifnull('\"' || {name} || '\"', 'null')")
    return "%s", f"ifnull({_text_sql(name, kind, nullable)}, 'null')"


def line_template(kind: LineKind, row_end: str) -> str:
    """The printf format of a line after its date: CSV fields, or the rest of a JSON object whose opening up to
    the date (`{"timestamp":"2026-11-01T`) the caller writes; `row_end` closes it."""
    if kind == "csv":
        return _TIME_FORMAT + "".join("," + _field(*column, kind)[0] for column in _COLUMNS) + row_end
    fields = "".join(f',"{column[0]}":' + _field(*column, kind)[0] for column in _COLUMNS)
    return _TIME_FORMAT + '"' + fields + row_end


def _line_sql(kind: LineKind) -> str:
    """The select list: start time, id, the line (a BLOB, so no text is decoded and encoded again) and how many
    values SQLite put in quotes itself (the nullable JSON strings that are not NULL)."""
    args = ", ".join(_field(*column, kind)[1] for column in _COLUMNS)
    quoted = "0" if kind == "csv" else " + ".join(
        f"({name} IS NOT NULL)" for name, kind_, nullable in _COLUMNS if kind_ == _TEXT and nullable)
    return f"started_at_ms, id, CAST(printf(?, {_TIME_ARGS}, {args}) AS BLOB), {quoted}"


def line_batches(
    conn: sqlite3.Connection, export_filter: ExportFilter, chunk: Chunk, kind: LineKind, row_end: str,
    batch_rows: int,
) -> Iterator[LineBatch]:
    """The chunk's matching events, oldest first (by start time, then id), as batches of
    (started_at_ms, id, line, quoted) where line is `line_template(kind, row_end)` filled in."""
    filter_clauses, filter_params = filter_sql(export_filter)
    chunk_clauses, chunk_params = chunk.sql()
    clauses = filter_clauses + chunk_clauses
    params = [line_template(kind, row_end), *filter_params, *chunk_params]
    cursor = conn.execute(
        f"SELECT {_line_sql(kind)} FROM usage_events WHERE {' AND '.join(clauses)} ORDER BY started_at_ms, id",
        params,
    )
    try:
        while batch := cursor.fetchmany(batch_rows):
            yield batch
    finally:
        cursor.close()


def text_rows(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[int, tuple[str | None, ...]]]:
    """For each id, the event's start time and its columns after the timestamp as text (None for NULL), printed
    as in the lines."""
    wanted = list(ids)
    values = ", ".join(_text_sql(*column) for column in _COLUMNS)
    found: dict[int, tuple[int, tuple[str | None, ...]]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        rows = conn.execute(
            f"SELECT id, started_at_ms, {values} FROM usage_events WHERE id IN ({', '.join('?' * len(part))})", part
        )
        for row in rows:
            found[row[0]] = (row[1], tuple(row[2:]))
    return found
