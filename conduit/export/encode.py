"""One chunk of an export as the bytes of its rows: SQLite renders each line, this adds the cached date, checks
each batch at once (a value holding a delimiter, quote or control character shows as one special byte too many)
and encodes only the rows of a failing batch that need it the careful way.

Imports the standard library, `conduit.core.moments`, `conduit.store` and `conduit.export` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from conduit.core.moments import iso_ms
from conduit.export.line_format import LineFormat
from conduit.store.export_lines import LineBatch, line_batches, text_rows
from conduit.store.export_rows import Chunk, ExportFilter

BATCH_ROWS = 1_000
DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """A chunk's rows as the format's bytes (in pieces, written one after the other), how many rows there are,
    and the first and last start time."""

    parts: list[bytes | memoryview]
    rows: int
    first_ms: int | None
    last_ms: int | None


class _RowStarts:
    """Each row's start up to the time of day (`row_start`, date, `T`), made once per day."""

    def __init__(self, row_start: bytes) -> None:
        self._row_start = row_start
        self.by_day: dict[int, bytes] = {}

    def make(self, day: int) -> bytes:
        date = (_EPOCH + timedelta(days=day)).date().isoformat()
        start = self.by_day[day] = self._row_start + date.encode() + b"T"
        return start


def _count(data: bytes, specials: bytes) -> int:
    return len(data) - len(data.translate(None, specials))


def encode_chunk(
    conn: sqlite3.Connection, export_filter: ExportFilter, fmt: LineFormat, chunk: Chunk,
    batch_rows: int = BATCH_ROWS,
) -> EncodedChunk:
    """The chunk's matching events encoded in `fmt`, oldest first."""
    starts = _RowStarts(fmt.row_start)
    by_day, make = starts.by_day, starts.make
    per_row, specials = fmt.specials_per_row(), fmt.specials
    parts: list[bytes | memoryview] = []
    rows, first_ms, last_ms = 0, None, None
    for batch in line_batches(conn, export_filter, chunk, fmt.kind, fmt.row_end, batch_rows):
        pieces: list[bytes] = []
        add = pieces.append
        quoted = 0
        for started_ms, _, line, in_quotes in batch:
            day = started_ms // DAY_MS
            add(by_day.get(day) or make(day))
            add(line)
            quoted += in_quotes
        data = b"".join(pieces)
        # Rows are oldest first, so only a batch that starts before 1970 can hold one (SQLite's time of day is
        # wrong for those).
        if batch[0][0] < 0 or _count(data, specials) != per_row * len(batch) + 2 * quoted:
            data = _careful(conn, batch, fmt, starts, per_row)
        parts.append(data)
        rows += len(batch)
        first_ms = batch[0][0] if first_ms is None else first_ms
        last_ms = batch[-1][0]
    return EncodedChunk(parts, rows, first_ms, last_ms)


def _careful(
    conn: sqlite3.Connection, batch: LineBatch, fmt: LineFormat, starts: _RowStarts, per_row: int
) -> bytes:
    """The batch with each row that does not check out (`per_row` special bytes) encoded from its values instead."""
    specials = fmt.specials
    pieces: list[bytes | int] = []
    for started_ms, event_id, line, in_quotes in batch:
        row = (starts.by_day.get(started_ms // DAY_MS) or starts.make(started_ms // DAY_MS)) + line
        clean = started_ms >= 0 and _count(row, specials) == per_row + 2 * in_quotes
        pieces.append(row if clean else event_id)
    values = text_rows(conn, [piece for piece in pieces if isinstance(piece, int)])
    return b"".join(
        piece if isinstance(piece, bytes) else fmt.careful_row(iso_ms(values[piece][0]), values[piece][1])
        for piece in pieces
    )
