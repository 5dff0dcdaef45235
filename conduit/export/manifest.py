"""The manifest written beside an exported file (`<file>.manifest.json`): its name, SHA-256, format, filter, row
count and time range, when and by which Conduit it was made, so an auditor can check it was not altered.

Imports the standard library, orjson, `conduit.store.export_lines` and `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from conduit.export.atomic import atomic_output
from conduit.export.run import ExportSummary
from conduit.store.export_lines import EXPORT_COLUMNS

MANIFEST_SUFFIX = ".manifest.json"


def manifest_path(output: Path) -> Path:
    """Where the manifest of the export written to `output` goes."""
    return output.with_name(output.name + MANIFEST_SUFFIX)


def manifest_document(
    output: Path, fmt: str, filter_doc: Mapping[str, Any], summary: ExportSummary, exported_at: str, version: str
) -> dict[str, Any]:
    """The manifest's content for an export of `summary` to `output`."""
    return {
        "file": output.name,
        "sha256": summary.sha256,
        "bytes": summary.bytes_written,
        "format": fmt,
        "filter": dict(filter_doc),
        "columns": list(EXPORT_COLUMNS),
        "row_count": summary.row_count,
        "first_timestamp": summary.first_timestamp,
        "last_timestamp": summary.last_timestamp,
        "exported_at": exported_at,
        "conduit_version": version,
    }


def write_manifest(output: Path, document: Mapping[str, Any]) -> Path:
    """Write `document` atomically beside `output` and return the manifest's path."""
    path = manifest_path(output)
    with atomic_output(path) as out:
        out.write(orjson.dumps(dict(document), option=orjson.OPT_INDENT_2) + b"\n")
    return path
