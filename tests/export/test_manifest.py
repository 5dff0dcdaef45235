"""The manifest beside an export names the file, its SHA-256, format, filter, row count and time range."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conduit.export.manifest import manifest_document, manifest_path, write_manifest
from conduit.export.run import ExportSummary
from tests.export.test_columns import DOCUMENTED


def test_manifest_is_written_beside_the_file(tmp_path: Path) -> None:
    output = tmp_path / "usage.csv"
    output.write_bytes(b"x")
    summary = ExportSummary(3, "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z",
                            hashlib.sha256(b"x").hexdigest(), 1)
    filter_doc = {"since": None, "until": None, "key": "alice", "team": None, "model": None, "status": []}
    document = manifest_document(output, "csv", filter_doc, summary, "2026-11-23T00:00:00.000Z", "9.9")
    path = write_manifest(output, document)
    assert path == manifest_path(output) == tmp_path / "usage.csv.manifest.json"
    assert json.loads(path.read_bytes()) == {
        "file": "usage.csv", "sha256": hashlib.sha256(b"x").hexdigest(), "bytes": 1, "format": "csv",
        "filter": filter_doc, "columns": list(DOCUMENTED), "row_count": 3,
        "first_timestamp": "2026-11-01T00:00:00.000Z", "last_timestamp": "2026-11-02T00:00:00.000Z",
        "exported_at": "2026-11-23T00:00:00.000Z", "conduit_version": "9.9",
    }
