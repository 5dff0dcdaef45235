"""The usage rollups, hourly and daily (UTC): sums by every dimension, sums and latency histograms by context-size
bucket, governance findings by category and engineer; and one row per agent session. FOLD_STATEMENTS add the
events with an id above a given one into them, in SQL: the writer runs them in each batch's transaction (SQLite
does the work, off the event loop), and `rebuild` runs them over every event (the migration's backfill, the
benchmark seeder).

Text dimensions hold '' where the event has NULL (key, team, model), so they can be part of a primary key.
Imports the standard library and `conduit.store.queries.buckets` only.
"""

from __future__ import annotations

import sqlite3

from conduit.store.queries.buckets import (
    CONTEXT_TOKENS_SQL,
    DAY_MS,
    HOUR_MS,
    METRIC_LATENCY,
    METRIC_TTFB,
    bucket_sql,
    latency_bin,
)

ROLLUP_VERSION = 6
BIN_FUNCTION = "conduit_latency_bin"
UNKNOWN_ENGINEER = "(unknown)"

HOURLY_DIMS = ("provider", "model", "key_id", "key_name", "key_prefix", "team", "client", "status")
HOURLY_SUMS = ("requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd")
CONTEXT_DIMS = ("bucket", "status")
CONTEXT_SUMS = ("requests", "cost_usd")
LATENCY_DIMS = ("bucket", "metric", "bin")
LATENCY_SUMS = ("requests",)
GOVERNANCE_DIMS = ("categories", "action", "first", "engineer")
GOVERNANCE_SUMS = ("events", "cost_usd")
# (hourly table, daily table, dimensions, sums); the time column is `hour_ms` or `day_ms`.
TABLES = (
    ("usage_hourly", "usage_daily", HOURLY_DIMS, HOURLY_SUMS),
    ("usage_context_hourly", "usage_context_daily", CONTEXT_DIMS, CONTEXT_SUMS),
    ("usage_latency_hourly", "usage_latency_daily", LATENCY_DIMS, LATENCY_SUMS),
    ("usage_governance_hourly", "usage_governance_daily", GOVERNANCE_DIMS, GOVERNANCE_SUMS),
)
# Rows of usage_events a rollup counts, when not all of them.
RAW_FILTERS = {"usage_governance_hourly": "governance_categories IS NOT NULL"}

# Labels over rollup-shaped rows, where a missing key name, prefix, team or model is ''.
ENGINEER_LABEL_SQL = (
    f"(CASE WHEN key_name <> '' THEN key_name WHEN key_prefix <> '' THEN key_prefix ELSE '{UNKNOWN_ENGINEER}' END)"
)
TEAM_LABEL_SQL = "(CASE WHEN team <> '' THEN team ELSE '(none)' END)"
MODEL_LABEL_SQL = "(CASE WHEN model <> '' THEN model ELSE '(unknown)' END)"
# The engineer over usage_events rows: the virtual key's name, else the passthrough key's prefix.
ENGINEER_SQL = (
    f"(CASE WHEN COALESCE(key_name, '') <> '' THEN key_name "
    f"WHEN COALESCE(key_prefix, '') <> '' THEN key_prefix ELSE '{UNKNOWN_ENGINEER}' END)"
)
_HOUR_SQL = f"(started_at_ms - started_at_ms % {HOUR_MS})"
_DAY_SQL = f"(started_at_ms - started_at_ms % {DAY_MS})"

# How each rollup column reads from a usage_events row.
RAW_COLUMNS = {
    "hour_ms": _HOUR_SQL,
    "provider": "provider",
    "model": "COALESCE(model, '')",
    "key_id": "COALESCE(key_id, '')",
    "key_name": "COALESCE(key_name, '')",
    "key_prefix": "COALESCE(key_prefix, '')",
    "team": "COALESCE(team, '')",
    "client": "client",
    "status": "status",
    "requests": "1",
    "input_tokens": "input_tokens",
    "output_tokens": "output_tokens",
    "cache_read_tokens": "cache_read_tokens",
    "cache_write_tokens": "cache_write_tokens",
    "cost_usd": "cost_usd",
    "bucket": bucket_sql(CONTEXT_TOKENS_SQL),
    "categories": "governance_categories",
    "action": "COALESCE(governance_action, 'alert')",
    "first": "(governance_first IS NULL OR governance_first > 0)",
    "engineer": ENGINEER_SQL,
    "events": "1",
}
_AGGREGATES = {"requests": "COUNT(*)", "events": "COUNT(*)", "cost_usd": "TOTAL(cost_usd)"}


