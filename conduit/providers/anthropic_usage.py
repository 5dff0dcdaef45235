"""Usage parsers for Anthropic Messages responses, JSON and SSE.

Streams: only `message_start` (model, input and cache tokens) and `message_delta` (output, and on newer APIs
input and cache again) are decoded; text deltas are only measured, by a regex on the raw line, so a stream
cut before `message_delta` still gets an output estimate. Imports core, orjson and sibling provider modules.
"""

from __future__ import annotations

import re

from conduit.core.estimate import estimate_tokens, json_string_chars
from conduit.core.usage import Metered, Usage
from conduit.providers.json_body import JsonBody
from conduit.providers.json_fields import JsonObject, decode_object, int_at, obj_at, str_at
from conduit.providers.sse import SseScanner

MESSAGE_START = b"message_start"
MESSAGE_DELTA = b"message_delta"
CONTENT_BLOCK_DELTA = b"content_block_delta"

_DELTA_TEXT = re.compile(rb'"(?:text|partial_json|thinking)"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)


class _Counts:
    """The latest non-null value of each Anthropic usage field seen so far."""

    __slots__ = ("input", "output", "cache_read", "cache_write")

    def __init__(self) -> None:
        self.input = 0
        self.output = 0
        self.cache_read = 0
        self.cache_write = 0

    def take(self, usage: JsonObject | None) -> None:
        """Overwrite each field that `usage` carries as a number; absent and null fields keep their value."""
        self.input = _latest(usage, "input_tokens", self.input)
        self.output = _latest(usage, "output_tokens", self.output)
        self.cache_read = _latest(usage, "cache_read_input_tokens", self.cache_read)
        self.cache_write = _latest(usage, "cache_creation_input_tokens", self.cache_write)

    def usage(self, output: int | None = None, estimated: bool = False) -> Usage:
        """These counts as a Usage, optionally with another output figure."""
        return Usage(
            input_tokens=self.input,
            output_tokens=self.output if output is None else output,
            cache_read_tokens=self.cache_read,
            cache_write_tokens=self.cache_write,
            estimated=estimated,
        )


def _latest(usage: JsonObject | None, key: str, current: int) -> int:
    value = int_at(usage, key)
    return current if value is None else value


class AnthropicJsonParser:
    """Reads a non-streamed Messages response: `usage` and `model` from the decoded body."""

    __slots__ = ("_body",)

    def __init__(self) -> None:
        self._body = JsonBody()

    def feed(self, chunk: bytes) -> None:
        """Buffer the chunk (bounded)."""
        self._body.feed(chunk)

    def result(self) -> Metered:
        """The body's usage; zero and incomplete when it has none (an error body, or not JSON)."""
        body = self._body.value()
        usage = obj_at(body, "usage")
        model = str_at(body, "model")
        if usage is None:
            return Metered(Usage(), model=model, complete=False)
        counts = _Counts()
        counts.take(usage)
        return Metered(counts.usage(), model=model, complete=True)


class AnthropicStreamParser:
    """Reads a streamed Messages response, decoding only the two usage-bearing events."""

    __slots__ = ("_scanner", "_counts", "_model", "_started", "_finished", "_delta_chars")

    def __init__(self) -> None:
        self._scanner = SseScanner(self._on_data, events=(MESSAGE_START, MESSAGE_DELTA, CONTENT_BLOCK_DELTA))
        self._counts = _Counts()
        self._model: str | None = None
        self._started = False
        self._finished = False
        self._delta_chars = 0

    def feed(self, chunk: bytes) -> None:
        """Scan the chunk."""
        self._scanner.feed(chunk)

    def _on_data(self, event: bytes, data: bytes) -> None:
        if event == CONTENT_BLOCK_DELTA:
            match = _DELTA_TEXT.search(data)
            if match is not None:
                self._delta_chars += json_string_chars(match.group(1))
            return
        obj = decode_object(data)
        if obj is None:
            return
        if event == MESSAGE_START:
            message = obj_at(obj, "message")
            self._model = str_at(message, "model") or self._model
            self._counts.take(obj_at(message, "usage"))
            self._started = True
        else:
            self._counts.take(obj_at(obj, "usage"))
            self._finished = True

    def result(self) -> Metered:
        """Final usage after `message_delta`; otherwise the input seen and an output estimate from the deltas."""
        if self._finished:
            return Metered(self._counts.usage(), model=self._model, complete=True)
        if not self._started:
            return Metered(Usage(), model=self._model, complete=False)
        output = max(self._counts.output, estimate_tokens(self._delta_chars))
        return Metered(self._counts.usage(output=output, estimated=True), model=self._model, complete=False)
