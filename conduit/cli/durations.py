"""Parse the `--expires` value of `conduit keys create`: a duration from now (`30d`) or a UTC date/time.

Imports the standard library and `conduit.core.moments` only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from conduit.core.moments import UNIT_MS, absolute_ms

_RELATIVE = re.compile(r"(?P<count>\d+)\s*(?P<unit>[mhdw])")
_LATEST = datetime(9999, 1, 1, tzinfo=UTC)
_HINT = "use a duration such as 30d, 12h, 90m or 2w, or a UTC date such as 2026-12-31 or 2026-12-31T18:00"


def parse_expiry(text: str, now_ms: int) -> int:
    """The expiry time (Unix ms) that `text` means at `now_ms`; raise ValueError unless it is in the future.

    A bare date means 00:00 UTC that day; a date-time without an offset is read as UTC.
    """
    value = text.strip()
    if not value:
        raise ValueError(f"is empty; {_HINT}")
    relative = _RELATIVE.fullmatch(value)
    if relative is not None:
        expires_ms = now_ms + int(relative["count"]) * UNIT_MS[relative["unit"]]
    else:
        expires_ms = _absolute_ms(value)
    if expires_ms <= now_ms:
        raise ValueError(f"{value!r} is not in the future; {_HINT}")
    if expires_ms >= int(_LATEST.timestamp() * 1000):
        raise ValueError(f"{value!r} is too far in the future; pick a date before the year 9999")
    return expires_ms


def _absolute_ms(value: str) -> int:
    """An ISO date or date-time as Unix ms (naive values are UTC)."""
    try:
        return absolute_ms(value)
    except ValueError:
        raise ValueError(f"{value!r} is neither a duration nor a date; {_HINT}") from None