def _fold_sql(table: str, time_column: str, time_sql: str, dims: tuple[str, ...], sums: tuple[str, ...],
              dim_sql: dict[str, str], where: str) -> str:
    """INSERT … SELECT … ON CONFLICT that adds the events with `id > ?` (and `where`) into one rollup table."""
    columns = (time_column, *dims, *sums)
    selected = (time_sql, *(dim_sql[d] if d in dim_sql else RAW_COLUMNS[d] for d in dims),
                *(_AGGREGATES.get(s, f"SUM({s})") for s in sums))
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(selected)} FROM usage_events NOT INDEXED "
        f"WHERE id > ?{where} GROUP BY {', '.join(str(i + 1) for i in range(1 + len(dims)))} "
        f"ON CONFLICT ({time_column}, {', '.join(dims)}) DO UPDATE SET "
        + ", ".join(f"{name} = {name} + excluded.{name}" for name in sums)
    )


def _fold_statements() -> tuple[str, ...]:
    """Every rollup table's fold, hourly and daily, then the sessions."""
    statements = []
    for hourly, daily, dims, sums in TABLES:
        variants: list[tuple[dict[str, str], str]] = [({}, f" AND {RAW_FILTERS[hourly]}" if hourly in RAW_FILTERS
                                                        else "")]
        if hourly == "usage_latency_hourly":
            variants = [({"metric": str(metric), "bin": f"{BIN_FUNCTION}({column})"},
                         f" AND status = 'success' AND {column} IS NOT NULL")
                        for metric, column in ((METRIC_LATENCY, "latency_ms"), (METRIC_TTFB, "ttfb_ms"))]
        for dim_sql, where in variants:
            statements.append(_fold_sql(hourly, "hour_ms", _HOUR_SQL, dims, sums, dim_sql, where))
            statements.append(_fold_sql(daily, "day_ms", _DAY_SQL, dims, sums, dim_sql, where))
    statements.append(
        "INSERT INTO usage_sessions (session_id, engineer, client, turns, started_ms, ended_ms, cost_usd, "
        f"largest_context_tokens) SELECT a.session_id, {ENGINEER_SQL.replace('key_', 'e.key_')}, e.client, "
        "a.turns, a.started_ms, a.ended_ms, a.cost_usd, a.largest FROM (SELECT session_id, MAX(id) AS last_id, "
        "COUNT(*) AS turns, MIN(started_at_ms) AS started_ms, MAX(started_at_ms) AS ended_ms, "
        f"TOTAL(cost_usd) AS cost_usd, MAX({CONTEXT_TOKENS_SQL}) AS largest FROM usage_events NOT INDEXED "
        "WHERE id > ? AND session_id IS NOT NULL GROUP BY session_id) AS a JOIN usage_events AS e "
        "ON e.id = a.last_id WHERE true ON CONFLICT (session_id) DO UPDATE SET engineer = excluded.engineer, "
        "client = excluded.client, turns = turns + excluded.turns, "
        "started_ms = min(started_ms, excluded.started_ms), ended_ms = max(ended_ms, excluded.ended_ms), "
        "cost_usd = cost_usd + excluded.cost_usd, "
        "largest_context_tokens = max(largest_context_tokens, excluded.largest_context_tokens)"
    )
    return tuple(statements)


# Each takes one parameter: fold the events whose id is above it. NOT INDEXED keeps SQLite on the rowid range
# (a batch's new rows) instead of an index on a column the statement filters on.
FOLD_STATEMENTS = _fold_statements()
ROLLUP_TABLES = (*(name for hourly, daily, _, _ in TABLES for name in (hourly, daily)), "usage_sessions")


def register_functions(conn: sqlite3.Connection) -> None:
    """Make the latency-bin function FOLD_STATEMENTS use available on `conn`."""
    conn.create_function(BIN_FUNCTION, 1, latency_bin, deterministic=True)


def fold(conn: sqlite3.Connection, after_id: int) -> None:
    """Add the events with an id above `after_id` into the rollups, inside the caller's transaction."""
    register_functions(conn)
    for statement in FOLD_STATEMENTS:
        conn.execute(statement, (after_id,))


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute every rollup from `usage_events`, inside the caller's transaction."""
    for table in ROLLUP_TABLES:
        conn.execute(f"DELETE FROM {table}")
    fold(conn, -1)
