"""CSV (RFC 4180): a header row of the column names, then one record per event; CRLF line ends, fields quoted
only when they hold a comma, a quote or a line break. NULL is an empty field, booleans are 1/0, text is UTF-8.

Imports the standard library and `conduit.export` siblings only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from conduit.export.columns import COLUMNS
from conduit.export.sink import Batches, Sink


def write_csv(sink: Sink, batches: Batches, filter_doc: Mapping[str, Any]) -> None:
    """Write the header and every row of `batches` to `sink`, one encoded write per batch."""
    del filter_doc  # a CSV file has no place for it; the manifest carries it
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for batch in batches:
        writer.writerows(batch)
        sink.write(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        sink.write(buffer.getvalue().encode())
