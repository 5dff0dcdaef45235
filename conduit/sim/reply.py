"""The simulated model's reply: deterministic words, one token each, chosen from the request's digest.

Replies are cached by (start word, length), so a benchmark's repeated requests build nothing twice.
Imports only the standard library and orjson.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import orjson

VOCABULARY = (
    "the", "proxy", "meters", "every", "request", "and", "records", "tokens", "without", "storing",
    "content", "a", "budget", "keeps", "spend", "inside", "limits", "while", "agents", "stream",
    "answers", "through", "one", "port", "so", "teams", "see", "who", "used", "which",
    "model", "when", "cache", "reads", "cost", "less", "than", "fresh", "input", "output",
    "costs", "more", "each", "event", "is", "small", "metadata", "only", "never", "prompts",
    "latency", "stays", "low", "because", "usage", "parsing", "runs", "off", "hot", "path",
    "keys", "rotate", "safely", "today",
)  # fmt: skip
_STRIDE = 7


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply of `output_tokens` words: its pieces as streamed (with JSON encodings), its text, and whether
    it was cut short by the request's output limit."""

    pieces: tuple[str, ...]
    pieces_json: tuple[bytes, ...]
    text: str
    output_tokens: int
    truncated: bool


def plan_reply(key: str, wanted: int, limit: int | None) -> Reply:
    """The reply to a request whose body digest is `key`: `wanted` words, or fewer if `limit` is lower."""
    count = max(1, wanted if limit is None else min(wanted, max(1, limit)))
    reply = _words(int(key[:8], 16) % len(VOCABULARY), count)
    if count < wanted:
        return Reply(reply.pieces, reply.pieces_json, reply.text, count, True)
    return reply


@lru_cache(maxsize=4096)
def _words(start: int, count: int) -> Reply:
    pieces = tuple((" " if i else "") + VOCABULARY[(start + i * _STRIDE) % len(VOCABULARY)] for i in range(count))
    pieces_json = tuple(orjson.dumps(piece) for piece in pieces)
    return Reply(pieces, pieces_json, "".join(pieces), count, False)
