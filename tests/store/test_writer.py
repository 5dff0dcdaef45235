"""The batched writer against a real SQLite file: exact round-trip, batching, flush, close, drops, failures."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.store.errors import StoreError
from conduit.store.migrations import MIGRATIONS, migrate
from conduit.store.writer import EVENT_COLUMNS, EventWriter, event_row

BOOL_FIELDS = {field.name for field in fields(UsageEvent) if field.type == "bool"}
STATUSES = list(Status)
CANARY = "canary-7f3a9c-never-logged"


def _event(i: int, marker: str = "req") -> UsageEvent:
    """A varied event: every status, optional fields both set and unset, fractional floats, both bools."""
    odd = i % 2 == 1
    return UsageEvent(
        started_at_ms=1_700_000_000_000 + i,
        request_id=f"{marker}-{i}",
        provider="anthropic" if odd else "openai",
        api="anthropic_messages" if odd else "openai_responses",
        status=STATUSES[i % len(STATUSES)],
        http_status=None if i % 7 == 0 else 200 + i % 300,
        model=None if i % 5 == 0 else f"model-{i % 3}",
        key_id=f"key-{i % 4}" if odd else None,
        key_name="ada" if odd else None,
        key_prefix="sk-ant-…x1" if odd else None,
        team="platform" if i % 3 == 0 else None,
        session_id=f"session-{i // 10}" if odd else None,
        client="claude_code" if odd else "other",
        streamed=odd,
        input_tokens=i * 3,
        output_tokens=i * 2 + 1,
        cache_read_tokens=i * 11,
        cache_write_tokens=i % 13,
        tokens_estimated=i % 4 == 0,
        cost_usd=i * 0.000123,
        priced=i % 6 != 0,
        latency_ms=i * 1.25 + 0.1,
        ttfb_ms=None if odd else i / 3,
        request_bytes=i * 1000,
        response_bytes=i * 77,
        governance_categories="aws_key,jwt" if i % 9 == 0 else None,
        governance_action="alert" if i % 9 == 0 else None,
        error_code="overloaded" if i % 11 == 0 else None,
    )


def _read_events(path: Path) -> list[UsageEvent]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM usage_events ORDER BY id").fetchall()
    conn.close()
    events = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        values["status"] = Status(values["status"])
        for name in BOOL_FIELDS:
            assert values[name] in (0, 1)
            values[name] = bool(values[name])
        events.append(UsageEvent(**values))
    return events


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    count: int = conn.execute("SELECT count(*) FROM usage_events").fetchone()[0]
    conn.close()
    return count


async def _until(condition: Callable[[], bool]) -> None:
    """Wait for a condition the writer's background task makes true, failing after a generous deadline."""
    async with asyncio.timeout(10):
        while not condition():
            await asyncio.sleep(0.001)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "usage.db"
    migrate(path)
    return path


@asynccontextmanager
async def running(path: Path, **options: Any) -> AsyncIterator[EventWriter]:
    writer = EventWriter(path, **options)
    await writer.start()
    try:
        yield writer
    finally:
        await writer.close()


def test_event_row_is_fields_in_order_with_status_text_and_bool_ints() -> None:
    event = _event(3)
    row = event_row(event)
    assert len(row) == len(EVENT_COLUMNS) == len(fields(UsageEvent))
    as_stored = dict(zip(EVENT_COLUMNS, row, strict=True))
    assert as_stored["status"] == "rate_limited" and type(as_stored["status"]) is str
    assert all(type(as_stored[name]) is int for name in BOOL_FIELDS)
    assert as_stored["streamed"] == 1 and as_stored["tokens_estimated"] == 0
    assert as_stored["request_id"] == "req-3" and as_stored["cost_usd"] == event.cost_usd


async def test_thousand_events_round_trip_exactly(db: Path) -> None:
    events = [_event(i) for i in range(1000)]
    async with running(db) as writer:
        for event in events:
            writer.submit(event)
        assert writer.queued == 1000
        await writer.flush()
        assert (writer.written, writer.queued, writer.dropped, writer.failed) == (1000, 0, 0, 0)
        assert _read_events(db) == events


async def test_a_full_batch_commits_without_waiting_for_the_interval(db: Path) -> None:
    async with running(db, batch_rows=50, flush_interval_s=3600) as writer:
        for i in range(120):
            writer.submit(_event(i))
        await _until(lambda: writer.written >= 100)
        assert writer.written == 100 and writer.queued == 20
        assert _count(db) == 100
        await writer.flush()
        assert _count(db) == 120


async def test_a_lone_event_commits_after_the_interval(db: Path) -> None:
    async with running(db, batch_rows=500, flush_interval_s=0.02) as writer:
        writer.submit(_event(1))
        await _until(lambda: writer.written == 1)
        assert _read_events(db) == [_event(1)]


async def test_close_flushes_and_later_submits_are_dropped(db: Path) -> None:
    writer = EventWriter(db, flush_interval_s=3600)
    await writer.start()
    for i in range(30):
        writer.submit(_event(i))
    await writer.close()
    assert _count(db) == 30 and writer.written == 30
    writer.submit(_event(99))
    await writer.flush()
    assert writer.dropped == 1 and _count(db) == 30


async def test_a_full_queue_drops_and_counts(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="conduit.store.writer")
    async with running(db, max_queue=10, flush_interval_s=3600) as writer:
        for i in range(15):
            writer.submit(_event(i))
        assert (writer.queued, writer.dropped) == (10, 5)
        await writer.flush()
        assert writer.written == 10 and _count(db) == 10
    assert len([r for r in caplog.records if "dropping" in r.getMessage()]) == 1


async def test_a_failed_batch_is_counted_logged_without_content_and_survived(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running(db) as writer:
        writer.submit(_event(0))
        await writer.flush()
        side = sqlite3.connect(db)
        side.execute("DROP TABLE usage_events")
        for i in range(5):
            writer.submit(_event(i, marker=CANARY))
        await writer.flush()
        assert (writer.written, writer.failed, writer.queued) == (1, 5, 0)
        side.executescript(MIGRATIONS[0].sql)
        for step in MIGRATIONS[1:]:  # later columns of usage_events
            if "ALTER TABLE usage_events" in step.sql:
                side.executescript(step.sql)
        side.close()
        writer.submit(_event(7))
        await writer.flush()
        assert writer.written == 2 and _read_events(db) == [_event(7)]
    assert "batch of 5 usage events" in caplog.text
    assert CANARY not in caplog.text


async def test_wal_file_is_private_while_writing(db: Path) -> None:
    async with running(db) as writer:
        writer.submit(_event(1))
        await writer.flush()
        wal = db.with_name(db.name + "-wal")
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600


async def test_flush_before_start_is_an_error(db: Path) -> None:
    writer = EventWriter(db)
    writer.submit(_event(1))
    with pytest.raises(StoreError, match="not running"):
        await writer.flush()
    assert writer.queued == 1


def test_a_nul_in_text_is_stored_as_the_replacement_character() -> None:
    event = UsageEvent(1, "r\x00id", "anthropic", "anthropic_messages", Status.SUCCESS, 200, model="a\x00b\x00")
    row = dict(zip(EVENT_COLUMNS, event_row(event)))
    assert (row["request_id"], row["model"]) == ("r\ufffdid", "a\ufffdb\ufffd")
