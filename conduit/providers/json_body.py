"""A bounded buffer for a non-streamed JSON response body, decoded once when the response ends.

Bodies over the limit (big embedding batches) keep only their tail, where providers put `usage` and, for
embeddings, `model`; those two are then read from the tail. Imports orjson only (through json_fields).
"""

from __future__ import annotations

import re

from conduit.providers.json_fields import JsonObject, decode_object, model_in_line

MAX_BODY_BYTES = 16 * 1024 * 1024
TAIL_BYTES = 64 * 1024

_USAGE_KEY = re.compile(rb'"usage"\s*:\s*\{')


class JsonBody:
    """Collects a JSON body chunk by chunk, up to `max_bytes`; past that it keeps a sliding tail."""

    __slots__ = ("_chunks", "_size", "_max", "_overflow", "_head_model", "_tail")

    def __init__(self, max_bytes: int = MAX_BODY_BYTES) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._max = max_bytes
        self._overflow = False
        self._head_model: str | None = None
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the body."""
        if self._overflow:
            self._tail = (self._tail + chunk)[-TAIL_BYTES:]
            return
        self._size += len(chunk)
        self._chunks.append(chunk)
        if self._size > self._max:
            whole = b"".join(self._chunks)
            self._chunks.clear()
            self._overflow = True
            self._head_model = model_in_line(whole[:TAIL_BYTES])
            self._tail = whole[-TAIL_BYTES:]

    def value(self) -> JsonObject | None:
        """The decoded body, or for an oversized body an object holding only its `usage` and `model`."""
        if not self._overflow:
            return decode_object(b"".join(self._chunks))
        found: dict[str, object] = {}
        usage = _last_usage(self._tail)
        if usage is not None:
            found["usage"] = usage
        model = self._head_model or model_in_line(self._tail)
        if model is not None:
            found["model"] = model
        return found or None


def _last_usage(tail: bytes) -> JsonObject | None:
    """The last `"usage":{…}` object in `tail`, matched by braces (usage objects hold no braces in strings)."""
    matches = list(_USAGE_KEY.finditer(tail))
    if not matches:
        return None
    start = matches[-1].end() - 1
    depth = 0
    for index in range(start, len(tail)):
        byte = tail[index]
        if byte == 123:
            depth += 1
        elif byte == 125:
            depth -= 1
            if depth == 0:
                return decode_object(tail[start : index + 1])
    return None
