"""One export from start to end: the format's header, every encoded chunk, the footer, all through a digesting
sink, counting what went by (rows, first and last start time) for the summary line and the manifest.

Imports the standard library, `conduit.core.moments` and `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from conduit.core.moments import iso_ms
from conduit.export.digest import DigestWriter, Writable
from conduit.export.encode import EncodedChunk
from conduit.export.line_format import LineFormat


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: its rows, the time range they cover, and the SHA-256 and size of the bytes."""

    row_count: int
    first_timestamp: str | None
    last_timestamp: str | None
    sha256: str
    bytes_written: int


def run_export(
    chunks: Iterable[EncodedChunk], fmt: LineFormat, out: Writable, filter_doc: Mapping[str, Any]
) -> ExportSummary:
    """Write the export to `out` in format `fmt` and return what was written."""
    sink = DigestWriter(out)
    sink.write(fmt.header(filter_doc))
    rows, first_ms, last_ms = 0, None, None
    lead = fmt.lead  # the separator that goes between rows is left out before the first
    for chunk in chunks:
        for part in chunk.parts:
            if part:
                sink.write(memoryview(part)[lead:] if lead else part)
                lead = 0
        if chunk.rows:
            first_ms = chunk.first_ms if first_ms is None else first_ms
            last_ms = chunk.last_ms
            rows += chunk.rows
    sink.write(fmt.footer(rows))
    first = None if first_ms is None else iso_ms(first_ms)
    last = None if last_ms is None else iso_ms(last_ms)
    return ExportSummary(rows, first, last, sink.hexdigest(), sink.bytes_written)
