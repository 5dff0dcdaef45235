"""`--expires` values: durations from now, UTC dates and date-times, and clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conduit.cli.durations import parse_expiry

NOW_MS = int(datetime(2026, 1, 15, 12, 0, tzinfo=UTC).timestamp() * 1000)
MINUTE_MS = 60_000


def utc_ms(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp() * 1000)


GOOD = [
    ("90m", NOW_MS + 90 * MINUTE_MS),
    ("12h", NOW_MS + 12 * 60 * MINUTE_MS),
    ("30d", NOW_MS + 30 * 24 * 60 * MINUTE_MS),
    ("2w", NOW_MS + 14 * 24 * 60 * MINUTE_MS),
    (" 1d ", NOW_MS + 24 * 60 * MINUTE_MS),
    ("2026-12-31", utc_ms(2026, 12, 31)),
    ("2026-12-31T18:30", utc_ms(2026, 12, 31, 18, 30)),
    ("2026-12-31 18:30:00", utc_ms(2026, 12, 31, 18, 30)),
    ("2026-12-31T18:30:00Z", utc_ms(2026, 12, 31, 18, 30)),
    ("2026-12-31T18:30:00+02:00", utc_ms(2026, 12, 31, 16, 30)),
]


@pytest.mark.parametrize(("text", "expected"), GOOD)
def test_accepted(text: str, expected: int) -> None:
    assert parse_expiry(text, NOW_MS) == expected


BAD = [
    ("", "is empty"),
    ("30", "neither a duration nor a date"),
    ("30x", "neither a duration nor a date"),
    ("soon", "neither a duration nor a date"),
    ("-5d", "neither a duration nor a date"),
    ("0d", "not in the future"),
    ("2026-01-15", "not in the future"),
    ("2026-01-15T12:00", "not in the future"),
    ("2020-01-01", "not in the future"),
    ("999999999w", "too far in the future"),
]


@pytest.mark.parametrize(("text", "says"), BAD)
def test_refused_with_a_hint(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as caught:
        parse_expiry(text, NOW_MS)
    assert "30d" in str(caught.value) or "9999" in str(caught.value)
