"""The activity feed: newest first, paging by id, tailing after an id, filters by status and text, one event."""

from __future__ import annotations

import sqlite3
from dataclasses import fields

from conduit.core.event import UsageEvent
from conduit.store.queries import EventRow, event_by_id, events_after, recent_events
from tests.store.conftest import direct


def test_recent_events_are_newest_first_and_page_by_id(reader: sqlite3.Connection) -> None:
    first = recent_events(reader, limit=50)
    ids = [i for (i,) in direct(reader, "SELECT id FROM usage_events ORDER BY id DESC LIMIT 100")]
    assert [row.id for row in first] == ids[:50]
    assert [row.id for row in recent_events(reader, limit=50, before_id=first[-1].id)] == ids[50:100]


def test_rows_carry_every_column_with_bools_and_status_text(reader: sqlite3.Connection) -> None:
    row = recent_events(reader, limit=1)[0]
    assert [f.name for f in fields(EventRow)] == ["id", *(f.name for f in fields(UsageEvent))]
    raw = direct(reader, "SELECT * FROM usage_events WHERE id = ?", [row.id])[0]
    values = [getattr(row, f.name) for f in fields(EventRow)]
    assert values == [bool(v) if f.name in ("streamed", "tokens_estimated", "priced") else v
                      for f, v in zip(fields(EventRow), raw, strict=True)]
    assert isinstance(row.status, str) and isinstance(row.streamed, bool)
    assert event_by_id(reader, row.id) == row
    assert event_by_id(reader, -1) is None


def test_status_and_text_filters(reader: sqlite3.Connection) -> None:
    blocked = recent_events(reader, limit=1000, status="governance_blocked")
    want = [i for (i,) in direct(reader, "SELECT id FROM usage_events WHERE status = 'governance_blocked' "
                                 "ORDER BY id DESC LIMIT 1000")]
    assert [row.id for row in blocked] == want and want
    payments = recent_events(reader, limit=5000, text="PAYments")
    want = [i for (i,) in direct(reader, "SELECT id FROM usage_events WHERE lower(team) LIKE '%payments%' "
                                 "OR lower(key_name) LIKE '%payments%' ORDER BY id DESC LIMIT 5000")]
    assert [row.id for row in payments] == want and want
    jwt = recent_events(reader, limit=5000, text="jwt", status="success")
    assert jwt and all("jwt" in (row.governance_categories or "") and row.status == "success" for row in jwt)


def test_events_after_tails_oldest_first(reader: sqlite3.Connection) -> None:
    newest = recent_events(reader, limit=30)
    tail = events_after(reader, newest[-1].id, limit=1000)
    assert [row.id for row in tail] == [row.id for row in reversed(newest[:-1])]
    assert events_after(reader, newest[0].id) == []
    assert [r.status for r in events_after(reader, 0, limit=20, status="rate_limited")] == ["rate_limited"] * 20
