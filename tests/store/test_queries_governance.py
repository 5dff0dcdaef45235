"""governance_summary against the flagged events themselves: per category and action, first sightings and
repeats, per engineer and per local day; only category names ever come out."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conduit.store.queries import governance_summary
from tests.store.conftest import ENGINEER, WINDOWS, direct, where


@pytest.mark.parametrize("tz_name", ["UTC", "Asia/Kathmandu"])
@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_summary_matches_the_flagged_events(reader: sqlite3.Connection, name: str, tz_name: str) -> None:
    tz = ZoneInfo(tz_name)
    window = WINDOWS[name]
    clause, params = where(window)
    flagged = direct(reader, f"SELECT started_at_ms, governance_categories, COALESCE(governance_action, 'alert'), "
                     f"governance_first, {ENGINEER}, cost_usd FROM usage_events{clause} "
                     "AND governance_categories IS NOT NULL", params)
    events: Counter[tuple[str, str]] = Counter()
    first: Counter[tuple[str, str]] = Counter()
    days: Counter[tuple[str, str]] = Counter()
    people: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for at_ms, categories, action, seen, engineer, cost in flagged:
        day = datetime.fromtimestamp(at_ms / 1000, tz).date().isoformat()
        for category in categories.split("|"):
            events[(category, action)] += 1
            first[(category, action)] += int(seen is None or seen > 0)
            days[(day, category)] += 1
        people[engineer][0] += 1
        people[engineer][1] += cost
    got = governance_summary(reader, window, tz=tz)
    assert {(r.category, r.action): (r.events, r.first, r.repeats) for r in got.rows} == {
        key: (n, first[key], n - first[key]) for key, n in events.items()}
    assert [r.events for r in got.rows] == sorted((r.events for r in got.rows), reverse=True)
    assert {(d.day, d.category): d.events for d in got.days} == dict(days)
    assert [(d.day, d.category) for d in got.days] == sorted(days)
    assert {r.label: r.requests for r in got.by_engineer} == {k: v[0] for k, v in people.items()}
    for row in got.by_engineer:
        assert row.cost_usd == pytest.approx(people[row.label][1], abs=1e-9)


def test_blocks_alerts_and_repeats_are_all_present(reader: sqlite3.Connection) -> None:
    got = governance_summary(reader, WINDOWS["all"])
    assert {"alert", "block"} <= {row.action for row in got.rows}
    assert any(row.repeats > row.first > 0 for row in got.rows)
