"""Fixtures for the store query tests: a seeded usage database (bench/seed.py) with more events written through
the real EventWriter on top, a frozen clock, windows that hit every edge, and direct SQL to check against."""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bench.seed import seed_database
from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.store.queries import Window
from conduit.store.writer import EventWriter

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
NOW_MS = int(datetime(2026, 11, 19, 15, 37, 12, 345_000, tzinfo=UTC).timestamp() * 1000)
TODAY_MS = NOW_MS - NOW_MS % DAY_MS
HOUR_START_MS = NOW_MS - NOW_MS % HOUR_MS

WINDOWS = {
    "all": Window(),
    "last-3d": Window(NOW_MS - 3 * DAY_MS, None),
    "odd-edges": Window(NOW_MS - 5 * DAY_MS + 123_457, NOW_MS - DAY_MS - 98_765),
    "inside-an-hour": Window(HOUR_START_MS - 5 * HOUR_MS + 300_000, HOUR_START_MS - 5 * HOUR_MS + 2_400_000),
    "whole-days": Window(TODAY_MS - 4 * DAY_MS, TODAY_MS - 2 * DAY_MS),
    "whole-hours": Window(HOUR_START_MS - 30 * HOUR_MS, HOUR_START_MS - 7 * HOUR_MS),
    "until-only": Window(None, NOW_MS - 2 * DAY_MS + 1),
    "future": Window(NOW_MS + DAY_MS, None),
    "empty": Window(NOW_MS - DAY_MS, NOW_MS - DAY_MS),
}


def writer_events(count: int = 400, seed: int = 3) -> list[UsageEvent]:
    """Events the seeder never makes: NULL model/team/keys, odd timestamps, every status, governance flags."""
    rng = random.Random(seed)
    statuses = list(Status)
    events = []
    for index in range(count):
        at = NOW_MS - rng.randrange(6 * DAY_MS)
        status = statuses[index % len(statuses)]
        named = index % 4 != 0
        flagged = index % 9 == 0
        events.append(UsageEvent(
            started_at_ms=at, request_id=f"w-{index}", provider="openai" if index % 3 else "anthropic",
            api="openai_chat", status=status, http_status=200, model=None if index % 11 == 0 else "gpt-6.1-sol",
            key_id=f"key_w{index % 3}" if named else None, key_name=f"writer{index % 3}" if named else None,
            key_prefix="sk-proj-Wr1t…" if index % 4 == 0 and index % 8 else None,
            team=None if index % 5 == 0 else "payments", session_id=f"w-sess-{index % 17}" if index % 2 else None,
            client="codex", streamed=bool(index % 2), input_tokens=rng.randrange(0, 9_000),
            output_tokens=rng.randrange(0, 2_000), cache_read_tokens=rng.choice((0, 40_000, 150_000, 260_000)),
            cache_write_tokens=rng.randrange(0, 3_000), cost_usd=rng.random() / 10, latency_ms=rng.uniform(0.5, 9e4),
            ttfb_ms=None if index % 6 == 0 else rng.uniform(50, 4_000), request_bytes=rng.randrange(0, 900_000),
            governance_categories=("jwt|aws_access_key" if index % 2 else "github_token") if flagged else None,
            governance_action=("block" if index % 4 == 0 else "alert") if flagged else None,
            governance_first=(None if index % 27 == 0 else index % 2) if flagged else None,
        ))
    return events


async def write_through_writer(path: Path, events: list[UsageEvent], batch_rows: int = 64) -> None:
    """Write events with the proxy's EventWriter, in several batches."""
    writer = EventWriter(path, batch_rows=batch_rows, flush_interval_s=0.01)
    await writer.start()
    for event in events:
        writer.submit(event)
    await writer.flush()
    await writer.close()
    assert writer.written == len(events)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database (3,000 events over 12 days) plus 400 events written through the EventWriter."""
    path = tmp_path_factory.mktemp("seeded") / "usage.db"
    seed_database(path, 3_000, days=12, rng_seed=11, now_ms=NOW_MS)
    asyncio.run(write_through_writer(path, writer_events()))
    return path


@pytest.fixture(scope="session")
def raw_db(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same database marked as schema v5, so queries must read usage_events alone."""
    path = tmp_path_factory.mktemp("raw") / "usage.db"
    shutil.copy(seeded_db, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    return path


@pytest.fixture(params=["rollups", "raw"])
def either_db(request: pytest.FixtureRequest, seeded_db: Path, raw_db: Path) -> Path:
    """The seeded database, read through its rollups and read from usage_events alone."""
    return seeded_db if request.param == "rollups" else raw_db


@pytest.fixture
def reader(either_db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection as the dashboard opens it, to either database."""
    from conduit.store.queries import open_reader

    connection = open_reader(either_db)
    yield connection
    connection.close()


def where(window: Window, column: str = "started_at_ms") -> tuple[str, list[int]]:
    """The window as a SQL condition over usage_events (always a WHERE clause)."""
    terms, params = ["1"], []
    if window.since_ms is not None:
        terms.append(f"{column} >= ?")
        params.append(window.since_ms)
    if window.until_ms is not None:
        terms.append(f"{column} < ?")
        params.append(window.until_ms)
    return " WHERE " + " AND ".join(terms), params


def direct(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query straight over usage_events."""
    return [tuple(row) for row in conn.execute(sql, params)]


ENGINEER = ("CASE WHEN COALESCE(key_name, '') <> '' THEN key_name WHEN COALESCE(key_prefix, '') <> '' "
            "THEN key_prefix ELSE '(unknown)' END")
