"""The export formats by name, as `--format` takes them.

Imports `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Mapping

from conduit.export.csv_format import CSV
from conduit.export.json_format import JSON, JSONL
from conduit.export.line_format import LineFormat

FORMATS: Mapping[str, LineFormat] = {fmt.name: fmt for fmt in (CSV, JSON, JSONL)}
