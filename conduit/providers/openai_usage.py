"""Usage parsers for OpenAI-compatible responses: Chat Completions, legacy Completions, Embeddings, Responses.

OpenAI counts cached (and cache-written) tokens inside the prompt; Conduit's `input_tokens` excludes them.
Streams decode only usage-bearing lines; text deltas are only measured, by a regex on the raw line, for the
estimate used when usage never arrives. Imports core, orjson and sibling provider modules.
"""

from __future__ import annotations

import re

from conduit.core.estimate import estimate_tokens, json_string_chars
from conduit.core.usage import Metered, RequestFacts, Usage
from conduit.providers.json_body import JsonBody
from conduit.providers.json_fields import JsonObject, decode_object, int_at, model_in_line, obj_at, str_at
from conduit.providers.request_text import text_chars
from conduit.providers.sse import SseScanner

_STRING = rb'\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"'
CHAT_DELTA = re.compile(rb'"(?:content|arguments|refusal|reasoning|reasoning_content)"' + _STRING, re.DOTALL)
COMPLETION_DELTA = re.compile(rb'"text"' + _STRING, re.DOTALL)
RESPONSES_DELTA = re.compile(rb'"delta"' + _STRING, re.DOTALL)
_USAGE_OBJECT = re.compile(rb'"usage"\s*:\s*\{')
_DONE = b"[DONE]"

RESPONSE_CREATED = b"response.created"
RESPONSE_TERMINAL = frozenset({b"response.completed", b"response.incomplete", b"response.failed"})
RESPONSE_DELTAS = frozenset(
    {
        b"response.output_text.delta",
        b"response.refusal.delta",
        b"response.function_call_arguments.delta",
        b"response.custom_tool_call_input.delta",
        b"response.reasoning_text.delta",
        b"response.reasoning_summary_text.delta",
    }
)


def normalised_usage(usage: JsonObject) -> Usage:
    """An OpenAI `usage` object (either naming) in Conduit's terms: input excludes cache reads and writes."""
    prompt = _first(int_at(usage, "prompt_tokens"), int_at(usage, "input_tokens"))
    output = _first(int_at(usage, "completion_tokens"), int_at(usage, "output_tokens"))
    details = obj_at(usage, "prompt_tokens_details") or obj_at(usage, "input_tokens_details")
    cached = _first(int_at(details, "cached_tokens"), int_at(usage, "prompt_cache_hit_tokens"))
    written = _first(int_at(details, "cache_write_tokens"))
    return Usage(
        input_tokens=max(prompt - cached - written, 0),
        output_tokens=output,
        cache_read_tokens=cached,
        cache_write_tokens=written,
    )


def _first(*values: int | None) -> int:
    for value in values:
        if value is not None:
            return value
    return 0


def estimated_usage(facts: RequestFacts, output_chars: int) -> Usage:
    """A guess from the request's prompt size and the text seen in the response."""
    return Usage(
        input_tokens=estimate_tokens(facts.input_chars),
        output_tokens=estimate_tokens(output_chars),
        estimated=True,
    )


class OpenAIJsonParser:
    """Reads a non-streamed body; without `usage` it estimates from the text under `output_key`."""

    __slots__ = ("_body", "_facts", "_output_key")

    def __init__(self, facts: RequestFacts, output_key: str | None) -> None:
        self._body = JsonBody()
        self._facts = facts
        self._output_key = output_key

    def feed(self, chunk: bytes) -> None:
        """Buffer the chunk (bounded)."""
        self._body.feed(chunk)

    def result(self) -> Metered:
        """The body's usage; an estimate for a generated body without one; zero for error bodies."""
        body = self._body.value()
        model = str_at(body, "model")
        usage = obj_at(body, "usage")
        if usage is not None:
            return Metered(normalised_usage(usage), model=model, complete=True)
        output = body.get(self._output_key) if body is not None and self._output_key else None
        if output is None:
            return Metered(Usage(), model=model, complete=False)
        return Metered(estimated_usage(self._facts, text_chars(output)), model=model, complete=True)


class ChatStreamParser:
    """Reads a Chat Completions (or legacy Completions) stream; only a line with a `"usage":{` is decoded."""

    __slots__ = ("_scanner", "_facts", "_delta", "_model", "_usage", "_chunks_seen", "_done", "_delta_chars")

    def __init__(self, facts: RequestFacts, delta: re.Pattern[bytes] = CHAT_DELTA) -> None:
        self._scanner = SseScanner(self._on_data)
        self._facts = facts
        self._delta = delta
        self._model: str | None = None
        self._usage: Usage | None = None
        self._chunks_seen = False
        self._done = False
        self._delta_chars = 0

    def feed(self, chunk: bytes) -> None:
        """Scan the chunk."""
        self._scanner.feed(chunk)

    def _on_data(self, event: bytes, data: bytes) -> None:
        if data == _DONE:
            self._done = True
            return
        if self._model is None:
            self._model = model_in_line(data)
        if b'"choices"' in data:
            self._chunks_seen = True
        if _USAGE_OBJECT.search(data) is not None:
            usage = obj_at(decode_object(data), "usage")
            if usage is not None:
                self._usage = normalised_usage(usage)
        for match in self._delta.finditer(data):
            self._delta_chars += json_string_chars(match.group(1))

    def result(self) -> Metered:
        """Reported usage when the stream carried it, else an estimate; complete once `[DONE]` or usage arrived."""
        if self._usage is not None:
            return Metered(self._usage, model=self._model, complete=True)
        if not self._chunks_seen:
            return Metered(Usage(), model=self._model, complete=self._done)
        usage = estimated_usage(self._facts, self._delta_chars)
        return Metered(usage, model=self._model, complete=self._done)


class ResponsesStreamParser:
    """Reads a Responses API stream; only `response.completed`, `.incomplete` and `.failed` are decoded."""

    __slots__ = ("_scanner", "_facts", "_model", "_usage", "_started", "_delta_chars")

    def __init__(self, facts: RequestFacts) -> None:
        events = RESPONSE_TERMINAL | RESPONSE_DELTAS | {RESPONSE_CREATED}
        self._scanner = SseScanner(self._on_data, events=events)
        self._facts = facts
        self._model: str | None = None
        self._usage: Usage | None = None
        self._started = False
        self._delta_chars = 0

    def feed(self, chunk: bytes) -> None:
        """Scan the chunk."""
        self._scanner.feed(chunk)

    def _on_data(self, event: bytes, data: bytes) -> None:
        if event in RESPONSE_DELTAS:
            match = RESPONSES_DELTA.search(data)
            if match is not None:
                self._delta_chars += json_string_chars(match.group(1))
        elif event == RESPONSE_CREATED:
            self._started = True
            self._model = self._model or model_in_line(data)
        else:
            response = obj_at(decode_object(data), "response")
            if response is None:
                return
            self._model = str_at(response, "model") or self._model
            usage = obj_at(response, "usage")
            self._usage = normalised_usage(usage) if usage is not None else Usage()

    def result(self) -> Metered:
        """The final event's usage; for a cut stream, an estimate from the prompt size and the deltas seen."""
        if self._usage is not None:
            return Metered(self._usage, model=self._model, complete=True)
        if not self._started and not self._delta_chars:
            return Metered(Usage(), model=self._model, complete=False)
        return Metered(estimated_usage(self._facts, self._delta_chars), model=self._model, complete=False)
