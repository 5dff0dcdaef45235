"""The Activity feed: newest at the bottom, a filter (text and status:<name>) matching direct SQL, follow mode,
new events appended after a refresh, and Enter opening one event's metadata."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from conduit.dashboard.screens.activity import FIRST_ROWS, ActivityView, Filter
from conduit.dashboard.screens.event_detail import EventDetail
from conduit.dashboard.widgets.live_table import LiveTable
from tests.dashboard.conftest import NOW_MS, fresh, make_app, seeded_events, write_events_async


def sql_ids(db: Path, where: str = "1", params: tuple[object, ...] = ()) -> list[int]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute(f"SELECT id FROM usage_events WHERE {where} ORDER BY id", params)]


def shown_ids(view: ActivityView) -> list[int]:
    table = view.query_one("#feed", LiveTable)
    return [int(str(row.key.value)) for row in table.ordered_rows]


def test_filter_parses_status_and_text() -> None:
    assert Filter.parse("status:Rate_Limited  alice bob") == Filter("alice bob", "rate_limited")
    assert Filter.parse("alice") == Filter("alice", None)


async def test_feed_shows_every_event_oldest_first_and_follows(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        assert shown_ids(view) == sql_ids(seeded_db)[-FIRST_ROWS:]
        table = view.query_one("#feed", LiveTable)
        assert table.cursor_row == table.row_count - 1


async def test_status_and_text_filters_match_sql(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        await pilot.press("slash", *"status:upstream_error")
        await pilot.press("enter")
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        assert shown_ids(view) == sql_ids(seeded_db, "status = 'upstream_error'")
        assert app.focused is view.query_one("#feed", LiveTable)
        await pilot.press("slash", "end", "space", *"carol", "enter")
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        assert shown_ids(view) == sql_ids(seeded_db, "status = 'upstream_error' AND key_name = 'carol'")
        assert shown_ids(view)
        await pilot.press("x")
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        assert shown_ids(view) == sql_ids(seeded_db)[-FIRST_ROWS:]


async def test_new_events_are_appended_and_follow_can_be_paused(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        table = view.query_one("#feed", LiveTable)
        await pilot.press("f")
        assert not view.following
        await pilot.press("up", "up")
        paused_at = table.cursor_row
        before = shown_ids(view)
        await write_events_async(seeded_db, seeded_events(NOW_MS + 60_000, count=5, seed=99))
        view = await fresh(pilot, "activity")
        added = sql_ids(seeded_db, "id > ?", (before[-1],))
        assert len(added) == 5 and shown_ids(view) == before + added
        assert table.cursor_row == paused_at
        await pilot.press("f")
        assert table.cursor_row == table.row_count - 1


async def test_enter_opens_the_selected_events_metadata(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "activity")
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetail)
        assert app.screen.event.id == sql_ids(seeded_db)[-2]
        fields = app.screen.query_one("#fields")
        assert fields.row_count > 20  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EventDetail)
        assert view.query_one("#feed", LiveTable).row_count == FIRST_ROWS


async def test_times_of_earlier_days_carry_their_date(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    tz = app.settings.tz
    async with app.run_test(size=(120, 36)) as pilot:
        view = await fresh(pilot, "activity")
        table = view.query_one("#feed", LiveTable)
        shown = {int(str(row.key.value)): str(table.get_row(row.key)[0]) for row in table.ordered_rows}
    with sqlite3.connect(seeded_db) as conn:
        starts = dict(conn.execute("SELECT id, started_at_ms FROM usage_events"))
    today = datetime.fromtimestamp(NOW_MS / 1000, tz).date()
    expected = {}
    for event_id in shown:
        moment = datetime.fromtimestamp(starts[event_id] / 1000, tz)
        expected[event_id] = f"{moment:%H:%M:%S}" if moment.date() == today else f"{moment:%b %d %H:%M}"
    assert shown == expected
    assert any(len(text) == 8 for text in shown.values()) and any(len(text) == 12 for text in shown.values())
