"""spend_by against direct SQL over usage_events: every dimension and window edge, through the rollups and
without them, on seeded events plus events written by the real EventWriter."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from conduit.store.queries import SPEND_DIMENSIONS, SpendRow, Window, spend_by
from tests.store.conftest import ENGINEER, WINDOWS, direct, where

LABELS = {
    "engineer": ENGINEER,
    "team": "CASE WHEN COALESCE(team, '') <> '' THEN team ELSE '(none)' END",
    "model": "CASE WHEN COALESCE(model, '') <> '' THEN model ELSE '(unknown)' END",
    "provider": "provider",
}
SUMS = ("COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), "
        "TOTAL(cost_usd), SUM(status IN ('upstream_error', 'proxy_error'))")


def expected(conn: sqlite3.Connection, window: Window, label_sql: str) -> dict[str, tuple[object, ...]]:
    clause, params = where(window)
    rows = direct(conn, f"SELECT {label_sql}, {SUMS} FROM usage_events{clause} GROUP BY 1", params)
    return {str(row[0]): row[1:] for row in rows}


def as_tuple(row: SpendRow) -> tuple[object, ...]:
    return (row.requests, row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens,
            row.cost_usd, row.errors)


def assert_same(got: dict[str, tuple[object, ...]], want: dict[str, tuple[object, ...]]) -> None:
    assert got.keys() == want.keys()
    for label, values in want.items():
        assert got[label][:5] == values[:5], label
        assert got[label][5] == pytest.approx(values[5], abs=1e-9), label
        assert got[label][6] == values[6], label


@pytest.mark.parametrize("by", ["engineer", "team", "model", "provider"])
@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_every_dimension_and_window_matches_direct_sql(reader: sqlite3.Connection, by: str, name: str) -> None:
    window = WINDOWS[name]
    rows = spend_by(reader, window, by)
    assert_same({row.label: as_tuple(row) for row in rows}, expected(reader, window, LABELS[by]))
    assert [row.label for row in rows] == [row.label for row in sorted(rows, key=lambda r: (-r.cost_usd, r.label))]


@pytest.mark.parametrize("tz_name", ["UTC", "Europe/Berlin", "Asia/Kolkata"])
@pytest.mark.parametrize("name", ["all", "odd-edges", "whole-days", "last-3d", "empty"])
def test_days_in_a_timezone_match_grouping_each_event(reader: sqlite3.Connection, tz_name: str, name: str) -> None:
    tz = ZoneInfo(tz_name)
    window = WINDOWS[name]
    clause, params = where(window)
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0.0, 0])
    for at_ms, *values in direct(reader, "SELECT started_at_ms, 1, input_tokens, output_tokens, cache_read_tokens, "
                                 "cache_write_tokens, cost_usd, status IN ('upstream_error', 'proxy_error') "
                                 f"FROM usage_events{clause}", params):
        day = datetime.fromtimestamp(at_ms / 1000, tz).date().isoformat()
        for index, value in enumerate(values):
            sums[day][index] += value
    rows = spend_by(reader, window, "day", tz=tz)
    assert [row.label for row in rows] == sorted(sums)
    assert_same({row.label: as_tuple(row) for row in rows}, {day: tuple(v) for day, v in sums.items()})


def test_totals_agree_across_dimensions(reader: sqlite3.Connection) -> None:
    window = WINDOWS["odd-edges"]
    totals = {by: sum(row.cost_usd for row in spend_by(reader, window, by)) for by in SPEND_DIMENSIONS}
    requests = {by: sum(row.requests for row in spend_by(reader, window, by, tz=UTC)) for by in SPEND_DIMENSIONS}
    assert len(set(requests.values())) == 1
    first = totals["engineer"]
    assert all(value == pytest.approx(first, abs=1e-9) for value in totals.values())


def test_passthrough_keys_show_their_prefix_and_missing_values_have_names(reader: sqlite3.Connection) -> None:
    engineers = {row.label for row in spend_by(reader, Window(), "engineer")}
    assert {"sk-proj-Wr1t…", "(unknown)"} <= engineers
    assert any(label.startswith("sk-ant-api03-") for label in engineers)
    assert "(none)" in {row.label for row in spend_by(reader, Window(), "team")}
    assert "(unknown)" in {row.label for row in spend_by(reader, Window(), "model")}


def test_an_unknown_dimension_names_the_choices(reader: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="engineer, team, model, provider, day"):
        spend_by(reader, Window(), "colour")
