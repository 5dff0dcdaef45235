"""A model's price in USD per million tokens, for each kind of token."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million tokens: uncached input, output, cache reads and cache writes."""

    input: float
    output: float
    cache_read: float = 0.0
    cache_write: float = 0.0
