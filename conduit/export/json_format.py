"""One JSON document: `{"filter": {...}, "columns": [...], "rows": [{...}, ...], "row_count": N}`, written as
it goes (the opening, each row on its own line, then the closing), so memory stays constant.

Imports the standard library, orjson and `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from conduit.export.columns import COLUMNS, encode_objects
from conduit.export.sink import Batches, Sink


def write_json(sink: Sink, batches: Batches, filter_doc: Mapping[str, Any]) -> None:
    """Write the document's opening, every row of `batches`, and the closing with the row count to `sink`."""
    dumps = orjson.dumps
    sink.write(b'{"filter":' + dumps(dict(filter_doc)) + b',"columns":' + dumps(list(COLUMNS)) + b',"rows":[')
    row_count = 0
    for batch in batches:
        if batch:
            sink.write((b",\n" if row_count else b"\n") + encode_objects(batch, b",\n"))
            row_count += len(batch)
    sink.write((b"\n" if row_count else b"") + b'],"row_count":' + str(row_count).encode() + b"}\n")
