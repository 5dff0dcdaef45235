"""Spend broken down by engineer, team, model, provider or day, over a window, from the hourly rollups.

Imports the standard library and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo

from conduit.store.queries.buckets import ERROR_STATUSES, statuses_sql
from conduit.store.queries.rollup import (
    ENGINEER_LABEL_SQL,
    MODEL_LABEL_SQL,
    TEAM_LABEL_SQL,
)
from conduit.store.queries.window import Window, days, summed

SPEND_DIMENSIONS = ("engineer", "team", "model", "provider", "day")
# dimension -> (label SQL over rollup rows, the columns it reads)
LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "engineer": (ENGINEER_LABEL_SQL, ("key_name", "key_prefix")),
    "team": (TEAM_LABEL_SQL, ("team",)),
    "model": (MODEL_LABEL_SQL, ("model",)),
    "provider": ("provider", ("provider",)),
    "status": ("status", ()),
}
MEASURE_COLUMNS = ("status", "requests", "input_tokens", "output_tokens", "cache_read_tokens",
                   "cache_write_tokens", "cost_usd")
MEASURES_SQL = (
    "SUM(requests)", "SUM(input_tokens)", "SUM(output_tokens)", "SUM(cache_read_tokens)", "SUM(cache_write_tokens)",
    "TOTAL(cost_usd)", f"SUM(CASE WHEN status IN {statuses_sql(ERROR_STATUSES)} THEN requests ELSE 0 END)",
)


@dataclass(frozen=True, slots=True)
class SpendRow:
    """One label's requests, tokens, cost and errors (upstream and proxy errors) in a window."""

    label: str
    requests: int
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cost_usd: float
    errors: int


def spend_by(conn: sqlite3.Connection, window: Window, by: str, *, tz: tzinfo = UTC) -> list[SpendRow]:
    """Spend per `by` label, by cost (label on ties); for `day`, one row per local day with events, in order."""
    if by == "day":
        return _by_day(conn, window, tz)
    if by not in SPEND_DIMENSIONS:
        raise ValueError(f"cannot break spend down by {by!r}; use one of {', '.join(SPEND_DIMENSIONS)}")
    label_sql, columns = LABELS[by]
    rows = grouped(conn, window, label_sql, columns)
    return sorted(rows, key=lambda row: (-row.cost_usd, row.label))


def grouped(conn: sqlite3.Connection, window: Window, label_sql: str, columns: tuple[str, ...]) -> list[SpendRow]:
    """SpendRows grouped by the SQL expression `label_sql` (reading `columns`) over the window's usage."""
    sums = summed(conn, window, "usage_hourly", _unique((*columns, *MEASURE_COLUMNS)), (label_sql,), MEASURES_SQL)
    return [_row((label, *values)) for (label,), values in sums.items()]


def totals(conn: sqlite3.Connection, window: Window) -> SpendRow:
    """Every event in the window summed into one row labelled `total`."""
    sums = summed(conn, window, "usage_hourly", MEASURE_COLUMNS, (), MEASURES_SQL)
    return _row(("total", *sums.get((), [0] * len(MEASURES_SQL))))


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _by_day(conn: sqlite3.Connection, window: Window, tz: tzinfo) -> list[SpendRow]:
    """One SpendRow per local day of the window that has events."""
    limits = bounded(conn, window)
    if limits is None:
        return []
    rows = []
    for label, part in days(limits, tz):
        row = totals(conn, part)
        if row.requests:
            rows.append(SpendRow(label, *_values(row)))
    return rows


def bounded(conn: sqlite3.Connection, window: Window) -> Window | None:
    """The window with open sides closed at the first and last recorded event (None when there are none)."""
    # Two statements: SQLite answers a lone MIN or MAX from the time index, but scans the table for both at once.
    first = conn.execute("SELECT MIN(started_at_ms) FROM usage_events").fetchone()[0]
    last = conn.execute("SELECT MAX(started_at_ms) FROM usage_events").fetchone()[0]
    if first is None or last is None:
        return None
    limits = window.clip(Window(int(first), int(last) + 1))
    return None if limits.empty else limits


def _row(row: Sequence[object]) -> SpendRow:
    label, requests, inp, out, cread, cwrite, cost, errors = row
    return SpendRow(str(label), _int(requests), _int(inp), _int(out), _int(cread), _int(cwrite),
                    float(cost or 0.0), _int(errors))  # type: ignore[arg-type]


def _values(row: SpendRow) -> tuple[int, int, int, int, int, float, int]:
    return (row.requests, row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens,
            row.cost_usd, row.errors)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
