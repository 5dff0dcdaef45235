"""What a governance scan reports: which category matched where in the scanned text.

A finding holds offsets, never the matched text: callers that need the value (the local `governance scan`
command, or the in-memory first-appearance tracker) slice it from the text they already hold. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ENTITY = "entity"
"""The category of the operator's own sensitive names (customers, codenames, deal codes)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One match: its category (a stable snake_case name) and its span [start, end) in the scanned text."""

    category: str
    start: int
    end: int


class Matcher(Protocol):
    """Anything that finds sensitive things in text: the secret detectors or the entity list."""

    def scan(self, text: str) -> list[Finding]:
        """Every finding in `text`, ordered by start offset."""
