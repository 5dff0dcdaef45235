"""Context rot: how cost, errors and latency change as agent conversations grow, per context-size bucket.

Counts requests that were forwarded upstream (Conduit's own denials are left out). Errors are upstream and
proxy errors. Latency and time-to-first-byte percentiles come from fixed histograms of successful requests
(bins `buckets.RATIO` wide), each reported as its bin's geometric midpoint: within ±LATENCY_ERROR (4.9%) of
the exact nearest-rank percentile for values of 1 ms and more.
Imports the standard library and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

from conduit.store.queries.buckets import (
    BUCKETS,
    CONTEXT_TOKENS_SQL,
    DAY_MS,
    ERROR_STATUSES,
    FORWARDED_STATUSES,
    METRIC_LATENCY,
    METRIC_TTFB,
    bin_value_ms,
    bucket_of,
    latency_bin,
    statuses_sql,
)
from conduit.store.queries.window import (
    LEVELS,
    Window,
    bounds_sql,
    has_rollups,
    split,
    summed,
)

Histogram = dict[int, int]
MIN_REQUESTS = 20  # fewer requests in either bucket and `error_outpaces_cost` stays False: too few to tell


@dataclass(frozen=True, slots=True)
class RotBucket:
    """One context-size bucket [low_tokens, high_tokens): requests, spend, error rate and latency percentiles;
    `error_outpaces_cost` when its error rate grew by a larger factor than its average cost over the bucket
    before (both buckets holding at least MIN_REQUESTS requests)."""

    label: str
    low_tokens: int
    high_tokens: int | None
    requests: int
    cost_usd: float
    spend_share: float
    avg_cost_usd: float
    error_rate: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    ttfb_p50_ms: float | None
    ttfb_p95_ms: float | None
    error_outpaces_cost: bool


def context_rot(conn: sqlite3.Connection, window: Window) -> list[RotBucket]:
    """The six buckets of BUCKETS, in order, for requests started inside `window`."""
    forwarded = f"status IN {statuses_sql(FORWARDED_STATUSES)}"
    found = summed(conn, window, "usage_context_hourly", ("bucket", "status", "requests", "cost_usd"), ("bucket",),
                   (f"SUM(CASE WHEN {forwarded} THEN requests ELSE 0 END)",
                    f"TOTAL(CASE WHEN {forwarded} THEN cost_usd END)",
                    f"SUM(CASE WHEN status IN {statuses_sql(ERROR_STATUSES)} THEN requests ELSE 0 END)"))
    sums = {int(b): (int(n), float(c), int(e)) for (b,), (n, c, e) in found.items()}  # type: ignore[call-overload]
    hists = histograms(conn, window)
    total_cost = sum(cost for _, cost, _ in sums.values())
    result: list[RotBucket] = []
    for index, (label, low, high) in enumerate(BUCKETS):
        requests, cost, errors = sums.get(index, (0, 0.0, 0))
        latency, ttfb = hists.get((index, METRIC_LATENCY), {}), hists.get((index, METRIC_TTFB), {})
        avg = cost / requests if requests else 0.0
        rate = errors / requests if requests else 0.0
        outpaces = bool(result) and requests >= MIN_REQUESTS and _outpaces(result[-1], rate, avg)
        result.append(RotBucket(label, low, high, requests, cost, cost / total_cost if total_cost else 0.0, avg,
                                rate, percentile(latency, 0.5), percentile(latency, 0.95), percentile(ttfb, 0.5),
                                percentile(ttfb, 0.95), outpaces))
    return result


def _outpaces(previous: RotBucket, rate: float, avg_cost: float) -> bool:
    """True when the error rate rose by a larger factor than the average cost since `previous`."""
    if previous.requests < MIN_REQUESTS or rate <= previous.error_rate:
        return False
    if previous.error_rate == 0:
        return True
    cost_growth = avg_cost / previous.avg_cost_usd if previous.avg_cost_usd > 0 else math.inf
    return rate / previous.error_rate > cost_growth


def histograms(conn: sqlite3.Connection, window: Window) -> dict[tuple[int, int], Histogram]:
    """Per (bucket, metric), bin → successful requests, over exactly `window`."""
    result: dict[tuple[int, int], Histogram] = {}
    for size, part in split(window, LEVELS if has_rollups(conn) else ()):
        if size is None:
            _add_raw(conn, part, result)
            continue
        daily = size == DAY_MS
        where, params = bounds_sql("day_ms" if daily else "hour_ms", part)
        table = "usage_latency_daily" if daily else "usage_latency_hourly"
        sql = f"SELECT bucket, metric, bin, SUM(requests) FROM {table}{where} GROUP BY bucket, metric, bin"
        for bucket, metric, bin_index, count in conn.execute(sql, params):
            hist = result.setdefault((int(bucket), int(metric)), {})
            hist[int(bin_index)] = hist.get(int(bin_index), 0) + int(count)
    return result


def _add_raw(conn: sqlite3.Connection, window: Window, into: dict[tuple[int, int], Histogram]) -> None:
    """Bin the successful events of `window` (read from usage_events) into `into`."""
    where, params = bounds_sql("started_at_ms", window)
    where = f"{where} AND status = 'success'" if where else " WHERE status = 'success'"
    sql = f"SELECT {CONTEXT_TOKENS_SQL}, latency_ms, ttfb_ms FROM usage_events{where}"
    for size, latency_ms, ttfb_ms in conn.execute(sql, params):
        bucket = bucket_of(int(size))
        for metric, value in ((METRIC_LATENCY, latency_ms), (METRIC_TTFB, ttfb_ms)):
            if value is not None:
                hist = into.setdefault((bucket, metric), {})
                index = latency_bin(float(value))
                hist[index] = hist.get(index, 0) + 1


def percentile(hist: Histogram, fraction: float) -> float | None:
    """The nearest-rank percentile of a histogram, as its bin's midpoint; None when it is empty."""
    total = sum(hist.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for index in sorted(hist):
        seen += hist[index]
        if seen >= rank:
            return bin_value_ms(index)
    return bin_value_ms(max(hist))
