"""CSV (RFC 4180): a header row of the column names, then one record per event; CRLF line ends, fields quoted
only when they hold a comma, a quote or a line break. NULL is an empty field, flags are 1/0, text is UTF-8.

Imports the standard library, `conduit.store.export_lines` and `conduit.export` siblings only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from conduit.export.line_format import LineFormat, Values
from conduit.store.export_lines import EXPORT_COLUMNS

_LINE_END = "\r\n"


def _record(fields: list[str | None]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_LINE_END).writerow(fields)
    return buffer.getvalue().encode()


def _header(filter_doc: Mapping[str, Any]) -> bytes:
    del filter_doc  # a CSV file has no place for it; the manifest carries it
    return _record(list(EXPORT_COLUMNS))


def _careful_row(timestamp: str, values: Values) -> bytes:
    return _record([timestamp, *values])


CSV = LineFormat(
    name="csv", kind="csv", row_start=b"", row_end=_LINE_END, specials=b',"\r\n',
    header=_header, footer=lambda rows: b"", careful_row=_careful_row,
)
