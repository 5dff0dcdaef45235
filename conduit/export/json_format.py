"""The two JSON formats. JSON Lines: one object per event and per line (`\n`), no header, so files can be
concatenated and read line by line. JSON: one document, `{"filter": {...}, "columns": [...], "rows": [{...},
...], "row_count": N}`, each row on its own line. Keys are the column names in order, flags true/false, NULL null.

Imports the standard library, orjson, `conduit.store.export_lines` and `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from conduit.export.line_format import LineFormat, Values
from conduit.store.export_lines import EXPORT_COLUMNS, FLAG_COLUMNS, TEXT_COLUMNS

# What a clean row holds only where the format puts them: quotes, backslashes and control characters.
_SPECIALS = bytes(range(0x20)) + b'"\\'


def _object(timestamp: str, values: Values) -> bytes:
    """The event as a JSON object, strings escaped by orjson, numbers as printed by SQLite."""
    parts = [b'{"timestamp":"' + timestamp.encode() + b'"']
    for name, value in zip(EXPORT_COLUMNS[1:], values):
        if value is None:
            encoded = b"null"
        elif name in FLAG_COLUMNS:
            encoded = b"false" if value == "0" else b"true"
        elif name in TEXT_COLUMNS:
            encoded = orjson.dumps(value)
        else:
            encoded = value.encode()
        parts.append(b'"' + name.encode() + b'":' + encoded)
    return b",".join(parts) + b"}"


def _document_start(filter_doc: Mapping[str, Any]) -> bytes:
    dumps = orjson.dumps
    return b'{"filter":' + dumps(dict(filter_doc)) + b',"columns":' + dumps(list(EXPORT_COLUMNS)) + b',"rows":['


def _document_end(rows: int) -> bytes:
    return (b"\n" if rows else b"") + b'],"row_count":' + str(rows).encode() + b"}\n"


JSONL = LineFormat(
    name="jsonl", kind="json", row_start=b'{"timestamp":"', row_end="}\n", specials=_SPECIALS,
    header=lambda filter_doc: b"", footer=lambda rows: b"",
    careful_row=lambda timestamp, values: _object(timestamp, values) + b"\n",
)
JSON = LineFormat(
    name="json", kind="json", row_start=b',\n{"timestamp":"', row_end="}", specials=_SPECIALS,
    header=_document_start, footer=_document_end,
    careful_row=lambda timestamp, values: b",\n" + _object(timestamp, values), lead=1,
)
