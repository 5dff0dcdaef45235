"""Budget periods: day, ISO week and calendar month bounds in a timezone, across DST changes and year ends."""

from __future__ import annotations

from datetime import datetime

import pytest

from conduit.core.periods import local_time_text, period_bounds, zone


def at(local: str, tz: str) -> float:
    """Epoch seconds of a local wall-clock time in `tz`."""
    return datetime.fromisoformat(local).replace(tzinfo=zone(tz)).timestamp()


def local(epoch_s: float, tz: str) -> str:
    return datetime.fromtimestamp(epoch_s, zone(tz)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("period", "now", "tz", "start", "end", "hours"), [
    ("day", "2026-06-15 13:45", "UTC", "2026-06-15 00:00", "2026-06-16 00:00", 24),
    ("day", "2026-06-15 00:00", "UTC", "2026-06-15 00:00", "2026-06-16 00:00", 24),
    ("day", "2026-06-15 23:59", "Asia/Tokyo", "2026-06-15 00:00", "2026-06-16 00:00", 24),
    # Europe/Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    ("day", "2026-03-29 12:00", "Europe/Berlin", "2026-03-29 00:00", "2026-03-30 00:00", 23),
    ("day", "2026-10-25 01:30", "Europe/Berlin", "2026-10-25 00:00", "2026-10-26 00:00", 25),
    ("day", "2026-10-25 23:30", "Europe/Berlin", "2026-10-25 00:00", "2026-10-26 00:00", 25),
    # Santiago skips midnight itself: the day starts when the clock jumps to 01:00.
    ("day", "2026-09-06 12:00", "America/Santiago", "2026-09-06 01:00", "2026-09-07 00:00", 23),
    ("week", "2026-06-17 09:00", "UTC", "2026-06-15 00:00", "2026-06-22 00:00", 168),
    ("week", "2026-06-15 00:00", "UTC", "2026-06-15 00:00", "2026-06-22 00:00", 168),
    ("week", "2026-06-21 23:59", "UTC", "2026-06-15 00:00", "2026-06-22 00:00", 168),
    ("week", "2026-03-29 20:00", "Europe/Berlin", "2026-03-23 00:00", "2026-03-30 00:00", 167),
    ("week", "2026-12-31 10:00", "UTC", "2026-12-28 00:00", "2027-01-04 00:00", 168),
    ("month", "2026-11-30 23:59", "UTC", "2026-11-01 00:00", "2026-12-01 00:00", 30 * 24),
    ("month", "2026-12-31 23:00", "UTC", "2026-12-01 00:00", "2027-01-01 00:00", 31 * 24),
    ("month", "2028-02-29 12:00", "UTC", "2028-02-01 00:00", "2028-03-01 00:00", 29 * 24),
    ("month", "2026-03-02 12:00", "Europe/Berlin", "2026-03-01 00:00", "2026-04-01 00:00", 31 * 24 - 1),
    ("month", "2026-10-31 23:59", "Europe/Berlin", "2026-10-01 00:00", "2026-11-01 00:00", 31 * 24 + 1),
])
def test_bounds(period: str, now: str, tz: str, start: str, end: str, hours: int) -> None:
    now_s = at(now, tz)
    start_s, end_s = period_bounds(period, now_s, tz)
    assert (local(start_s, tz), local(end_s, tz)) == (start, end)
    assert end_s - start_s == hours * 3600
    assert start_s <= now_s < end_s


def test_the_same_instant_falls_in_different_days_in_different_zones() -> None:
    now_s = at("2026-06-15 23:30", "UTC")
    utc_day = period_bounds("day", now_s, "UTC")
    berlin_day = period_bounds("day", now_s, "Europe/Berlin")
    assert utc_day[0] == at("2026-06-15 00:00", "UTC")
    assert berlin_day[0] == at("2026-06-16 00:00", "Europe/Berlin")


def test_consecutive_periods_meet_without_gap() -> None:
    for period in ("day", "week", "month"):
        start_s, end_s = period_bounds(period, at("2026-10-20 12:00", "Europe/Berlin"), "Europe/Berlin")
        assert period_bounds(period, end_s, "Europe/Berlin")[0] == end_s
        assert period_bounds(period, end_s - 0.001, "Europe/Berlin") == (start_s, end_s)


def test_unknown_period_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'year'.*day, week, month"):
        period_bounds("year", 0.0, "UTC")


def test_zones_are_cached() -> None:
    assert zone("Europe/Berlin") is zone("Europe/Berlin")


def test_local_time_text_names_the_zone() -> None:
    assert local_time_text(at("2026-12-01 00:00", "UTC"), "UTC") == "2026-12-01 00:00 UTC"
    assert local_time_text(at("2026-12-01 00:00", "UTC"), "Europe/Berlin") == "2026-12-01 01:00 Europe/Berlin"
