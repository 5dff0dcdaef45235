"""The time window every query takes, and how a window is read exactly from the hourly rollups: whole hours
from the rollup tables, the partial hours at its edges from `usage_events` (a database from before the rollups
is read from `usage_events` alone). Whole UTC days come from the daily rollups, whole hours from the hourly.

Imports the standard library and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from conduit.store.queries.buckets import DAY_MS, HOUR_MS
from conduit.store.queries.rollup import (
    RAW_COLUMNS,
    RAW_FILTERS,
    ROLLUP_VERSION,
    TABLES,
)

_TABLES = {hourly: (hourly, daily) for hourly, daily, _, _ in TABLES}


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open time range [since_ms, until_ms) in Unix ms; None leaves that side unbounded."""

    since_ms: int | None = None
    until_ms: int | None = None

    @property
    def empty(self) -> bool:
        """True when no instant can fall inside the window."""
        return self.since_ms is not None and self.until_ms is not None and self.since_ms >= self.until_ms

    def clip(self, other: Window) -> Window:
        """The part of this window that is also inside `other`."""
        since = _max(self.since_ms, other.since_ms)
        until = _min(self.until_ms, other.until_ms)
        return Window(since, until)


LEVELS = (DAY_MS, HOUR_MS)
Part = tuple[int | None, Window]


def has_rollups(conn: sqlite3.Connection) -> bool:
    """True when the database has the usage rollups (schema step 6 or later)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= ROLLUP_VERSION


def split(window: Window, levels: tuple[int, ...] = LEVELS) -> list[Part]:
    """Cut `window` into whole UTC days, whole hours (answered by the rollups) and the edges only raw events can
    answer: (DAY_MS, part), (HOUR_MS, part) or (None, part), in no particular order."""
    if window.empty:
        return []
    since, until = window.since_ms, window.until_ms
    if not levels:
        return [(None, window)]
    size = levels[0]
    first = None if since is None else -(-since // size) * size
    end = None if until is None else until - until % size
    if first is not None and end is not None and first >= end:
        return split(window, levels[1:])
    parts: list[Part] = [(size, Window(first, end))]
    if since is not None and first is not None and since < first:
        parts += split(Window(since, first), levels[1:])
    if until is not None and end is not None and end < until:
        parts += split(Window(end, until), levels[1:])
    return parts


def source_parts(conn: sqlite3.Connection, window: Window, rollup: str, columns: tuple[str, ...],
                 *, levels: tuple[int, ...] = LEVELS) -> list[tuple[str, list[int]]]:
    """SQL subqueries (with their parameters) that together yield `columns` of the rollup `rollup`
    (`usage_hourly` or `usage_context_hourly`) over exactly `window`: daily and hourly rollup rows for whole
    days and hours, `usage_events` rows for the rest (all of it for a database without rollups)."""
    hourly, daily = _TABLES[rollup]
    parts: list[tuple[str, list[int]]] = []
    for size, part in split(window, levels if has_rollups(conn) else ()):
        if size is None:
            where, values = bounds_sql("started_at_ms", part)
            if rollup in RAW_FILTERS:
                where = f"{where} AND {RAW_FILTERS[rollup]}" if where else f" WHERE {RAW_FILTERS[rollup]}"
            projection = ", ".join(f"{RAW_COLUMNS[name]} AS {name}" for name in columns)
            parts.append((f"(SELECT {projection} FROM usage_events{where})", values))
        else:
            time_column = "day_ms" if size == DAY_MS else "hour_ms"
            where, values = bounds_sql(time_column, part)
            projection = ", ".join(f"{time_column} AS hour_ms" if name == "hour_ms" else name for name in columns)
            parts.append((f"(SELECT {projection} FROM {daily if size == DAY_MS else hourly}{where})", values))
    return parts


def summed(conn: sqlite3.Connection, window: Window, rollup: str, columns: tuple[str, ...], keys: tuple[str, ...],
           sums: tuple[str, ...], params: tuple[object, ...] = (), *, levels: tuple[int, ...] = LEVELS
           ) -> dict[tuple[object, ...], list[float]]:
    """The SQL sum expressions `sums` grouped by the SQL expressions `keys`, over `columns` of the rollup in
    `window`; `params` bind the `?`s in keys and sums. Each part is aggregated on its own (a compound subquery
    would be materialised row by row) and the partial sums are added up here."""
    select = ", ".join((*keys, *sums))
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if keys else ""
    result: dict[tuple[object, ...], list[float]] = {}
    for sub, values in source_parts(conn, window, rollup, columns, levels=levels):
        for row in conn.execute(f"SELECT {select} FROM {sub}{group}", (*params, *values)):
            key, numbers = tuple(row[: len(keys)]), row[len(keys):]
            current = result.get(key)
            if current is None:
                result[key] = [number or 0 for number in numbers]
            else:
                for index, number in enumerate(numbers):
                    current[index] += number or 0
    return result


def bounds_sql(column: str, window: Window) -> tuple[str, list[int]]:
    """` WHERE column >= ? AND column < ?` for the window's bounded sides (empty when unbounded)."""
    terms: list[str] = []
    values: list[int] = []
    if window.since_ms is not None:
        terms.append(f"{column} >= ?")
        values.append(window.since_ms)
    if window.until_ms is not None:
        terms.append(f"{column} < ?")
        values.append(window.until_ms)
    return (" WHERE " + " AND ".join(terms) if terms else ""), values


def day_start_ms(at_ms: int, tz: tzinfo) -> int:
    """The first instant (Unix ms) of the local day in `tz` holding `at_ms`."""
    local = datetime.fromtimestamp(at_ms / 1000, tz)
    midnight = datetime(local.year, local.month, local.day, tzinfo=tz)
    return int(midnight.timestamp() * 1000)


def days(window: Window, tz: tzinfo) -> list[tuple[str, Window]]:
    """Each local day (label `YYYY-MM-DD`) overlapping a bounded window, with the part of the window inside it."""
    assert window.since_ms is not None and window.until_ms is not None
    result: list[tuple[str, Window]] = []
    day = datetime.fromtimestamp(window.since_ms / 1000, tz).date()
    while True:
        start = int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)
        if start >= window.until_ms:
            return result
        after = day + timedelta(days=1)
        end = int(datetime(after.year, after.month, after.day, tzinfo=tz).timestamp() * 1000)
        part = window.clip(Window(start, end))
        if not part.empty:
            result.append((day.isoformat(), part))
        day = after


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)
