"""One export from start to end: pick the format, stream the store's batches through it into a digesting sink,
and count what went by (rows, first and last timestamp) for the summary line and the manifest.

Imports the standard library and `conduit.export` / `conduit.store` modules only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from conduit.export.columns import TIMESTAMP_INDEX
from conduit.export.csv_format import write_csv
from conduit.export.digest import DigestWriter
from conduit.export.json_format import write_json
from conduit.export.jsonl_format import write_jsonl
from conduit.export.sink import Batches, FormatWriter
from conduit.store.export_rows import Row

FORMATS: Mapping[str, FormatWriter] = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: its rows, the time range they cover, and the SHA-256 and size of the bytes."""

    row_count: int
    first_timestamp: str | None
    last_timestamp: str | None
    sha256: str
    bytes_written: int


class _Tally:
    """Passes batches through while counting rows and keeping the first and last timestamp."""

    def __init__(self, batches: Batches) -> None:
        self._batches = batches
        self.row_count = 0
        self.first: str | None = None
        self.last: str | None = None

    def __iter__(self) -> Iterator[list[Row]]:
        for batch in self._batches:
            if batch:
                if self.first is None:
                    self.first = batch[0][TIMESTAMP_INDEX]
                self.last = batch[-1][TIMESTAMP_INDEX]
                self.row_count += len(batch)
            yield batch


def run_export(batches: Batches, fmt: str, out: BinaryIO, filter_doc: Mapping[str, Any]) -> ExportSummary:
    """Write `batches` to `out` in format `fmt` (a key of FORMATS) and return what was written."""
    sink = DigestWriter(out)
    tally = _Tally(batches)
    FORMATS[fmt](sink, tally, filter_doc)
    return ExportSummary(tally.row_count, tally.first, tally.last, sink.hexdigest(), sink.bytes_written)
