"""One export run: the SHA-256 is that of exactly the bytes written, and the summary counts rows and the time
range they cover."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.export.sample_events import export_bytes, parse_export, seed, sql_totals


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_digest_and_summary_describe_the_bytes(tmp_path: Path, fmt: str) -> None:
    db = seed(tmp_path / "conduit.db")
    data, summary = export_bytes(db, fmt)
    assert summary.sha256 == hashlib.sha256(data).hexdigest()
    assert summary.bytes_written == len(data)
    rows = parse_export(fmt, data)
    assert summary.row_count == len(rows) == sql_totals(db)["rows"]
    assert (summary.first_timestamp, summary.last_timestamp) == (rows[0]["timestamp"], rows[-1]["timestamp"])
    assert summary.first_timestamp == "2026-11-01T00:00:00.001Z"
