"""A small, varied usage database for the export tests (every status, NULLs, awkward model names, ties in time),
written with the writer's own row function, and direct-SQL totals to cross-check exports against."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.store.connection import connect
from conduit.store.migrations import migrate
from conduit.store.writer import INSERT_EVENT_SQL, event_row

T0_MS = 1_793_491_200_000  # 2026-11-01T00:00:00Z
HOUR_MS = 3_600_000
KEYS = (  # key_id, key_name, key_prefix, team
    ("key_a", "alice", "vk_live_Al00…", "platform"),
    ("key_b", "bruno", "vk_live_Br01…", "payments"),
    ("key_c", "chen", "vk_live_Ch02…", "platform"),
    ("fp_x", None, "sk-ant-api03-Xk9q…", None),
)
MODELS = ("claude-sonnet-5-5", "claude-opus-5-5", "gpt-6.1-sol", None, 'odd[1],"q"\nname', "claudeXx", "claude?x")
CATEGORIES = (None, None, None, "aws_access_key", "aws_access_key|github_token")
NUMERIC = ("http_status", "streamed", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens",
           "tokens_estimated", "cost_usd", "priced", "latency_ms", "ttfb_ms", "request_bytes", "response_bytes")
EVENTS = 240


@dataclass(frozen=True)
class Case:
    """A filter as CLI options, as ExportFilter fields, and as a hand-written SQL condition over usage_events."""

    name: str
    options: tuple[str, ...]
    fields: dict[str, Any]
    where: str


def sample_events() -> list[UsageEvent]:
    """EVENTS deterministic events over ten days, several sharing a start time."""
    statuses = list(Status)
    events = []
    for i in range(EVENTS):
        key_id, key_name, key_prefix, team = KEYS[i % len(KEYS)]
        status = statuses[i % len(statuses)]
        category = CATEGORIES[i % len(CATEGORIES)]
        events.append(UsageEvent(
            started_at_ms=T0_MS + (i // 2) * HOUR_MS + (999 if i % 5 == 0 else i % 7),
            request_id=f"req_{i:05d}", provider="anthropic" if i % 3 else "openai",
            api="anthropic_messages" if i % 3 else "openai_chat", status=status,
            http_status=None if status is Status.CLIENT_ABORTED else 200 + (i % 3) * 100,
            model=MODELS[i % len(MODELS)], key_id=key_id, key_name=key_name, key_prefix=key_prefix, team=team,
            session_id=None if i % 4 == 0 else f"sess-{i // 8}", client=("claude-code", "codex", "aider")[i % 3],
            streamed=i % 2 == 0, input_tokens=i * 3, output_tokens=i * 7 + 1, cache_read_tokens=i * 11,
            cache_write_tokens=i % 13, tokens_estimated=i % 6 == 0, cost_usd=0.1 + 0.2 if i % 9 == 0 else i / 7000,
            priced=i % 10 != 0, latency_ms=100.5 + i, ttfb_ms=None if i % 4 == 1 else 20.25 + i,
            request_bytes=1000 + i, response_bytes=2000 + 2 * i, governance_categories=category,
            governance_action=None if category is None else ("alert" if i % 2 else "block"),
            error_code=None if status is Status.SUCCESS else status.value,
        ))
    return events


def seed(db: Path, events: list[UsageEvent] | None = None) -> Path:
    """A migrated database at `db` holding `events` (default: sample_events()), inserted with `event_row`."""
    migrate(db)
    conn = connect(db)
    try:
        conn.execute("BEGIN")
        conn.executemany(INSERT_EVENT_SQL, [event_row(e) for e in (events or sample_events())])
        conn.execute("COMMIT")
    finally:
        conn.close()
    return db


def sql_totals(db: Path, where: str = "1") -> dict[str, Any]:
    """Row count and per-column sums (non-NULL counts for text columns) straight from usage_events."""
    text = ("request_id", "key_name", "key_prefix", "team", "provider", "api", "model", "client", "session_id",
            "status", "governance_categories", "governance_action", "error_code")
    parts = ["COUNT(*)"] + [f"TOTAL({name})" for name in NUMERIC] + [f"COUNT({name})" for name in text]
    with sqlite3.connect(db) as conn:
        values = conn.execute(f"SELECT {', '.join(parts)} FROM usage_events WHERE {where}").fetchone()
    names = ["rows"] + [f"sum:{n}" for n in NUMERIC] + [f"count:{n}" for n in text]
    return dict(zip(names, values))


def totals_of(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The same totals as `sql_totals`, from exported rows (dicts by column name, None/"" for NULL)."""
    result: dict[str, Any] = {"rows": len(rows)}
    for name in NUMERIC:
        result[f"sum:{name}"] = float(sum(float(r[name]) for r in rows if r[name] not in (None, "")))
    for name in ("request_id", "key_name", "key_prefix", "team", "provider", "api", "model", "client", "session_id",
                 "status", "governance_categories", "governance_action", "error_code"):
        result[f"count:{name}"] = sum(1 for r in rows if r[name] not in (None, ""))
    return result


