from __future__ import annotations

import pytest

from conduit.core.moments import moment_ms, window_ms

NOW = 1_795_000_000_000  # 2026-11-18T...


def test_durations_count_back_from_now() -> None:
    assert moment_ms("7d", NOW) == NOW - 7 * 86_400_000
    assert moment_ms("12h", NOW) == NOW - 12 * 3_600_000
    assert moment_ms("90m", NOW) == NOW - 90 * 60_000
    assert moment_ms("2w", NOW) == NOW - 14 * 86_400_000


def test_today_is_midnight_utc() -> None:
    assert moment_ms("today", NOW) == NOW - NOW % 86_400_000


def test_dates_are_utc_and_offsets_are_honoured() -> None:
    assert moment_ms("2026-11-01", NOW) == 1_793_491_200_000
    assert moment_ms("2026-11-01T01:00", NOW) == 1_793_491_200_000 + 3_600_000
    assert moment_ms("2026-11-01T01:00+01:00", NOW) == 1_793_491_200_000


@pytest.mark.parametrize("bad", ["", "yesterday", "7 days", "-3d", "2026-13-01"])
def test_bad_values_say_what_is_accepted(bad: str) -> None:
    with pytest.raises(ValueError, match="duration such as 7d"):
        moment_ms(bad, NOW)


def test_window_needs_until_after_since() -> None:
    assert window_ms(None, None, NOW) == (None, None)
    assert window_ms("7d", "1d", NOW) == (NOW - 7 * 86_400_000, NOW - 86_400_000)
    with pytest.raises(ValueError, match="must be after"):
        window_ms("1d", "7d", NOW)
