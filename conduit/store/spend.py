"""What the org, a team or a virtual key has spent since a moment, summed from `usage_events`, so budgets can be
rebuilt at start-up. Each query is served by an index on (scope, started_at_ms).
Imports the standard library and `conduit.store` siblings only.
"""

from __future__ import annotations

import sqlite3

from conduit.store.errors import StoreError

_SUM = "SELECT TOTAL(cost_usd) FROM usage_events"
_QUERIES = {
    "org": f"{_SUM} WHERE started_at_ms >= ?",
    "team": f"{_SUM} WHERE team = ? AND started_at_ms >= ?",
    "key": f"{_SUM} WHERE key_id = ? AND started_at_ms >= ?",
}
KINDS = tuple(_QUERIES)


def spent_query(kind: str) -> str:
    """The SQL that sums spend for `kind` (`org`, `team` or `key`); raises ValueError for any other kind."""
    try:
        return _QUERIES[kind]
    except KeyError:
        raise ValueError(f"unknown spend scope {kind!r}; use one of {', '.join(KINDS)}") from None


def spent_since(conn: sqlite3.Connection, kind: str, ident: str | None, since_ms: int) -> float:
    """USD spent by the org (`ident` None), a team (by name) or a key (by id) in events started at or after
    `since_ms`; raises StoreError when the database cannot be read."""
    sql = spent_query(kind)
    if kind == "org":
        params: tuple[object, ...] = (since_ms,)
    elif ident is None:
        raise ValueError(f"a {kind} spend query needs the {kind}'s {'name' if kind == 'team' else 'id'}")
    else:
        params = (ident, since_ms)
    try:
        row = conn.execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"could not read recorded spend to rebuild budgets: {exc}") from exc
    return float(row[0])
