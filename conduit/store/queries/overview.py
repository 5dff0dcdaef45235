"""The overview screen's numbers: spend today / 7 days / 30 days, the window's requests, tokens, cache savings
and denials, spend per hour over the last 24 hours, and the top engineers and models.

Imports the standard library, `conduit.core` and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from conduit.core.pricing import PriceBook
from conduit.store.queries.buckets import (
    BLOCKED_STATUSES,
    DAY_MS,
    ERROR_STATUSES,
    HOUR_MS,
)
from conduit.store.queries.rollup import UNKNOWN_ENGINEER
from conduit.store.queries.spend_by import SpendRow
from conduit.store.queries.window import Window, summed


@dataclass(frozen=True, slots=True)
class Ranked:
    """A label with its request count and cost, for top-N lists."""

    label: str
    requests: int
    cost_usd: float


@dataclass(frozen=True, slots=True)
class Overview:
    """The overview: spend over the local day, last 7 and 30 local days (today included) up to now; the
    window's totals and denials by status; 24 hourly spend points ending with the current hour; top lists."""

    spend_today_usd: float
    spend_7d_usd: float
    spend_30d_usd: float
    requests: int
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cache_savings_usd: float
    blocked: dict[str, int]
    spend_per_hour: list[tuple[int, float]]
    top_engineers: list[Ranked]
    top_models: list[Ranked]


def overview(conn: sqlite3.Connection, window: Window, now_ms: int, *, prices: PriceBook, tz: tzinfo = UTC,
             top: int = 5) -> Overview:
    """The overview for `window`, with the spend tiles and hourly chart relative to `now_ms` in `tz`."""
    by_status, models, engineers = _breakdowns(conn, window)
    status_counts = {row.label: row.requests for row in by_status}
    spend_today, spend_7d, spend_30d = _recent_spend(conn, now_ms, tz)
    return Overview(
        spend_today_usd=spend_today,
        spend_7d_usd=spend_7d,
        spend_30d_usd=spend_30d,
        requests=sum(row.requests for row in by_status),
        input_tokens=sum(row.input_tokens for row in by_status),
        output_tokens=sum(row.output_tokens for row in by_status),
        cache_read_tokens=sum(row.cache_read_tokens for row in by_status),
        cache_write_tokens=sum(row.cache_write_tokens for row in by_status),
        cache_savings_usd=cache_savings_usd(models, prices),
        blocked={status: status_counts.get(status, 0) for status in BLOCKED_STATUSES},
        spend_per_hour=spend_per_hour(conn, now_ms),
        top_engineers=ranked(engineers, top),
        top_models=ranked(_labelled_models(models), top),
    )


def cache_savings_usd(models: list[SpendRow], prices: PriceBook) -> float:
    """What the cache reads would have cost at each model's standard input price, minus what they cost."""
    saved = 0.0
    for row in models:
        price = prices.price_for(row.label) if row.label else None
        if price is not None:
            saved += row.cache_read_tokens * (price.input - price.cache_read) / 1_000_000
    return saved


def ranked(rows: list[SpendRow], top: int) -> list[Ranked]:
    """The `top` rows by cost (then requests, then label)."""
    ordered = sorted(rows, key=lambda row: (-row.cost_usd, -row.requests, row.label))
    return [Ranked(row.label, row.requests, row.cost_usd) for row in ordered[:top]]


def spend_per_hour(conn: sqlite3.Connection, now_ms: int, hours: int = 24) -> list[tuple[int, float]]:
    """Spend per UTC hour for the `hours` hours ending with the one holding `now_ms`, zeros included."""
    last = now_ms - now_ms % HOUR_MS
    first = last - (hours - 1) * HOUR_MS
    found = summed(conn, Window(first, last + HOUR_MS), "usage_hourly", ("hour_ms", "cost_usd"), ("hour_ms",),
                   ("TOTAL(cost_usd)",), levels=(HOUR_MS,))
    return [(hour, float(found.get((hour,), [0.0])[0])) for hour in range(first, last + HOUR_MS, HOUR_MS)]


def _breakdowns(conn: sqlite3.Connection, window: Window) -> tuple[list[SpendRow], list[SpendRow], list[SpendRow]]:
    """The window's usage by status, by model (raw name, '' when unknown) and by engineer, in one pass."""
    columns = ("status", "model", "key_name", "key_prefix", "requests", "input_tokens", "output_tokens",
               "cache_read_tokens", "cache_write_tokens", "cost_usd")
    sums = summed(conn, window, "usage_hourly", columns, ("status", "model", "key_name", "key_prefix"),
                  ("SUM(requests)", "SUM(input_tokens)", "SUM(output_tokens)", "SUM(cache_read_tokens)",
                   "SUM(cache_write_tokens)", "TOTAL(cost_usd)"))
    groups: tuple[dict[str, list[float]], ...] = ({}, {}, {})
    for (status, model, key_name, key_prefix), values in sums.items():
        errors = values[0] if status in ERROR_STATUSES else 0
        engineer = str(key_name or key_prefix or UNKNOWN_ENGINEER)
        for group, label in zip(groups, (str(status), str(model), engineer), strict=True):
            current = group.setdefault(label, [0, 0, 0, 0, 0, 0.0, 0])
            for index, value in enumerate((*values, errors)):
                current[index] += value
    status_rows, model_rows, engineer_rows = (
        [SpendRow(label, int(v[0]), int(v[1]), int(v[2]), int(v[3]), int(v[4]), float(v[5]), int(v[6]))
         for label, v in group.items()] for group in groups
    )
    return status_rows, model_rows, engineer_rows


def _recent_spend(conn: sqlite3.Connection, now_ms: int, tz: tzinfo) -> tuple[float, float, float]:
    """Spend since local midnight today, 6 and 29 days ago: one pass when those are UTC midnights, else three."""
    starts = [_local_midnight_ms(now_ms, tz, back) for back in (0, 6, 29)]
    if any(start % DAY_MS for start in starts):
        today, week, month = (_spend_since(conn, start) for start in starts)
        return today, week, month
    sums = summed(conn, Window(starts[2], None), "usage_hourly", ("hour_ms", "cost_usd"), (),
                  ("TOTAL(CASE WHEN hour_ms >= ? THEN cost_usd END)", "TOTAL(CASE WHEN hour_ms >= ? THEN cost_usd END)",
                   "TOTAL(cost_usd)"), (starts[0], starts[1]))
    today, week, month = sums.get((), [0.0, 0.0, 0.0])
    return float(today), float(week), float(month)


def _spend_since(conn: sqlite3.Connection, since_ms: int) -> float:
    sums = summed(conn, Window(since_ms, None), "usage_hourly", ("cost_usd",), (), ("TOTAL(cost_usd)",))
    return float(sums.get((), [0.0])[0])


def _local_midnight_ms(now_ms: int, tz: tzinfo, days_back: int) -> int:
    """Local midnight `days_back` days before the day holding `now_ms`."""
    day = datetime.fromtimestamp(now_ms / 1000, tz).date() - timedelta(days=days_back)
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)


def _labelled_models(rows: list[SpendRow]) -> list[SpendRow]:
    """Rows grouped by raw model with '' shown as `(unknown)`."""
    return [row if row.label else SpendRow("(unknown)", *_rest(row)) for row in rows]


def _rest(row: SpendRow) -> tuple[int, int, int, int, int, float, int]:
    return (row.requests, row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens,
            row.cost_usd, row.errors)
