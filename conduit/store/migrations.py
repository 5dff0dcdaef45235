"""The database schema as numbered, named steps, and `migrate()`, which applies the pending ones at start-up.

`PRAGMA user_version` records the last step applied. A step, once released, never changes: schema changes are
new steps appended to MIGRATIONS. Imports the standard library and `conduit.store` siblings only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from conduit.store.connection import connect
from conduit.store.errors import SchemaTooNewError, StoreError, sqlite_error

log = logging.getLogger("conduit.store")


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: it takes the database from `version - 1` to `version`; `after` (if any) runs in the same
    transaction once the SQL has, to fill new tables from existing rows."""

    version: int
    name: str
    sql: str
    after: Callable[[sqlite3.Connection], None] | None = None


def _backfill_rollups(conn: sqlite3.Connection) -> None:
    """Fill the rollups of step 6 from the events recorded before it."""
    from conduit.store.queries.rollup import rebuild

    events = int(conn.execute("SELECT count(*) FROM usage_events").fetchone()[0])
    if events:
        log.info("summarising %d recorded usage events for the dashboard and reports (once; about 30 s per "
                 "million events)", events)
    rebuild(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "usage_events",
        """
        CREATE TABLE usage_events (
            id INTEGER PRIMARY KEY,
            started_at_ms INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            api TEXT NOT NULL,
            status TEXT NOT NULL,
            http_status INTEGER,
            model TEXT,
            key_id TEXT,
            key_name TEXT,
            key_prefix TEXT,
            team TEXT,
            session_id TEXT,
            client TEXT NOT NULL,
            streamed INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            tokens_estimated INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            priced INTEGER NOT NULL,
            latency_ms REAL NOT NULL,
            ttfb_ms REAL,
            request_bytes INTEGER NOT NULL,
            response_bytes INTEGER NOT NULL,
            governance_categories TEXT,
            governance_action TEXT,
            error_code TEXT
        );
        CREATE INDEX usage_events_by_time ON usage_events (started_at_ms);
        CREATE INDEX usage_events_by_key ON usage_events (key_id, started_at_ms);
        CREATE INDEX usage_events_by_model ON usage_events (model, started_at_ms);
        CREATE INDEX usage_events_by_session ON usage_events (session_id);
        CREATE INDEX usage_events_by_status ON usage_events (status, started_at_ms);
        """,
    ),
    Migration(
        2,
        "meta",
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        );
        """,
    ),
    Migration(
        3,
        "virtual_keys",
        """
        CREATE TABLE virtual_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            team TEXT,
            key_hash TEXT NOT NULL UNIQUE,
            key_prefix TEXT NOT NULL,
            budget_usd REAL,
            budget_period TEXT,
            models TEXT,
            rpm INTEGER,
            tpm INTEGER,
            expires_at_ms INTEGER,
            created_at_ms INTEGER NOT NULL,
            rotated_at_ms INTEGER,
            revoked_at_ms INTEGER
        );
        CREATE UNIQUE INDEX virtual_keys_active_name ON virtual_keys (name) WHERE revoked_at_ms IS NULL;
        CREATE INDEX usage_events_by_team ON usage_events (team, started_at_ms);
        """,
    ),
    Migration(
        4,
        "credentials",
        """
        CREATE TABLE credentials (
            name TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            nonce BLOB NOT NULL,
            sealed BLOB NOT NULL,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL
        );
        """,
    ),
    Migration(
        5,
        "governance_first",
        """
        ALTER TABLE usage_events ADD COLUMN governance_first INTEGER;
        """,
    ),
    Migration(
        6,
        "usage_rollups",
        """
        CREATE TABLE usage_hourly (
            hour_ms INTEGER NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            key_id TEXT NOT NULL,
            key_name TEXT NOT NULL,
            key_prefix TEXT NOT NULL,
            team TEXT NOT NULL,
            client TEXT NOT NULL,
            status TEXT NOT NULL,
            requests INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (hour_ms, provider, model, key_id, key_name, key_prefix, team, client, status)
        ) WITHOUT ROWID;
        CREATE TABLE usage_context_hourly (
            hour_ms INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            status TEXT NOT NULL,
            requests INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (hour_ms, bucket, status)
        ) WITHOUT ROWID;
        CREATE TABLE usage_latency_hourly (
            hour_ms INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            metric INTEGER NOT NULL,
            bin INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY (hour_ms, bucket, metric, bin)
        ) WITHOUT ROWID;
        CREATE TABLE usage_daily (
            day_ms INTEGER NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            key_id TEXT NOT NULL,
            key_name TEXT NOT NULL,
            key_prefix TEXT NOT NULL,
            team TEXT NOT NULL,
            client TEXT NOT NULL,
            status TEXT NOT NULL,
            requests INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (day_ms, provider, model, key_id, key_name, key_prefix, team, client, status)
        ) WITHOUT ROWID;
        CREATE TABLE usage_context_daily (
            day_ms INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            status TEXT NOT NULL,
            requests INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (day_ms, bucket, status)
        ) WITHOUT ROWID;
        CREATE TABLE usage_latency_daily (
            day_ms INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            metric INTEGER NOT NULL,
            bin INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY (day_ms, bucket, metric, bin)
        ) WITHOUT ROWID;
        CREATE TABLE usage_governance_hourly (
            hour_ms INTEGER NOT NULL,
            categories TEXT NOT NULL,
            action TEXT NOT NULL,
            first INTEGER NOT NULL,
            engineer TEXT NOT NULL,
            events INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (hour_ms, categories, action, first, engineer)
        ) WITHOUT ROWID;
        CREATE TABLE usage_governance_daily (
            day_ms INTEGER NOT NULL,
            categories TEXT NOT NULL,
            action TEXT NOT NULL,
            first INTEGER NOT NULL,
            engineer TEXT NOT NULL,
            events INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            PRIMARY KEY (day_ms, categories, action, first, engineer)
        ) WITHOUT ROWID;
        CREATE TABLE usage_sessions (
            session_id TEXT PRIMARY KEY,
            engineer TEXT NOT NULL,
            client TEXT NOT NULL,
            turns INTEGER NOT NULL,
            started_ms INTEGER NOT NULL,
            ended_ms INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            largest_context_tokens INTEGER NOT NULL
        );
        CREATE INDEX usage_sessions_by_end ON usage_sessions (ended_ms);
        CREATE INDEX usage_events_flagged ON usage_events (started_at_ms) WHERE governance_categories IS NOT NULL;
        """,
        after=_backfill_rollups,
    ),
)


def migrate(path: Path, *, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database at `path` (created 0600 if missing) up to the latest schema and return its version."""
    known = steps[-1].version if steps else 0
    conn = connect(path)
    try:
        found = _user_version(conn, path)
        if found > known:
            raise SchemaTooNewError(path, found, known)
        for step in steps:
            if step.version > found:
                _apply(conn, path, step)
        return _user_version(conn, path)
    finally:
        conn.close()


def _statements(sql: str) -> list[str]:
    """Split a step's SQL into single statements (sqlite3 runs one at a time inside a transaction)."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \t\r\n;"):
        statements.append(pending.strip())
    return statements


def _apply(conn: sqlite3.Connection, path: Path, step: Migration) -> None:
    """Apply one step in its own write transaction, unless another process applied it meanwhile."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        if _user_version(conn, path) < step.version:
            for statement in _statements(step.sql):
                conn.execute(statement)
            if step.after is not None:
                step.after(conn)
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        error = sqlite_error(path, exc, f"applying schema step {step.version} ({step.name})")
        raise StoreError(f"{error}; the database was left at the step before") from exc


def _user_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        row = conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "reading its schema version") from exc
    return int(row[0])
