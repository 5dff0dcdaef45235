"""CSV export: RFC 4180 with a header, parsed back by the csv module into exactly the database's values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.export.sample_events import (
    CASES,
    Case,
    assert_totals_match,
    export_bytes,
    parse_export,
    seed,
    sql_totals,
    totals_of,
)
from tests.export.test_columns import DOCUMENTED


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return seed(tmp_path / "conduit.db")


def test_header_then_one_crlf_record_per_event(db: Path) -> None:
    data, summary = export_bytes(db, "csv")
    records = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert tuple(records[0]) == DOCUMENTED
    assert len(records) - 1 == summary.row_count == sql_totals(db)["rows"]
    assert data.startswith(b"timestamp,request_id,") and data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"").replace(b'"odd[1],""q""\nname"', b"")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_csv_totals_match_direct_sql(db: Path, case: Case) -> None:
    data, _ = export_bytes(db, "csv", **case.fields)
    assert_totals_match(totals_of(parse_export("csv", data)), sql_totals(db, case.where))


def test_awkward_text_is_quoted_and_round_trips(db: Path) -> None:
    rows = parse_export("csv", export_bytes(db, "csv", model="odd*")[0])
    assert rows and {r["model"] for r in rows} == {'odd[1],"q"\nname'}


def test_nulls_are_empty_flags_are_1_0_and_cost_is_clean(db: Path) -> None:
    rows = parse_export("csv", export_bytes(db, "csv")[0])
    first = next(r for r in rows if r["request_id"] == "req_00000")
    assert first["timestamp"] == "2026-11-01T00:00:00.999Z"
    assert first["session_id"] == "" and first["governance_categories"] == ""
    assert {r["streamed"] for r in rows} == {"0", "1"} and {r["priced"] for r in rows} == {"0", "1"}
    assert first["cost_usd"] == "0.3"
    assert {r["governance_categories"] for r in rows} >= {"aws_access_key|github_token"}


def test_empty_export_is_just_the_header(db: Path) -> None:
    data, summary = export_bytes(db, "csv", team="nobody")
    assert data == ",".join(DOCUMENTED).encode() + b"\r\n"
    assert (summary.row_count, summary.first_timestamp, summary.last_timestamp) == (0, None, None)
