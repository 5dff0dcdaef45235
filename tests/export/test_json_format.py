"""JSON export: one document with the filter, the columns, the rows and their count; totals as in SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conduit.core.status import Status
from tests.export.sample_events import (
    CASES,
    T0_MS,
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


def test_document_holds_filter_columns_rows_and_count(db: Path) -> None:
    data, summary = export_bytes(db, "json", since_ms=T0_MS, team="platform",
                                 statuses=(Status.SUCCESS, Status.PROXY_ERROR))
    document = json.loads(data)
    assert list(document) == ["filter", "columns", "rows", "row_count"]
    assert document["filter"] == {"since": "2026-11-01T00:00:00.000Z", "until": None, "key": None,
                                  "team": "platform", "model": None, "status": ["success", "proxy_error"]}
    assert tuple(document["columns"]) == DOCUMENTED
    assert document["row_count"] == len(document["rows"]) == summary.row_count > 0
    assert all(tuple(row) == DOCUMENTED for row in document["rows"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_json_totals_match_direct_sql(db: Path, case: Case) -> None:
    data, _ = export_bytes(db, "json", **case.fields)
    assert_totals_match(totals_of(parse_export("json", data)), sql_totals(db, case.where))


def test_one_row_per_line(db: Path) -> None:
    data, summary = export_bytes(db, "json")
    assert data.count(b"\n") == summary.row_count + 2


def test_empty_export_is_a_valid_document(db: Path) -> None:
    document = json.loads(export_bytes(db, "json", team="nobody")[0])
    assert document["rows"] == [] and document["row_count"] == 0
