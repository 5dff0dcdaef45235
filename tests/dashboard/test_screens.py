"""Every tab shows the numbers direct SQL gives on the same database, and keeps them right as events arrive
while the dashboard runs (the seeded clock is frozen, budget timezone UTC)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conduit.dashboard.formats import count, usd
from conduit.dashboard.widgets.live_table import LiveTable
from conduit.dashboard.widgets.text_line import TextLine
from conduit.dashboard.widgets.tiles import Tile
from tests.dashboard.conftest import NOW_MS, fresh, make_app, seeded_events, write_events_async

DAY_MS = 86_400_000
MIDNIGHT_MS = NOW_MS - NOW_MS % DAY_MS
ENGINEER = "COALESCE(key_name, key_prefix, '(unknown)')"


def sql(db: Path, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(query, params))


def cells(table: LiveTable, key: str) -> list[str]:
    return [cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_row(key)]


def tile_value(view: object, tile_id: str) -> str:
    tile = view.query_one(tile_id, Tile)  # type: ignore[attr-defined]
    return tile.query_one(".tile--value", TextLine).text


async def test_overview_matches_sql_and_follows_new_events(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        for round_number in range(2):
            view = await fresh(pilot, "overview")
            [(today, requests)] = sql(seeded_db, "SELECT TOTAL(cost_usd) FILTER (WHERE started_at_ms >= ?), "
                                                 "COUNT(*) FROM usage_events", (MIDNIGHT_MS,))
            assert tile_value(view, "#tile-today") == usd(float(today))  # type: ignore[arg-type]
            assert tile_value(view, "#tile-requests") == count(int(requests))  # type: ignore[arg-type]
            top = view.query_one("#top-engineers", LiveTable)
            for name, cost, number in sql(seeded_db, f"SELECT {ENGINEER}, TOTAL(cost_usd), COUNT(*) "
                                                     "FROM usage_events GROUP BY 1 ORDER BY 2 DESC LIMIT 5"):
                assert cells(top, str(name)) == [name, usd(float(cost)), count(int(number))]  # type: ignore[arg-type]
            if round_number == 0:
                await write_events_async(seeded_db, seeded_events(NOW_MS - 1_000, count=30, seed=3))


async def test_spend_by_engineer_team_and_window_match_sql(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "spend")
        table = view.query_one("#spend", LiveTable)
        expected = sql(seeded_db, f"SELECT {ENGINEER}, TOTAL(cost_usd), COUNT(*) FROM usage_events GROUP BY 1 "
                                  "ORDER BY 2 DESC")
        assert [str(row.key.value) for row in table.ordered_rows] == [name for name, _, _ in expected]
        for name, cost, number in expected:
            assert cells(table, str(name))[1] == usd(float(cost))  # type: ignore[arg-type]
            assert cells(table, str(name))[3] == count(int(number))  # type: ignore[arg-type]
        await pilot.press("b")
        view = await fresh(pilot, "spend")
        teams = sql(seeded_db, "SELECT COALESCE(NULLIF(team, ''), '(none)'), TOTAL(cost_usd) FROM usage_events "
                               "GROUP BY 1 ORDER BY 2 DESC")
        assert [(row[0], row[1]) for row in (cells(table, str(t)) for t, _ in teams)] == [
            (str(t), usd(float(c))) for t, c in teams  # type: ignore[arg-type]
        ]
        await pilot.press("w")
        view = await fresh(pilot, "spend")
        [(today,)] = sql(seeded_db, "SELECT TOTAL(cost_usd) FROM usage_events WHERE started_at_ms >= ?",
                         (MIDNIGHT_MS,))
        heading = view.query_one("#spend-heading", TextLine).text
        assert heading.startswith(f"Spend by team · today · {usd(float(today))} over ")  # type: ignore[arg-type]


async def test_spend_sorts_by_column_and_flips(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "spend")
        table = view.query_one("#spend", LiveTable)
        await pilot.press("s", "s")
        errors = [int(cells(table, str(row.key.value))[4].replace(",", "")) for row in table.ordered_rows]
        assert errors == sorted(errors, reverse=True) and len(set(errors)) > 1
        assert "errors ▼" in str(table.columns["n_errors"].label)  # type: ignore[index]
        await pilot.press("S")
        errors = [int(cells(table, str(row.key.value))[4].replace(",", "")) for row in table.ordered_rows]
        assert errors == sorted(errors)


async def test_budgets_show_spend_in_the_current_period(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "budgets")
        table = view.query_one("#budgets", LiveTable)
        [(platform_today,)] = sql(seeded_db, "SELECT TOTAL(cost_usd) FROM usage_events WHERE team = 'platform' "
                                             "AND started_at_ms >= ?", (MIDNIGHT_MS,))
        row = cells(table, "team:platform")
        assert row[0] == "team platform · day"
        assert row[2] == usd(float(platform_today))  # type: ignore[arg-type]
        assert row[3] == usd(0.5)
        assert {str(r.key.value) for r in table.ordered_rows} >= {"org:org", "team:platform", "team:data"}


async def test_governance_counts_match_sql(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "governance")
        table = view.query_one("#categories", LiveTable)
        for category, action, number in sql(seeded_db, "SELECT governance_categories, governance_action, COUNT(*) "
                                                       "FROM usage_events WHERE governance_categories IS NOT NULL "
                                                       "GROUP BY 1, 2"):
            assert cells(table, f"{category}:{action}")[2] == count(int(number))  # type: ignore[arg-type]


async def test_context_rot_buckets_match_sql(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "rot")
        table = view.query_one("#rot-table", LiveTable)
        # Forwarded requests only; a request without reported tokens counts a token per four body bytes.
        tokens = "input_tokens + cache_read_tokens + cache_write_tokens"
        size = f"(CASE WHEN {tokens} > 0 THEN {tokens} ELSE (request_bytes + 3) / 4 END)"
        forwarded = "status IN ('success', 'upstream_error', 'client_aborted', 'proxy_error')"
        for label, low, high in (("<8K", 0, 8_000), ("64–128K", 64_000, 128_000), (">200K", 200_000, 10**12)):
            [(number,)] = sql(seeded_db, f"SELECT COUNT(*) FROM usage_events WHERE {forwarded} AND {size} >= ? "
                                         f"AND {size} < ?", (low, high))
            assert cells(table, label)[1] == count(int(number))  # type: ignore[arg-type]
        assert table.row_count == 6


async def test_sessions_match_sql(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "sessions")
        table = view.query_one("#sessions", LiveTable)
        expected = sql(seeded_db, "SELECT session_id, COUNT(*), TOTAL(cost_usd) FROM usage_events "
                                  "WHERE session_id IS NOT NULL GROUP BY 1")
        assert table.row_count == len(expected)
        for session_id, turns, cost in expected:
            row = cells(table, str(session_id))
            assert (row[3], row[6]) == (count(int(turns)), usd(float(cost)))  # type: ignore[arg-type]
