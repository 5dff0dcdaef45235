"""The export's stable column set (the same names in CSV headers and JSON keys) and the conversion of store rows
into JSON objects: booleans become true/false, everything else is kept as read (NULL is null).

Imports orjson and `conduit.store.export_rows` only.
"""

from __future__ import annotations

from typing import Any

import orjson

from conduit.store.export_rows import BOOL_COLUMNS, EXPORT_COLUMNS, Row

COLUMNS: tuple[str, ...] = EXPORT_COLUMNS
TIMESTAMP_INDEX = COLUMNS.index("timestamp")
_STREAMED, _ESTIMATED, _PRICED = (COLUMNS.index(name) for name in BOOL_COLUMNS)
# Between two encoded objects of a list; never inside one, since a quote inside a JSON string is escaped (\").
_BOUNDARY = b'},{"' + COLUMNS[0].encode() + b'":'


def json_objects(batch: list[Row]) -> list[dict[str, Any]]:
    """The rows of a batch as JSON-ready dicts keyed by COLUMNS, with the 0/1 flags as booleans."""
    objects = []
    for row in batch:
        obj = dict(zip(COLUMNS, row))
        obj["streamed"] = row[_STREAMED] == 1
        obj["tokens_estimated"] = row[_ESTIMATED] == 1
        obj["priced"] = row[_PRICED] == 1
        objects.append(obj)
    return objects


def encode_objects(batch: list[Row], separator: bytes) -> bytes:
    """The rows of a non-empty batch as compact JSON objects joined by `separator`, encoded in one call."""
    encoded = orjson.dumps(json_objects(batch))[1:-1]
    return encoded.replace(_BOUNDARY, b"}" + separator + _BOUNDARY[2:])
