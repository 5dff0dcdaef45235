"""Fixtures for the dashboard tests: a small deterministic usage database written through the real writer,
a frozen clock, and a dashboard app built on them."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent

from conduit.core.event import UsageEvent
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.core.status import Status
from conduit.dashboard.app import DashboardApp
from conduit.dashboard.screens.base import View
from conduit.dashboard.settings import DashboardSettings
from conduit.store.migrations import migrate
from conduit.store.writer import EventWriter

NOW_MS = int(datetime(2026, 11, 19, 15, 30, tzinfo=UTC).timestamp() * 1000)
HOUR_MS = 3_600_000
ENGINEERS = (("alice", "platform"), ("bob", "platform"), ("carol", "data"), ("dave", "data"), ("erin", None))
MODELS = (("claude-sonnet-4-5", "anthropic", 3.0, 15.0), ("claude-haiku-4-5", "anthropic", 1.0, 5.0),
          ("gpt-5", "openai", 1.25, 10.0))
SIZES = (3_000, 12_000, 40_000, 90_000, 150_000, 230_000)
TEAMS = {
    "platform": Team("platform", Budget(0.5, "day")),
    "data": Team("data", Budget(8.0, "week")),
}
BUDGET = BudgetSettings(org=Budget(20.0, "month"))


def seeded_events(now_ms: int = NOW_MS, count: int = 240, seed: int = 7) -> list[UsageEvent]:
    """`count` varied events over the three days before `now_ms`, the same every time."""
    rng = random.Random(seed)
    events = []
    for index in range(count):
        started = now_ms - int((count - index) / count * 70 * HOUR_MS) - rng.randrange(60_000)
        name, team = ENGINEERS[index % len(ENGINEERS)]
        model, provider, input_price, output_price = MODELS[(index // 2) % len(MODELS)]
        size = SIZES[(index * 7 + index // 5) % len(SIZES)]
        events.append(_event(rng, index, started, name, team, model, provider, size, input_price, output_price))
    return events


def _event(rng: random.Random, index: int, started: int, name: str, team: str | None, model: str, provider: str,
           size: int, input_price: float, output_price: float) -> UsageEvent:
    status = _status(rng, index, size)
    billed = status in (Status.SUCCESS, Status.CLIENT_ABORTED)
    cache_read = size * 3 // 4 if billed and index % 3 else 0
    input_tokens = size - cache_read if billed else 0
    output_tokens = 200 + rng.randrange(2_000) if billed else 0
    cost = (input_tokens * input_price + output_tokens * output_price + cache_read * input_price / 10) / 1e6
    flagged = index % 17 == 0 or status == Status.GOVERNANCE_BLOCKED
    return UsageEvent(
        started_at_ms=started, request_id=f"req_{index:04d}", provider=provider,
        api="anthropic_messages" if provider == "anthropic" else "openai_responses", status=status,
        http_status=200 if status == Status.SUCCESS else 400, model=model, key_id=f"key_{name}", key_name=name,
        key_prefix=f"vk_live_{name[:2]}", team=team, session_id=f"sess-{name}-{index // 20}" if index % 4 else None,
        client=("claude-code", "codex", "aider")[index % 3], streamed=bool(index % 2), input_tokens=input_tokens,
        output_tokens=output_tokens, cache_read_tokens=cache_read, cost_usd=round(cost, 6),
        latency_ms=400.0 + size / 100 + rng.randrange(500), ttfb_ms=150.0 + size / 400 if billed else None,
        request_bytes=size * 4, response_bytes=output_tokens * 4,
        governance_categories=("aws_access_key" if index % 2 else "jwt") if flagged else None,
        governance_action=("block" if status == Status.GOVERNANCE_BLOCKED else "alert") if flagged else None,
        governance_first=1 if flagged and index < 60 else (0 if flagged else None),
    )


def _status(rng: random.Random, index: int, size: int) -> Status:
    """Mostly success; failures grow with context size, and every status appears at least once."""
    specials = {5: Status.AUTH_FAILED, 11: Status.RATE_LIMITED, 23: Status.MODEL_BLOCKED,
                31: Status.BUDGET_EXCEEDED, 37: Status.GOVERNANCE_BLOCKED, 43: Status.CLIENT_ABORTED,
                53: Status.PROXY_ERROR}
    if index in specials:
        return specials[index]
    return Status.UPSTREAM_ERROR if rng.random() < size / 600_000 else Status.SUCCESS


def write_events(db: Path, events: Iterable[UsageEvent]) -> None:
    """Write events through Conduit's own batched writer (creating and migrating the database)."""
    asyncio.run(write_events_async(db, events))


async def write_events_async(db: Path, events: Iterable[UsageEvent]) -> None:
    """`write_events` from inside a running event loop."""
    migrate(db)
    writer = EventWriter(db)
    await writer.start()
    for event in events:
        writer.submit(event)
    await writer.close()


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    """A usage database holding `seeded_events()`."""
    db = tmp_path / "conduit.db"
    write_events(db, seeded_events())
    return db


def dashboard_settings(db: Path, **overrides: object) -> DashboardSettings:
    """Settings for a test: the seeded teams and budgets, a frozen clock, no timer (tests refresh by hand)."""
    values: dict[str, object] = {"teams": TEAMS, "budget": BUDGET, "clock": lambda: NOW_MS, "refresh_s": None}
    values.update(overrides)
    return DashboardSettings(database=db, **values)  # type: ignore[arg-type]


def make_app(db: Path, **overrides: object) -> DashboardApp:
    """A dashboard on `db` with `dashboard_settings`, without animations."""
    app = DashboardApp(dashboard_settings(db, **overrides))
    app.animation_level = "none"
    return app


async def fresh(pilot: Pilot[None], tab: str) -> View[Any]:
    """Show tab `tab`, then refresh it and wait until data fetched after this call has been drawn."""
    app = pilot.app
    assert isinstance(app, DashboardApp)
    await pilot.pause()  # let start-up messages (the first tab's activation) settle first
    app.action_show_tab(tab)
    await pilot.pause()
    assert app.query_one("#tabs", TabbedContent).active == tab
    view = app.view(tab)
    while view.fetching:
        await view.wait_for_update(view.updates)
    before = view.updates
    view.refresh_data()
    await view.wait_for_update(before)
    await settle(pilot)
    return view


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every table on the screen has laid out the rows it was given (tables do that when idle)."""
    await pilot.wait_for_scheduled_animations()
    for _ in range(100):
        tables = [table for table in pilot.app.screen.query(DataTable) if table.display]
        if all(table.virtual_size.height >= table.row_count + int(table.show_header) for table in tables):
            break
        await pilot.pause()
    await pilot.pause()
