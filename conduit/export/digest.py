"""The output sink every format writes to: it hashes (SHA-256) and counts the bytes as they are written, so the
digest printed at the end is that of exactly what was written, without reading the file back.

Imports the standard library only.
"""

from __future__ import annotations

import hashlib
from typing import Protocol


class Writable(Protocol):
    """Where an export goes: stdout's binary buffer or an atomic output file."""

    def write(self, data: bytes | memoryview, /) -> object:
        """Write all of `data`."""


class DigestWriter:
    """Writes bytes to a binary file while feeding them to a SHA-256 and counting them."""

    def __init__(self, out: Writable) -> None:
        self._out = out
        self._hash = hashlib.sha256()
        self.bytes_written = 0

    def write(self, data: bytes | memoryview) -> None:
        """Write `data` and add it to the digest."""
        self._hash.update(data)
        self._out.write(data)
        self.bytes_written += len(data)

    def hexdigest(self) -> str:
        """The SHA-256 of everything written so far, as 64 hex digits."""
        return self._hash.hexdigest()
