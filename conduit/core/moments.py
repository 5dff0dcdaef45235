"""Parse the `--since` / `--until` values of the dashboard, reports and export: a look-back duration (`7d`,
`12h`, `90m`, `2w`), `today`, or an ISO date or date-time (naive values are UTC), into Unix milliseconds; and
Unix milliseconds back into ISO 8601 text.

Imports the standard library only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}
_RELATIVE = re.compile(r"(?P<count>\d+)\s*(?P<unit>[mhdw])")
HINT = "use a duration such as 7d, 12h, 90m or 2w, `today`, or a UTC date such as 2026-11-01 or 2026-11-01T18:00"


def moment_ms(text: str, now_ms: int) -> int:
    """The moment (Unix ms) that `text` names at `now_ms`: a duration counts back from now, `today` is 00:00 UTC
    today, a bare date is 00:00 UTC that day. Raises ValueError naming the bad value and the accepted forms."""
    value = text.strip()
    if not value:
        raise ValueError(f"is empty; {HINT}")
    relative = _RELATIVE.fullmatch(value)
    if relative is not None:
        return now_ms - int(relative["count"]) * UNIT_MS[relative["unit"]]
    if value.lower() == "today":
        return now_ms - now_ms % UNIT_MS["d"]
    return absolute_ms(value)


def absolute_ms(value: str) -> int:
    """An ISO date or date-time as Unix ms (naive values are UTC); ValueError with the accepted forms otherwise."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is neither a duration nor a date; {HINT}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso_ms(at_ms: int) -> str:
    """A Unix-ms moment as ISO 8601 UTC with milliseconds, e.g. `2026-11-01T00:00:00.000Z`."""
    seconds, millis = divmod(at_ms, 1000)
    moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=millis * 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def window_ms(since: str | None, until: str | None, now_ms: int) -> tuple[int | None, int | None]:
    """`(since_ms, until_ms)` for optional `--since`/`--until` values; ValueError when until is not after since."""
    since_ms = moment_ms(since, now_ms) if since is not None else None
    until_ms = moment_ms(until, now_ms) if until is not None else None
    if since_ms is not None and until_ms is not None and until_ms <= since_ms:
        raise ValueError(f"--until ({until}) must be after --since ({since})")
    return since_ms, until_ms
