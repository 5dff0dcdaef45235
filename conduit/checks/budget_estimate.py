"""What a request is expected to cost before it is forwarded, for budget reservations: the worst case (strict
mode) or a realistic figure learnt from the key's recent requests on the same model (estimate mode).
Pure: imports the standard library, `conduit.core` and `conduit.checks.base` only.
"""

from __future__ import annotations

from conduit.checks.base import Subject
from conduit.core.price import Price

DEFAULT_MAX_OUTPUT = 64_000
"""Output tokens strict mode assumes when a request sets no max_tokens."""
FALLBACK_OUTPUT = 1024
"""Output tokens estimate mode assumes (at most) before it has seen a key use a model."""
EMA_ALPHA = 0.3
"""Weight of the newest request in the moving average of a key's cost per model."""
HISTORY_LIMIT = 10_000
PER_MILLION = 1_000_000


def strict_cost_usd(subject: Subject, price: Price) -> float:
    """The most a request can cost: every input token at the dearer of input and cache-write prices, plus its
    max_tokens (or DEFAULT_MAX_OUTPUT) of output."""
    output = subject.max_tokens if subject.max_tokens is not None else DEFAULT_MAX_OUTPUT
    worst_input = max(price.input, price.cache_write)
    return (subject.input_tokens * worst_input + output * price.output) / PER_MILLION


def first_guess_usd(subject: Subject, price: Price) -> float:
    """A realistic cost for a request with no history: its input at the input price and up to 1024 output."""
    output = min(subject.max_tokens or FALLBACK_OUTPUT, FALLBACK_OUTPUT)
    return (subject.input_tokens * price.input + output * price.output) / PER_MILLION


HistoryKey = tuple[str | None, str]
"""Whose history an estimate comes from: (key id, or None without a virtual key; model)."""


class CostHistory:
    """An exponential moving average of settled cost per (key, model), bounded to HISTORY_LIMIT pairs."""

    __slots__ = ("_average_usd", "_limit")

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self._average_usd: dict[HistoryKey, float] = {}
        self._limit = limit

    def average_usd(self, key: HistoryKey | None) -> float | None:
        """The moving average of settled cost for (key, model), or None before the first settled request."""
        return None if key is None else self._average_usd.get(key)

    def record(self, key: HistoryKey, cost_usd: float) -> None:
        """Fold one settled request's actual cost into its (key, model) average."""
        history = self._average_usd
        previous = history.get(key)
        if previous is None:
            if len(history) >= self._limit:
                history.clear()
            history[key] = cost_usd
        else:
            history[key] = previous + EMA_ALPHA * (cost_usd - previous)


def history_key(subject: Subject) -> HistoryKey | None:
    """The history a request's settled cost belongs to (None when it names no model)."""
    if subject.model is None:
        return None
    return (None if subject.key is None else subject.key.id, subject.model)
