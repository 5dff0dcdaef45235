"""What a format writes to and reads from: a byte sink (the digesting writer) and batches of store rows.

Imports the standard library and `conduit.store.export_rows` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from conduit.store.export_rows import Row

Batches = Iterable[list[Row]]


class Sink(Protocol):
    """Anything bytes can be written to."""

    def write(self, data: bytes) -> None:
        """Write `data`."""


class FormatWriter(Protocol):
    """A format: writes the rows of `batches` (and, if it has a header, the filter) to `sink`."""

    def __call__(self, sink: Sink, batches: Batches, filter_doc: Mapping[str, Any]) -> None:
        """Write every row of `batches` to `sink`."""
