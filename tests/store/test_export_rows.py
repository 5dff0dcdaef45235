"""Which events an export reads: every filter selects what direct SQL selects, and the chunks the export is read
in cover the time window exactly once, oldest first, each about the asked size, all pinned to the events that
existed when the export began."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.export.encode import encode_chunk
from conduit.export.formats import FORMATS
from conduit.store.export_rows import Chunk, ExportFilter, export_chunks, glob_sql, parse_statuses
from conduit.store.queries.reader import open_reader
from conduit.store.writer import INSERT_EVENT_SQL, event_row
from tests.export.sample_events import CASES, T0_MS, Case, export_bytes, parse_export, seed


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return seed(tmp_path / "conduit.db")


def rows_of(db: Path, export_filter: ExportFilter, chunk_rows: int = 50) -> list[dict[str, object]]:
    fields = {name: getattr(export_filter, name) for name in ("since_ms", "until_ms", "key", "team", "model",
                                                               "statuses")}
    return parse_export("jsonl", export_bytes(db, "jsonl", chunk_rows=chunk_rows, **fields)[0])


def chunks_of(db: Path, export_filter: ExportFilter, rows: int) -> list[Chunk]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return list(export_chunks(conn, export_filter, rows))


def starts_in(db: Path, chunk: Chunk) -> list[int]:
    with sqlite3.connect(db) as conn:
        return [m for (m,) in conn.execute(
            "SELECT started_at_ms FROM usage_events WHERE id <= ? AND started_at_ms >= ? AND started_at_ms < ? "
            "ORDER BY started_at_ms, id",
            (chunk.last_id, -(2**62) if chunk.since_ms is None else chunk.since_ms,
             2**62 if chunk.until_ms is None else chunk.until_ms))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_filter_selects_what_direct_sql_selects_in_order(db: Path, case: Case) -> None:
    rows = rows_of(db, ExportFilter(**case.fields), chunk_rows=9)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute(f"SELECT request_id FROM usage_events WHERE {case.where} "
                                          "ORDER BY started_at_ms, id")]
    assert [r["request_id"] for r in rows] == ids
    if case.name != "nothing":
        assert rows


def test_rows_come_oldest_first_with_ties_in_insertion_order(tmp_path: Path) -> None:
    order = [(T0_MS + 5, "late"), (T0_MS, "tie-1"), (T0_MS, "tie-2"), (T0_MS - 1, "early"), (T0_MS, "tie-3")]
    events = [UsageEvent(m, rid, "anthropic", "anthropic_messages", Status.SUCCESS, 200) for m, rid in order]
    rows = rows_of(seed(tmp_path / "o.db", events), ExportFilter(), chunk_rows=2)
    assert [r["request_id"] for r in rows] == ["early", "tie-1", "tie-2", "tie-3", "late"]


@pytest.mark.parametrize("size", [1, 7, 50, 1000])
@pytest.mark.parametrize("window", [(None, None), (T0_MS + 3_600_000, None), (None, T0_MS + 50 * 3_600_000),
                                    (T0_MS + 3_600_000, T0_MS + 50 * 3_600_000)])
def test_chunks_cover_the_window_once_in_order_at_about_the_size(
    db: Path, size: int, window: tuple[int | None, int | None]
) -> None:
    export_filter = ExportFilter(since_ms=window[0], until_ms=window[1])
    chunks = chunks_of(db, export_filter, size)
    assert (chunks[0].since_ms, chunks[-1].until_ms) == window
    assert all(a.until_ms == b.since_ms for a, b in zip(chunks, chunks[1:]))
    covered = [m for chunk in chunks for m in starts_in(db, chunk)]
    assert covered == starts_in(db, Chunk(*window, chunks[0].last_id))
    sizes = [len(starts_in(db, chunk)) for chunk in chunks]
    assert max(sizes) <= max(size, 2)  # the sample has pairs of events sharing a start time
    assert len(chunks) >= len(covered) // max(size, 2)


def test_a_start_time_shared_by_more_events_than_a_chunk_gets_a_chunk_of_its_own(tmp_path: Path) -> None:
    moments = [T0_MS - 1] + [T0_MS] * 9 + [T0_MS + 1, T0_MS + 2]
    db = seed(tmp_path / "ties.db", [UsageEvent(m, f"r{i}", "anthropic", "anthropic_messages", Status.SUCCESS, 200)
                                     for i, m in enumerate(moments)])
    chunks = chunks_of(db, ExportFilter(), 3)
    assert [starts_in(db, chunk) for chunk in chunks if starts_in(db, chunk)] == [
        [T0_MS - 1], [T0_MS] * 9, [T0_MS + 1, T0_MS + 2]]
    assert [r["request_id"] for r in rows_of(db, ExportFilter(), chunk_rows=3)] == [f"r{i}" for i in range(12)]


def test_events_written_after_the_export_began_are_left_out(db: Path) -> None:
    reader = open_reader(db)
    try:
        chunks = export_chunks(reader, ExportFilter(), 40)
        first = next(chunks)
        with sqlite3.connect(db) as writer:  # one late event inside the first chunk's window, one after all
            writer.executemany(INSERT_EVENT_SQL, [
                event_row(UsageEvent(T0_MS, "late-early", "anthropic", "anthropic_messages", Status.SUCCESS, 200)),
                event_row(UsageEvent(T0_MS + 10**9, "late-last", "anthropic", "anthropic_messages",
                                     Status.SUCCESS, 200))])
        encoded = [encode_chunk(reader, ExportFilter(), FORMATS["jsonl"], chunk) for chunk in [first, *chunks]]
    finally:
        reader.close()
    data = b"".join(bytes(part) for chunk in encoded for part in chunk.parts)
    assert b"late-" not in data
    assert sum(chunk.rows for chunk in encoded) == len(parse_export("jsonl", data)) == 240


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
        list(export_chunks(conn, ExportFilter(), 10))
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM usage_events")
    finally:
        conn.close()
