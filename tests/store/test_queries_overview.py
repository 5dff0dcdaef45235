"""overview against direct SQL: spend today / 7 / 30 local days, the window's totals and denials, the hourly
chart and the top lists, in UTC and in timezones whose midnight is not a UTC hour."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conduit.core.pricing import PriceBook
from conduit.store.queries import Window, overview
from tests.store.conftest import ENGINEER, HOUR_MS, NOW_MS, WINDOWS, direct, where

BLOCKED = ("auth_failed", "rate_limited", "model_blocked", "budget_exceeded", "governance_blocked")


def spend_since(conn: sqlite3.Connection, since_ms: int) -> float:
    return float(direct(conn, "SELECT TOTAL(cost_usd) FROM usage_events WHERE started_at_ms >= ?", [since_ms])[0][0])


def midnight_ms(tz: ZoneInfo, days_back: int) -> int:
    day = datetime.fromtimestamp(NOW_MS / 1000, tz).date() - timedelta(days=days_back)
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)


@pytest.mark.parametrize("tz_name", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_spend_tiles_count_from_local_midnights(reader: sqlite3.Connection, tz_name: str) -> None:
    tz = ZoneInfo(tz_name)
    got = overview(reader, Window(), NOW_MS, prices=PriceBook.default(), tz=tz)
    assert got.spend_today_usd == pytest.approx(spend_since(reader, midnight_ms(tz, 0)), abs=1e-9)
    assert got.spend_7d_usd == pytest.approx(spend_since(reader, midnight_ms(tz, 6)), abs=1e-9)
    assert got.spend_30d_usd == pytest.approx(spend_since(reader, midnight_ms(tz, 29)), abs=1e-9)
    assert 0 < got.spend_today_usd < got.spend_7d_usd <= got.spend_30d_usd


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_window_totals_denials_and_top_lists(reader: sqlite3.Connection, name: str) -> None:
    window = WINDOWS[name]
    prices = PriceBook.default()
    got = overview(reader, window, NOW_MS, prices=prices, top=3)
    clause, params = where(window)
    requests, inp, out, cread, cwrite = direct(
        reader, "SELECT COUNT(*), TOTAL(input_tokens), TOTAL(output_tokens), TOTAL(cache_read_tokens), "
        f"TOTAL(cache_write_tokens) FROM usage_events{clause}", params)[0]
    assert (got.requests, got.input_tokens, got.output_tokens, got.cache_read_tokens, got.cache_write_tokens) == (
        requests, inp, out, cread, cwrite)
    statuses = dict(direct(reader, f"SELECT status, COUNT(*) FROM usage_events{clause} GROUP BY 1", params))
    assert list(got.blocked) == list(BLOCKED)
    assert got.blocked == {status: statuses.get(status, 0) for status in BLOCKED}
    engineers = direct(reader, f"SELECT {ENGINEER}, COUNT(*), TOTAL(cost_usd) FROM usage_events{clause} "
                       "GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 3", params)
    assert [(r.label, r.requests) for r in got.top_engineers] == [(label, n) for label, n, _ in engineers]
    assert [r.cost_usd for r in got.top_engineers] == pytest.approx([cost for *_, cost in engineers], abs=1e-9)
    models = direct(reader, "SELECT COALESCE(model, '(unknown)'), COUNT(*), TOTAL(cost_usd) "
                    f"FROM usage_events{clause} GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 3", params)
    assert [(r.label, r.requests) for r in got.top_models] == [(label, n) for label, n, _ in models]
    saved = 0.0
    for model, tokens in direct(reader, f"SELECT model, TOTAL(cache_read_tokens) FROM usage_events{clause} "
                                "AND model IS NOT NULL GROUP BY 1", params):
        price = prices.price_for(model)
        if price is not None:
            saved += tokens * (price.input - price.cache_read) / 1_000_000
    assert got.cache_savings_usd == pytest.approx(saved, abs=1e-9)


def test_spend_per_hour_is_24_points_ending_now(reader: sqlite3.Connection) -> None:
    got = overview(reader, Window(), NOW_MS, prices=PriceBook.default()).spend_per_hour
    last = NOW_MS - NOW_MS % HOUR_MS
    assert [hour for hour, _ in got] == [last - (23 - i) * HOUR_MS for i in range(24)]
    for hour, cost in got:
        want = direct(reader, "SELECT TOTAL(cost_usd) FROM usage_events WHERE started_at_ms >= ? AND "
                      "started_at_ms < ?", [hour, hour + HOUR_MS])[0][0]
        assert cost == pytest.approx(want, abs=1e-9)
    assert sum(cost for _, cost in got) > 0
