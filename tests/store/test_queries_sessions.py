"""sessions against direct SQL: turns, span, cost, largest context, latest engineer and client, windows."""

from __future__ import annotations

import sqlite3

import pytest

from conduit.store.queries import sessions
from tests.store.conftest import ENGINEER, WINDOWS, direct

SIZE = ("CASE WHEN input_tokens + cache_read_tokens + cache_write_tokens > 0 "
        "THEN input_tokens + cache_read_tokens + cache_write_tokens ELSE (request_bytes + 3) / 4 END")


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_sessions_match_direct_sql(reader: sqlite3.Connection, name: str) -> None:
    window = WINDOWS[name]
    rows = direct(reader, "SELECT session_id, COUNT(*), MIN(started_at_ms), MAX(started_at_ms), TOTAL(cost_usd), "
                  f"MAX({SIZE}) FROM usage_events WHERE session_id IS NOT NULL GROUP BY 1")
    latest = {row[0]: row[1] for row in direct(
        reader, f"SELECT session_id, {ENGINEER} || '/' || client, MAX(id) FROM usage_events "
        "WHERE session_id IS NOT NULL GROUP BY session_id")}
    active = [row for row in rows if (window.since_ms is None or row[3] >= window.since_ms)
              and (window.until_ms is None or row[2] < window.until_ms)]
    active.sort(key=lambda row: (-row[3], row[0]))
    got = sessions(reader, window, limit=10_000)
    assert [s.session_id for s in got] == [row[0] for row in active]
    for session, row in zip(got, active, strict=True):
        assert (session.turns, session.started_ms, session.ended_ms, session.largest_context_tokens) == (
            row[1], row[2], row[3], row[5])
        assert session.cost_usd == pytest.approx(row[4], abs=1e-9)
        assert f"{session.engineer}/{session.client}" == latest[session.session_id]


def test_limit_keeps_the_most_recent(reader: sqlite3.Connection) -> None:
    everything = sessions(reader, WINDOWS["all"], limit=10_000)
    assert len(everything) > 20
    assert sessions(reader, WINDOWS["all"], limit=5) == everything[:5]
    assert max(s.turns for s in everything) > 30
