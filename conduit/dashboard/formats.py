"""How the dashboard writes numbers and times: dollars, token counts, durations, clock times, ratios.

Pure: imports the standard library only.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

_SCALES = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))


def usd(value: float) -> str:
    """Dollars for a table cell: `$12,345`, `$12.34`, `$0.0123`, `$0`."""
    if value == 0:
        return "$0"
    if abs(value) >= 10_000:
        return f"${value:,.0f}"
    if abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${value:.4f}"


def count(value: int) -> str:
    """A whole number with thousands separators."""
    return f"{value:,}"


def tokens(value: int) -> str:
    """A token count in short form: `950`, `12.3K`, `4.56M`, `1.20B`."""
    for scale, suffix in _SCALES:
        if abs(value) >= scale:
            scaled = value / scale
            return f"{scaled:.3g}{suffix}" if scaled < 1000 else f"{scaled:,.0f}{suffix}"
    return str(value)


def duration_ms(value: float | None) -> str:
    """A latency: `850 ms`, `12.3 s`, `4.0 min`, or `–` when unknown."""
    if value is None:
        return "–"
    if value < 1_000:
        return f"{value:.0f} ms"
    if value < 60_000:
        return f"{value / 1000:.1f} s"
    if value < 3_600_000:
        return f"{value / 60_000:.1f} min"
    return f"{value / 3_600_000:.1f} h"


def percent(fraction: float) -> str:
    """A fraction as a percentage: `12.5%`, `0.4%`, `0%`."""
    if fraction == 0:
        return "0%"
    return f"{fraction * 100:.1f}%"


def clock_time(at_ms: int, tz: tzinfo) -> str:
    """`HH:MM:SS` of a moment in `tz`."""
    return f"{datetime.fromtimestamp(at_ms / 1000, tz):%H:%M:%S}"


def feed_time(at_ms: int, now_ms: int, tz: tzinfo) -> str:
    """A moment in the activity feed: `HH:MM:SS` on the day of `now_ms` in `tz`, else `Nov 20 14:03`."""
    moment = datetime.fromtimestamp(at_ms / 1000, tz)
    if moment.date() == datetime.fromtimestamp(now_ms / 1000, tz).date():
        return f"{moment:%H:%M:%S}"
    return f"{moment:%b %d %H:%M}"


def short_moment(at_ms: int, now_ms: int, tz: tzinfo) -> str:
    """A moment for a person at `now_ms`: `Thu 14:00` within six days either way, else `Dec 01 00:00`."""
    moment = datetime.fromtimestamp(at_ms / 1000, tz)
    return f"{moment:%a %H:%M}" if abs(at_ms - now_ms) < 6 * 86_400_000 else f"{moment:%b %d %H:%M}"


def date_time(at_ms: int, tz: tzinfo) -> str:
    """`YYYY-MM-DD HH:MM:SS` of a moment in `tz`."""
    return f"{datetime.fromtimestamp(at_ms / 1000, tz):%Y-%m-%d %H:%M:%S}"
