"""What governance found in a window: per category and action the flagged events, how many brought a value
new to its agent session (`first`) and how many only resent one (`repeats`), who sent them, and per day.

An event counts once per category it was flagged with; it is `first` when its `governance_first` is above
zero (or unknown, for events recorded before Conduit counted first sightings).
Imports the standard library and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, tzinfo

from conduit.store.queries.overview import Ranked
from conduit.store.queries.spend_by import bounded
from conduit.store.queries.window import Window, days, summed

_ROLLUP = "usage_governance_hourly"
_COLUMNS = ("categories", "action", "first", "engineer", "events", "cost_usd")


@dataclass(frozen=True, slots=True)
class GovernanceRow:
    """One category and action (`alert` or `block`): flagged events, first sightings and repeats."""

    category: str
    action: str
    events: int
    first: int
    repeats: int


@dataclass(frozen=True, slots=True)
class GovernanceDay:
    """Flagged events of one category on one local day (`YYYY-MM-DD`)."""

    day: str
    category: str
    events: int


@dataclass(frozen=True, slots=True)
class GovernanceSummary:
    """Rows by category (most events first), engineers by flagged events, and the days."""

    rows: list[GovernanceRow]
    by_engineer: list[Ranked]
    days: list[GovernanceDay]


def governance_summary(conn: sqlite3.Connection, window: Window, *, tz: tzinfo = UTC) -> GovernanceSummary:
    """The governance findings of events started inside `window`, days in `tz`."""
    found = summed(conn, window, _ROLLUP, _COLUMNS, ("categories", "action", "first", "engineer"),
                   ("SUM(events)", "TOTAL(cost_usd)"))
    rows: dict[tuple[str, str], list[int]] = {}
    engineers: dict[str, list[float]] = {}
    for (categories, action, first, engineer), (events, cost) in found.items():
        for category in _split(categories):
            counts = rows.setdefault((category, str(action)), [0, 0])
            counts[0] += int(events)
            counts[1] += int(events) if first else 0
        person = engineers.setdefault(str(engineer), [0, 0.0])
        person[0] += events
        person[1] += cost
    return GovernanceSummary(
        rows=sorted((GovernanceRow(cat, act, n, f, n - f) for (cat, act), (n, f) in rows.items()),
                    key=lambda row: (-row.events, row.category, row.action)),
        by_engineer=sorted((Ranked(name, int(n), float(cost)) for name, (n, cost) in engineers.items()),
                           key=lambda row: (-row.requests, row.label)),
        days=_days(conn, window, tz),
    )


def _days(conn: sqlite3.Connection, window: Window, tz: tzinfo) -> list[GovernanceDay]:
    """Flagged events per local day and category, in date then category order."""
    limits = bounded(conn, window)
    if limits is None:
        return []
    result: list[GovernanceDay] = []
    for label, part in days(limits, tz):
        per_category: dict[str, int] = {}
        for (categories,), (events,) in summed(conn, part, _ROLLUP, ("categories", "events"), ("categories",),
                                               ("SUM(events)",)).items():
            for category in _split(categories):
                per_category[category] = per_category.get(category, 0) + int(events)
        result += [GovernanceDay(label, category, n) for category, n in sorted(per_category.items()) if n]
    return result


def _split(categories: object) -> list[str]:
    """The category names of a `|`-joined list."""
    return [name for name in str(categories).split("|") if name]
