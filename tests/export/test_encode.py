"""Encoding rows: SQLite renders each line and a batch is checked at once; a value holding a delimiter, a quote,
a backslash or a control character sends its row the careful way. Either way every format reads back exactly the
stored values, and chunks read in parallel worker processes give the very same bytes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.export import workers
from tests.export.sample_events import CASES, T0_MS, export_bytes, parse_export, seed

FORMATS = ("csv", "json", "jsonl")
TEXT = ("request_id", "key_name", "key_prefix", "team", "model", "session_id", "governance_categories",
        "governance_action", "error_code")
AWKWARD = ("a,b", 'say "hi"', "two\nlines", "cr\rhere", "back\\slash", "bell\x07", "tab\there", "",
           '":,', '":}', "null", "naïve – 東京 🚀", "\x00nul")


def event(i: int, **text: str | None) -> UsageEvent:
    fields: dict[str, Any] = {"key_name": "alice", "key_prefix": "vk_live_Al00…", "team": "platform",
                              "model": "claude-sonnet-5-5", "session_id": f"s{i}", "error_code": None}
    fields.update(text)
    request_id = fields.pop("request_id", f"r{i:04d}")
    return UsageEvent(T0_MS + i, request_id, "anthropic", "anthropic_messages", Status.SUCCESS, 200,
                      key_id="key_a", client="claude-code", input_tokens=i, cost_usd=0.1 + 0.2,
                      latency_ms=100.5, ttfb_ms=None if i % 2 else 20.25, **fields)


def awkward_db(tmp_path: Path) -> Path:
    """Ordinary rows with, among them, one row per awkward value in each text column."""
    events = [event(i) for i in range(40)]
    for name in TEXT:
        for value in AWKWARD:
            events.append(event(len(events), **{name: value}))
            events.append(event(len(events)))
    return seed(tmp_path / "awkward.db", events)


def stored(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(f"SELECT {', '.join(TEXT)} FROM usage_events "
                                                  "ORDER BY started_at_ms, id")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_text_reads_back_exactly(tmp_path: Path, fmt: str) -> None:
    db = awkward_db(tmp_path)
    rows = parse_export(fmt, export_bytes(db, fmt, chunk_rows=1000)[0])
    expected = stored(db)
    assert len(rows) == len(expected) > 200
    for got, want in zip(rows, expected):
        for name in TEXT:
            if fmt == "csv":  # CSV has no NULL: it is an empty field, like the empty string
                assert got[name] == (want[name] or ""), name
            else:
                assert got[name] == want[name], name


@pytest.mark.parametrize("fmt", FORMATS)
def test_careful_rows_look_like_the_others(tmp_path: Path, fmt: str) -> None:
    db = seed(tmp_path / "pair.db", [event(0), event(2, model='odd,"model"')])
    plain, careful = parse_export(fmt, export_bytes(db, fmt)[0])
    assert careful["model"] == 'odd,"model"'
    assert {k: v for k, v in careful.items() if k not in ("timestamp", "request_id", "session_id", "model",
                                                            "input_tokens")} == \
        {k: v for k, v in plain.items() if k not in ("timestamp", "request_id", "session_id", "model",
                                                     "input_tokens")}
    assert careful["timestamp"] == "2026-11-01T00:00:00.002Z"


@pytest.mark.parametrize("fmt", FORMATS)
def test_timestamps_are_iso_utc_with_milliseconds_before_and_after_1970(tmp_path: Path, fmt: str) -> None:
    moments = [-86_400_001, -1_500, -1, 0, 999, 1_000, T0_MS - 1, T0_MS, T0_MS + 59_999, 4_102_444_799_999]
    events = [UsageEvent(m, f"r{i}", "anthropic", "anthropic_messages", Status.SUCCESS, 200)
              for i, m in enumerate(moments)]
    db = seed(tmp_path / "t.db", events)
    data, summary = export_bytes(db, fmt, chunk_rows=3)
    got = [r["timestamp"] for r in parse_export(fmt, data)]
    expected = [datetime.fromtimestamp(m // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{m % 1000:03d}Z"
                for m in sorted(moments)]
    assert got == expected
    assert (summary.first_timestamp, summary.last_timestamp) == (expected[0], expected[-1])


@pytest.mark.parametrize("fmt", FORMATS)
def test_reals_have_float_noise_rounded_but_precision_kept(tmp_path: Path, fmt: str) -> None:
    costs = [0.1 + 0.2, 3e-06, 1.23456789012e-05, 12.5, 0.0, 1234.567890123]
    events = [UsageEvent(T0_MS + i, f"r{i}", "openai", "openai_chat", Status.SUCCESS, 200, cost_usd=c)
              for i, c in enumerate(costs)]
    rows = parse_export(fmt, export_bytes(seed(tmp_path / "c.db", events), fmt)[0])
    assert [float(r["cost_usd"]) for r in rows] == [0.3, 3e-06, 1.23456789012e-05, 12.5, 0.0, 1234.567890123]
    assert str(rows[0]["cost_usd"]) == "0.3"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_parallel_workers_write_the_same_bytes(tmp_path: Path, fmt: str, case: Any) -> None:
    db = seed(tmp_path / "conduit.db")
    one, one_summary = export_bytes(db, fmt, jobs=1, chunk_rows=100_000, **case.fields)
    many, many_summary = export_bytes(db, fmt, jobs=2, chunk_rows=7, **case.fields)
    assert many == one
    assert many_summary == one_summary


def test_a_chunk_too_big_for_its_slot_comes_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = awkward_db(tmp_path)
    expected, _ = export_bytes(db, "jsonl", jobs=1)
    monkeypatch.setattr(workers, "SLOT_BYTES", 200)
    assert export_bytes(db, "jsonl", jobs=2, chunk_rows=5)[0] == expected
