"""Agent sessions (events sharing a session id): who, which client, how many turns, how long, what they cost
and the largest context they reached. A session is listed when it was active during the window; its figures
cover the whole session.

Imports the standard library and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from conduit.store.queries.buckets import CONTEXT_TOKENS_SQL
from conduit.store.queries.rollup import ENGINEER_SQL
from conduit.store.queries.window import Window, has_rollups


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One agent session; engineer and client are those of its latest event."""

    session_id: str
    engineer: str
    client: str
    turns: int
    started_ms: int
    ended_ms: int
    cost_usd: float
    largest_context_tokens: int


def sessions(conn: sqlite3.Connection, window: Window, *, limit: int = 200) -> list[SessionRow]:
    """Up to `limit` sessions active inside `window` (last event at or after its start, first event before its
    end), most recently active first."""
    table = "usage_sessions" if has_rollups(conn) else f"({_session_rows_sql()})"
    terms, params = [], []
    if window.since_ms is not None:
        terms.append("ended_ms >= ?")
        params.append(window.since_ms)
    if window.until_ms is not None:
        terms.append("started_ms < ?")
        params.append(window.until_ms)
    where = " WHERE " + " AND ".join(terms) if terms else ""
    sql = (f"SELECT session_id, engineer, client, turns, started_ms, ended_ms, cost_usd, largest_context_tokens "
           f"FROM {table}{where} ORDER BY ended_ms DESC, session_id LIMIT ?")
    return [SessionRow(str(a), str(b), str(c), int(d), int(e), int(f), float(g), int(h))
            for a, b, c, d, e, f, g, h in conn.execute(sql, (*params, limit))]


def _session_rows_sql() -> str:
    """Session rows computed from usage_events, for a database without the rollups."""
    return (
        "SELECT s.session_id, s.engineer, s.client, a.turns, a.started_ms, a.ended_ms, a.cost_usd, a.largest "
        f"AS largest_context_tokens FROM (SELECT session_id, {ENGINEER_SQL} AS engineer, client, MAX(id) "
        "FROM usage_events WHERE session_id IS NOT NULL GROUP BY session_id) AS s JOIN (SELECT session_id, "
        "COUNT(*) AS turns, MIN(started_at_ms) AS started_ms, MAX(started_at_ms) AS ended_ms, "
        f"TOTAL(cost_usd) AS cost_usd, MAX({CONTEXT_TOKENS_SQL}) AS largest FROM usage_events "
        "WHERE session_id IS NOT NULL GROUP BY session_id) AS a ON a.session_id = s.session_id"
    )
