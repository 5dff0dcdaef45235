"""Token usage of one request, normalised across providers.

`input_tokens` always means *uncached* input (Anthropic's meaning); cache reads and writes are counted apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens consumed by one request; `estimated` is set when any count is a guess, not the provider's figure."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    estimated: bool = False


@dataclass(frozen=True, slots=True)
class Metered:
    """What a usage parser learnt from a response: the usage, the model the provider named, and whether the
    provider's final usage figures were seen (False for cut-off streams, where the counts are partial)."""

    usage: Usage
    model: str | None = None
    complete: bool = True


def _no_chars() -> int:
    return 0


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the proxy needs to know about a request body, decoded once: model, streaming, limits, size.

    The prompt's size is counted only when asked for (`input_chars`): walking a large body costs more than
    decoding it, and most responses report exact usage, so the count stays off the hot path.
    """

    model: str | None = None
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    json_ok: bool = True
    count_input_chars: Callable[[], int] = field(default=_no_chars, compare=False, repr=False)
    document: object = field(default=None, compare=False, repr=False)
    """The decoded JSON body, shared with the governance scan so the body is decoded once (never stored)."""

    @property
    def input_chars(self) -> int:
        """Characters of prompt text in the request (counted on each call)."""
        return self.count_input_chars()