def assert_totals_match(exported: dict[str, Any], expected: dict[str, Any]) -> None:
    """Counts equal; sums equal up to the export's cost rounding."""
    assert exported.keys() == expected.keys()
    for name, value in expected.items():
        if name.startswith("sum:"):
            assert abs(exported[name] - value) < 1e-6, name
        else:
            assert exported[name] == value, name


CASES = (
    Case("all", (), {}, "1"),
    Case("since-until", ("--since", "2026-11-02T06:00", "--until", "2026-11-04"),
         {"since_ms": T0_MS + 30 * HOUR_MS, "until_ms": T0_MS + 72 * HOUR_MS},
         f"started_at_ms >= {T0_MS + 30 * HOUR_MS} AND started_at_ms < {T0_MS + 72 * HOUR_MS}"),
    Case("key-name", ("--key", "alice"), {"key": "alice"}, "key_name = 'alice'"),
    Case("key-prefix", ("--key", "sk-ant-api03-Xk9q…"), {"key": "sk-ant-api03-Xk9q…"},
         "key_prefix = 'sk-ant-api03-Xk9q…'"),
    Case("key-id", ("--key", "key_b"), {"key": "key_b"}, "key_id = 'key_b'"),
    Case("team", ("--team", "platform"), {"team": "platform"}, "team = 'platform'"),
    Case("model-glob", ("--model", "claude-*"), {"model": "claude-*"}, "model LIKE 'claude-%'"),
    Case("model-one-char", ("--model", "claude?x"), {"model": "claude?x"}, "model IN ('claudeXx', 'claude?x')"),
    Case("model-brackets", ("--model", "odd[1]*"), {"model": "odd[1]*"}, "substr(model, 1, 6) = 'odd[1]'"),
    Case("status", ("--status", "governance_blocked"), {"statuses": (Status.GOVERNANCE_BLOCKED,)},
         "status = 'governance_blocked'"),
    Case("statuses", ("--status", "success,rate_limited", "--status", "proxy_error"),
         {"statuses": (Status.SUCCESS, Status.RATE_LIMITED, Status.PROXY_ERROR)},
         "status IN ('success', 'rate_limited', 'proxy_error')"),
    Case("combined", ("--team", "platform", "--model", "claude-*", "--since", "2026-11-03"),
         {"team": "platform", "model": "claude-*", "since_ms": T0_MS + 48 * HOUR_MS},
         f"team = 'platform' AND model LIKE 'claude-%' AND started_at_ms >= {T0_MS + 48 * HOUR_MS}"),
    Case("nothing", ("--team", "nobody"), {"team": "nobody"}, "team = 'nobody'"),
)


def export_bytes(db: Path, fmt: str, *, jobs: int = 1, chunk_rows: int = 16, **fields: Any) -> tuple[bytes, Any]:
    """Export `db` in `fmt` with ExportFilter(**fields) into memory: (bytes written, ExportSummary). Small chunks,
    so even the sample database is read in many."""
    import io

    from conduit.export.filter_doc import filter_document
    from conduit.export.formats import FORMATS
    from conduit.export.run import run_export
    from conduit.export.workers import encoded_chunks
    from conduit.store.export_rows import ExportFilter
    from conduit.store.queries.reader import open_reader

    export_filter = ExportFilter(**fields)
    out = io.BytesIO()
    conn = open_reader(db)
    try:
        chunks = encoded_chunks(conn, db, export_filter, fmt, jobs=jobs, chunk_rows=chunk_rows)
        summary = run_export(chunks, FORMATS[fmt], out, filter_document(export_filter))
    finally:
        conn.close()
    return out.getvalue(), summary


def parse_export(fmt: str, data: bytes) -> list[dict[str, Any]]:
    """The rows of an export as dicts by column name (CSV values are text, "" for NULL)."""
    import csv
    import io
    import json

    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    if fmt == "jsonl":
        return [json.loads(line) for line in data.decode().splitlines()]
    rows: list[dict[str, Any]] = json.loads(data)["rows"]
    return rows


def bulk_seed(db: Path, count: int, start_ms: int = T0_MS) -> Path:
    """A migrated database holding `count` plain events one second apart, generated in SQL (fast)."""
    migrate(db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1}) "
            "INSERT INTO usage_events (started_at_ms, request_id, provider, api, status, http_status, model, key_id, "
            "key_name, key_prefix, team, session_id, client, streamed, input_tokens, output_tokens, "
            "cache_read_tokens, cache_write_tokens, tokens_estimated, cost_usd, priced, latency_ms, ttfb_ms, "
            "request_bytes, response_bytes) "
            f"SELECT {start_ms} + i * 1000, 'req_' || i, 'anthropic', 'anthropic_messages', 'success', 200, "
            "'claude-sonnet-5-5', 'key_a', 'alice', 'vk_live_Al00…', 'platform', 'sess-' || (i / 10), "
            "'claude-code', i % 2, i, i * 2, i * 3, 0, 0, i / 1e6, 1, 100.0 + i, 20.0, 1000, 2000 FROM n"
        )
    return db
