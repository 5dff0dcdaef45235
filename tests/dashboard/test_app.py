"""The app shell: number keys switch tabs, `?` lists every key, and an empty, missing or newer-schema database
shows a friendly notice (and the dashboard recovers by itself once events arrive)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable, TabbedContent

from conduit.dashboard.app import VIEWS, DashboardApp
from conduit.dashboard.screens.help import HelpScreen
from conduit.dashboard.widgets.notice import Notice
from conduit.store.migrations import migrate
from tests.dashboard.conftest import fresh, make_app, seeded_events, write_events_async


def notice_text(app: DashboardApp) -> str:
    notice = app.query_one("#notice", Notice)
    return f"{notice.border_title}\n{notice.render()}" if notice.display else ""


async def test_number_keys_switch_tabs_and_load_each(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 36)) as pilot:
        for number, (tab, _) in reversed(list(enumerate(VIEWS, 1))):
            view = app.view(tab)
            await pilot.press(str(number))
            for _ in range(100):  # the key's action may land after a refresh already under way
                if app.query_one("#tabs", TabbedContent).active == tab:
                    break
                await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == tab
            before = view.updates
            view.refresh_data()
            await view.wait_for_update(before)
            assert app.active_view is view
            assert app.focused is not None and view in app.focused.ancestors_with_self


async def test_only_the_visible_tab_refreshes(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test() as pilot:
        await fresh(pilot, "spend")
        counts = {tab: app.view(tab).updates for tab, _ in VIEWS}
        await fresh(pilot, "spend")
        assert {tab: app.view(tab).updates for tab, _ in VIEWS} == {**counts, "spend": counts["spend"] + 1}


async def test_question_mark_lists_every_binding(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#keys", DataTable)
        keys = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"1 … 7", "?", "r", "t", "q", "/", "f", "x", "b", "w", "s", "S"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_theme_toggles_between_light_and_dark(seeded_db: Path) -> None:
    app = make_app(seeded_db)
    async with app.run_test() as pilot:
        dark = app.current_theme.dark
        await pilot.press("t")
        await pilot.pause()
        assert app.current_theme.dark is not dark


async def test_missing_database_says_how_to_start_then_recovers(tmp_path: Path) -> None:
    db = tmp_path / "conduit.db"
    app = make_app(db)
    async with app.run_test() as pilot:
        await fresh(pilot, "overview")
        text = notice_text(app)
        assert "No usage database yet" in text and "conduit proxy" in text and str(db) in text
        assert not app.query_one("#tabs", TabbedContent).display
        await write_events_async(db, seeded_events(count=10))
        await fresh(pilot, "overview")
        assert notice_text(app) == ""
        assert app.query_one("#tabs", TabbedContent).display


async def test_empty_database_says_how_to_start(tmp_path: Path) -> None:
    db = tmp_path / "conduit.db"
    migrate(db)
    app = make_app(db)
    async with app.run_test() as pilot:
        await fresh(pilot, "activity")
        text = notice_text(app)
        assert "No requests recorded yet" in text and "conduit proxy" in text and "conduit demo" in text


async def test_database_from_a_newer_conduit_says_so(tmp_path: Path) -> None:
    db = tmp_path / "conduit.db"
    migrate(db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    app = make_app(db)
    async with app.run_test() as pilot:
        await fresh(pilot, "overview")
        text = notice_text(app)
        assert "newer Conduit" in text and "999" in text


def test_dashboard_never_imports_the_proxy() -> None:
    code = ("import sys\nimport conduit.dashboard.app\n"
            "print(sorted(m for m in ('conduit.proxy', 'aiohttp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
