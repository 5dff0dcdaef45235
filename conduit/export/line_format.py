"""What an export format is made of: the bytes around the rows (header, footer), how each row starts and ends,
the characters a row may hold only where the format puts them, and the careful encoding of a row whose values
hold such characters.

Imports the standard library and `conduit.store.export_lines` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conduit.store.export_lines import LineKind, line_template

# A row's values after the timestamp as text, None for NULL.
Values = tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class LineFormat:
    """One export format.

    Each row is `row_start`, the date and `T`, then the rest of the line rendered by SQLite (`kind`) and closed by
    `row_end`. `lead` bytes of the first row's start are left out (a separator that only goes between rows).
    `careful_row(timestamp, values)` encodes a whole row, escaping whatever needs it.
    """

    name: str
    kind: LineKind
    row_start: bytes
    row_end: str
    specials: bytes
    header: Callable[[Mapping[str, Any]], bytes]
    footer: Callable[[int], bytes]
    careful_row: Callable[[str, Values], bytes]
    lead: int = 0

    def specials_per_row(self) -> int:
        """How many `specials` bytes a row holds when none of its values holds one (values SQLite put in quotes
        add two each)."""
        fixed = self.row_start + line_template(self.kind, self.row_end).encode()
        return len(fixed) - len(fixed.translate(None, self.specials))
