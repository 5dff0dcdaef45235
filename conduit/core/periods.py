"""Budget periods: where the day, ISO week (from Monday) or calendar month containing an instant starts and ends
in an IANA timezone, DST-correct (a local day may last 23 or 25 hours).

Pure: standard library only (zoneinfo).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from conduit.core.policy import PERIODS


@lru_cache(maxsize=64)
def zone(tz: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name such as `Europe/Berlin` (cached); raises ZoneInfoNotFoundError."""
    return ZoneInfo(tz)


def period_bounds(period: str, now_s: float, tz: str) -> tuple[float, float]:
    """Start and end (epoch seconds) of the `day`, `week` or `month` containing `now_s` in timezone `tz`."""
    tzinfo = zone(tz)
    today = datetime.fromtimestamp(now_s, tzinfo).date()
    if period == "day":
        first, after = today, today + timedelta(days=1)
    elif period == "week":
        first = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
    elif period == "month":
        first = today.replace(day=1)
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    else:
        raise ValueError(f"unknown budget period {period!r}; use one of {', '.join(PERIODS)}")
    return _midnight(first, tzinfo), _midnight(after, tzinfo)


def local_time_text(at_s: float, tz: str) -> str:
    """`at_s` as local time in `tz` for a person, e.g. `2026-12-01 00:00 Europe/Berlin`."""
    return f"{datetime.fromtimestamp(at_s, zone(tz)):%Y-%m-%d %H:%M} {tz}"


def _midnight(day: date, tzinfo: ZoneInfo) -> float:
    """The first instant of local `day` (where DST skips midnight, the moment the clock jumps past it)."""
    return datetime(day.year, day.month, day.day, tzinfo=tzinfo).timestamp()
