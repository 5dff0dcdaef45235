"""context_rot against direct SQL: requests, spend, error rates per context-size bucket exactly; latency and
time-to-first-byte percentiles within the documented histogram accuracy of the exact nearest-rank values."""

from __future__ import annotations

import math
import sqlite3

import pytest

from conduit.store.queries import BUCKETS, LATENCY_ERROR, Window, context_rot
from tests.store.conftest import WINDOWS, direct, where

SIZE = ("CASE WHEN input_tokens + cache_read_tokens + cache_write_tokens > 0 "
        "THEN input_tokens + cache_read_tokens + cache_write_tokens ELSE (request_bytes + 3) / 4 END")
FORWARDED = "('success', 'upstream_error', 'client_aborted', 'proxy_error')"


def bucket_of(size: int) -> int:
    return next(i for i, (_, low, high) in enumerate(BUCKETS) if size >= low and (high is None or size < high))


def nearest_rank(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def close(got: float | None, want: float | None) -> bool:
    if want is None or got is None:
        return got is want
    return abs(got - want) <= LATENCY_ERROR * want + 1e-9 if want >= 1 else got == 1.0


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_buckets_match_direct_sql(reader: sqlite3.Connection, name: str) -> None:
    window = WINDOWS[name]
    clause, params = where(window)
    rows = direct(reader, f"SELECT {SIZE}, status, cost_usd, latency_ms, ttfb_ms FROM usage_events{clause} "
                  f"AND status IN {FORWARDED}", params)
    got = context_rot(reader, window)
    assert [(b.label, b.low_tokens, b.high_tokens) for b in got] == list(BUCKETS)
    total_cost = sum(row[2] for row in rows)
    for index, bucket in enumerate(got):
        mine = [row for row in rows if bucket_of(row[0]) == index]
        errors = sum(1 for row in mine if row[1] in ("upstream_error", "proxy_error"))
        cost = sum(row[2] for row in mine)
        assert bucket.requests == len(mine)
        assert bucket.cost_usd == pytest.approx(cost, abs=1e-9)
        assert bucket.spend_share == pytest.approx(cost / total_cost if total_cost else 0.0, abs=1e-9)
        assert bucket.error_rate == pytest.approx(errors / len(mine) if mine else 0.0)
        assert bucket.avg_cost_usd == pytest.approx(cost / len(mine) if mine else 0.0, abs=1e-12)
        ok = [row for row in mine if row[1] == "success"]
        latencies = [row[3] for row in ok]
        ttfbs = [row[4] for row in ok if row[4] is not None]
        for fraction, got_latency, got_ttfb in ((0.5, bucket.latency_p50_ms, bucket.ttfb_p50_ms),
                                                (0.95, bucket.latency_p95_ms, bucket.ttfb_p95_ms)):
            assert close(got_latency, nearest_rank(latencies, fraction)), (bucket.label, fraction)
            assert close(got_ttfb, nearest_rank(ttfbs, fraction)), (bucket.label, fraction)


def test_seeded_conversations_show_rot(reader: sqlite3.Connection) -> None:
    got = context_rot(reader, Window())
    big, small = got[5], got[1]
    assert big.requests and small.requests
    assert big.error_rate > small.error_rate
    assert big.avg_cost_usd > small.avg_cost_usd
    assert big.ttfb_p50_ms is not None and small.ttfb_p50_ms is not None and big.ttfb_p50_ms > small.ttfb_p50_ms
    assert any(bucket.error_outpaces_cost for bucket in got)
    assert sum(bucket.spend_share for bucket in got) == pytest.approx(1.0)


def test_an_empty_window_still_has_six_empty_buckets(reader: sqlite3.Connection) -> None:
    got = context_rot(reader, WINDOWS["future"])
    assert len(got) == 6
    assert all(b.requests == 0 and b.latency_p50_ms is None and not b.error_outpaces_cost for b in got)
