"""The export's row source: every filter selects what direct SQL selects, rows come oldest first in the fixed
column order, in bounded batches, with ISO timestamps and cost float noise rounded away."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.store.export_rows import (
    EXPORT_COLUMNS,
    ExportFilter,
    export_batches,
    glob_sql,
    parse_statuses,
)
from conduit.store.queries.reader import open_reader
from tests.export.sample_events import CASES, T0_MS, Case, assert_totals_match, seed, sql_totals, totals_of


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return seed(tmp_path / "conduit.db")


def rows_of(db: Path, export_filter: ExportFilter, batch_rows: int = 50) -> list[dict[str, object]]:
    conn = open_reader(db)
    try:
        return [dict(zip(EXPORT_COLUMNS, row)) for batch in export_batches(conn, export_filter, batch_rows=batch_rows)
                for row in batch]
    finally:
        conn.close()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_filter_matches_direct_sql(db: Path, case: Case) -> None:
    rows = rows_of(db, ExportFilter(**case.fields))
    expected = sql_totals(db, case.where)
    assert_totals_match(totals_of(rows), expected)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute(f"SELECT request_id FROM usage_events WHERE {case.where} "
                                          "ORDER BY started_at_ms, id")]
    assert [r["request_id"] for r in rows] == ids
    if case.name != "nothing":
        assert rows


def test_rows_come_oldest_first_with_ties_in_insertion_order(tmp_path: Path) -> None:
    order = [(T0_MS + 5, "late"), (T0_MS, "tie-1"), (T0_MS, "tie-2"), (T0_MS - 1, "early"), (T0_MS, "tie-3")]
    events = [UsageEvent(m, rid, "anthropic", "anthropic_messages", Status.SUCCESS, 200) for m, rid in order]
    rows = rows_of(seed(tmp_path / "o.db", events), ExportFilter(), batch_rows=2)
    assert [r["request_id"] for r in rows] == ["early", "tie-1", "tie-2", "tie-3", "late"]


def test_batches_are_bounded_and_cover_every_row(db: Path) -> None:
    conn = open_reader(db)
    try:
        sizes = [len(batch) for batch in export_batches(conn, ExportFilter(), batch_rows=7)]
    finally:
        conn.close()
    assert max(sizes) == 7 and sum(sizes) == sql_totals(db)["rows"]


def test_timestamp_is_iso_utc_with_milliseconds(tmp_path: Path) -> None:
    moments = [0, 999, 1_000, T0_MS - 1, T0_MS, T0_MS + 59_999, 1_795_000_000_123, 4_102_444_799_999]
    events = [UsageEvent(m, f"r{i}", "anthropic", "anthropic_messages", Status.SUCCESS, 200)
              for i, m in enumerate(moments)]
    db = seed(tmp_path / "t.db", events)
    got = [r["timestamp"] for r in rows_of(db, ExportFilter())]
    expected = [datetime.fromtimestamp(m // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{m % 1000:03d}Z"
                for m in sorted(moments)]
    assert got == expected


def test_cost_noise_is_rounded_but_precision_kept(tmp_path: Path) -> None:
    costs = [0.1 + 0.2, 3e-06, 1.23456789012e-05, 12.5, 0.0, 1234.567890123]
    events = [UsageEvent(T0_MS + i, f"r{i}", "openai", "openai_chat", Status.SUCCESS, 200, cost_usd=c)
              for i, c in enumerate(costs)]
    got = [r["cost_usd"] for r in rows_of(seed(tmp_path / "c.db", events), ExportFilter())]
    assert got == [0.3, 3e-06, 1.23456789012e-05, 12.5, 0.0, 1234.567890123]
    assert repr(got[0]) == "0.3"


def test_flags_are_0_or_1_and_null_is_none(db: Path) -> None:
    rows = rows_of(db, ExportFilter())
    for name in ("streamed", "tokens_estimated", "priced"):
        assert {r[name] for r in rows} == {0, 1}
    assert any(r["ttfb_ms"] is None for r in rows) and any(r["http_status"] is None for r in rows)


@pytest.mark.parametrize(("pattern", "glob"), [
    ("claude-*", "claude-*"), ("gpt-?", "gpt-?"), ("odd[1]", "odd[[]1[]]"), ("a]b", "a[]]b"), ("plain", "plain"),
])
def test_glob_translation_keeps_brackets_literal(pattern: str, glob: str) -> None:
    assert glob_sql(pattern) == glob


def test_model_glob_is_case_sensitive_and_anchored(db: Path) -> None:
    assert rows_of(db, ExportFilter(model="CLAUDE-*")) == []
    assert rows_of(db, ExportFilter(model="sonnet")) == []
    assert {r["model"] for r in rows_of(db, ExportFilter(model="*sonnet*"))} == {"claude-sonnet-5-5"}


def test_statuses_parse_lists_and_repeats() -> None:
    assert parse_statuses(["success,rate_limited", " proxy_error ", "success"]) == (
        Status.SUCCESS, Status.RATE_LIMITED, Status.PROXY_ERROR)
    assert parse_statuses([]) == ()


def test_unknown_status_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown status 'blocked'; use one of: success, upstream_error"):
        parse_statuses(["success,blocked"])


def test_filter_rejects_an_empty_window_and_empty_values() -> None:
    with pytest.raises(ValueError, match="after its start"):
        ExportFilter(since_ms=10, until_ms=10)
    with pytest.raises(ValueError, match="--team is empty"):
        ExportFilter(team=" ")


def test_read_connection_cannot_write(db: Path) -> None:
    conn = open_reader(db)
    try:
        list(export_batches(conn, ExportFilter()))
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM usage_events")
    finally:
        conn.close()
