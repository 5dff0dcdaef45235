"""The live activity feed: recent events, newest first, events after an id (for tailing), and one event by id.
Rows carry metadata only, exactly the `usage_events` columns.

Imports the standard library, `conduit.core` and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields

from conduit.core.event import UsageEvent

_COLUMNS = tuple(field.name for field in fields(UsageEvent))
_SELECT = f"SELECT id, {', '.join(_COLUMNS)} FROM usage_events"
_BOOLS = frozenset({"streamed", "tokens_estimated", "priced"})
_SEARCHED = ("key_name", "key_prefix", "team", "model", "client", "provider", "status", "session_id",
             "governance_categories")
_HAYSTACK = " || ' ' || ".join(f"lower(COALESCE({name}, ''))" for name in _SEARCHED)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One recorded event: its id and every `usage_events` column (status as its name)."""

    id: int
    started_at_ms: int
    request_id: str
    provider: str
    api: str
    status: str
    http_status: int | None
    model: str | None
    key_id: str | None
    key_name: str | None
    key_prefix: str | None
    team: str | None
    session_id: str | None
    client: str
    streamed: bool
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    tokens_estimated: bool
    cost_usd: float
    priced: bool
    latency_ms: float
    ttfb_ms: float | None
    request_bytes: int
    response_bytes: int
    governance_categories: str | None
    governance_action: str | None
    error_code: str | None
    governance_first: int | None


def recent_events(conn: sqlite3.Connection, *, limit: int = 200, text: str = "", status: str | None = None,
                  before_id: int | None = None) -> list[EventRow]:
    """Up to `limit` events, newest first, optionally before an id, of a status, or matching `text`
    (case-insensitive, in key name or prefix, team, model, client, provider, status, session or categories)."""
    where, params = _filters(text, status)
    if before_id is not None:
        where.append("id < ?")
        params.append(before_id)
    sql = f"{_SELECT}{_where(where)} ORDER BY id DESC LIMIT ?"
    return [_event(row) for row in conn.execute(sql, (*params, limit))]


def events_after(conn: sqlite3.Connection, after_id: int, *, limit: int = 1000, text: str = "",
                 status: str | None = None) -> list[EventRow]:
    """Up to `limit` events with an id above `after_id`, oldest first, with the same filters."""
    where, params = _filters(text, status)
    where.append("id > ?")
    params.append(after_id)
    sql = f"{_SELECT}{_where(where)} ORDER BY id LIMIT ?"
    return [_event(row) for row in conn.execute(sql, (*params, limit))]


def event_by_id(conn: sqlite3.Connection, event_id: int) -> EventRow | None:
    """The event with this id, or None."""
    row = conn.execute(f"{_SELECT} WHERE id = ?", (event_id,)).fetchone()
    return None if row is None else _event(row)


def _filters(text: str, status: str | None) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    needle = text.strip().lower()
    if needle:
        where.append(f"instr({_HAYSTACK}, ?) > 0")
        params.append(needle)
    return where, params


def _where(terms: list[str]) -> str:
    return " WHERE " + " AND ".join(terms) if terms else ""


def _event(row: tuple[object, ...]) -> EventRow:
    values = list(row)
    for index, name in enumerate(_COLUMNS, start=1):
        if name in _BOOLS:
            values[index] = bool(values[index])
    return EventRow(*values)  # type: ignore[arg-type]
