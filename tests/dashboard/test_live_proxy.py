"""The dashboard against a real proxy under load: requests sent while it runs appear after a refresh with the
numbers direct SQL gives, and nothing a prompt carried (the canary) or the client's key ever reaches a screen."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

import aiohttp
import orjson

from conduit.dashboard.formats import count
from conduit.dashboard.screens.activity import ActivityView
from conduit.dashboard.screens.event_detail import EventDetail
from conduit.dashboard.settings import wall_clock_ms
from conduit.dashboard.widgets.live_table import LiveTable
from tests.dashboard.conftest import fresh, make_app
from tests.dashboard.test_screens import tile_value

CANARY = f"CANARY-{uuid.uuid4().hex}"
KEY = f"sk-ant-api03-{uuid.uuid4().hex}"
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json",
           "x-claude-code-session-id": "5e55-10n", "user-agent": "claude-cli/2.1.0 (external, cli)"}


async def send(proxy: Any, requests: int) -> None:
    async with aiohttp.ClientSession() as session:
        for index in range(requests):
            body = orjson.dumps({"model": "claude-sonnet-4-5", "max_tokens": 64, "stream": bool(index % 2),
                                 "messages": [{"role": "user", "content": f"turn {index} {CANARY}"}]})
            async with session.post(f"{proxy.url}/anthropic/v1/messages", data=body, headers=HEADERS) as resp:
                await resp.read()
    await proxy.events()  # flushes the writer


def sql_count(proxy: Any) -> int:
    with sqlite3.connect(proxy.db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0])


async def test_live_numbers_and_no_canary_on_any_screen(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url)
    await send(proxy, 3)
    app = make_app(proxy.db, clock=wall_clock_ms)
    screens: list[str] = []
    async with app.run_test(size=(160, 40)) as pilot:
        view = await fresh(pilot, "activity")
        assert isinstance(view, ActivityView)
        assert view.query_one("#feed", LiveTable).row_count == sql_count(proxy) == 3
        await send(proxy, 4)
        view = await fresh(pilot, "activity")
        assert view.query_one("#feed", LiveTable).row_count == sql_count(proxy) == 7
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetail)
        screens.append(app.export_screenshot())
        await pilot.press("escape")
        overview = await fresh(pilot, "overview")
        assert tile_value(overview, "#tile-requests") == count(sql_count(proxy))
        for tab in ("overview", "activity", "spend", "budgets", "governance", "rot", "sessions"):
            await fresh(pilot, tab)
            screens.append(app.export_screenshot())
    assert "5e55-10n" in "".join(screens).replace("&#160;", " ")  # the session id is shown: screens are real
    for svg in screens:
        assert CANARY not in svg and KEY not in svg
