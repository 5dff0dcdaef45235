"""JSONL export: one object per line with the documented keys, JSON booleans and nulls, totals as in SQL."""

from __future__ import annotations

import json
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


def test_one_object_per_line_with_the_documented_keys(db: Path) -> None:
    data, summary = export_bytes(db, "jsonl")
    lines = data.split(b"\n")
    assert lines[-1] == b"" and len(lines) - 1 == summary.row_count == sql_totals(db)["rows"]
    for line in lines[:-1]:
        assert tuple(json.loads(line)) == DOCUMENTED


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_jsonl_totals_match_direct_sql(db: Path, case: Case) -> None:
    data, _ = export_bytes(db, "jsonl", **case.fields)
    assert_totals_match(totals_of(parse_export("jsonl", data)), sql_totals(db, case.where))


def test_types_booleans_nulls_and_cost(db: Path) -> None:
    rows = parse_export("jsonl", export_bytes(db, "jsonl")[0])
    first = next(r for r in rows if r["request_id"] == "req_00000")
    assert first["streamed"] is True and first["tokens_estimated"] is True and first["priced"] is False
    assert first["session_id"] is None and first["http_status"] == 200 and isinstance(first["input_tokens"], int)
    assert b'"request_id":"req_00000"' in export_bytes(db, "jsonl")[0].split(b"\n")[1]
    assert b'"cost_usd":0.3,' in export_bytes(db, "jsonl")[0].split(b"\n")[1]
    assert {type(r["streamed"]) for r in rows} == {bool}


def test_empty_export_is_empty(db: Path) -> None:
    assert export_bytes(db, "jsonl", team="nobody")[0] == b""
