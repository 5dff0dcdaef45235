"""JSON Lines: one JSON object per event and per line (`\n`), keys in column order, booleans true/false and
NULL as null; no header, so files can be concatenated and read line by line.

Imports the standard library, orjson and `conduit.export` siblings only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conduit.export.columns import encode_objects
from conduit.export.sink import Batches, Sink


def write_jsonl(sink: Sink, batches: Batches, filter_doc: Mapping[str, Any]) -> None:
    """Write every row of `batches` to `sink` as one JSON object per line, one write per batch."""
    del filter_doc  # each line stands alone; the manifest carries the filter
    for batch in batches:
        if batch:
            sink.write(encode_objects(batch, b"\n") + b"\n")
