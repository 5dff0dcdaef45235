"""Anthropic usage parsers on recorded-shape Messages responses: every split point, CRLF, cut streams."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson
import pytest

from conduit.core.estimate import estimate_tokens
from conduit.core.usage import Metered, Usage
from conduit.providers.anthropic_usage import AnthropicJsonParser, AnthropicStreamParser
from conduit.providers.base import UsageParser

THINKING = "Let me look at the failing test first."
TEXT = 'Here is the fix:\n\n```py\nprint("hi")\n```'
TOOL_JSON = ['{"file_path": "src/app.py"', ', "old": "a", "new": "b"}']


def sse(event: str, data: dict[str, object]) -> bytes:
    return f"event: {event}\ndata: ".encode() + orjson.dumps(data) + b"\n\n"


def delta(index: int, kind: str, key: str, value: str) -> bytes:
    return sse("content_block_delta", {"type": "content_block_delta", "index": index,
                                       "delta": {"type": kind, key: value}})


MESSAGE_START = sse("message_start", {"type": "message_start", "message": {
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-opus-4-8",
    "content": [], "stop_reason": None, "stop_sequence": None,
    "usage": {"input_tokens": 2095, "cache_creation_input_tokens": 1024, "cache_read_input_tokens": 50112,
              "cache_creation": {"ephemeral_5m_input_tokens": 1024, "ephemeral_1h_input_tokens": 0},
              "output_tokens": 2, "service_tier": "standard"}}})
BODY_EVENTS = [
    sse("content_block_start", {"type": "content_block_start", "index": 0,
                                "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
    b'event: ping\ndata: {"type": "ping"}\n\n',
    delta(0, "thinking_delta", "thinking", THINKING),
    delta(0, "signature_delta", "signature", "EqQBCgIYAhIMbWVzc2FnZV9zdGFydBoMc2lnbmF0dXJl"),
    sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
    sse("content_block_start", {"type": "content_block_start", "index": 1,
                                "content_block": {"type": "text", "text": ""}}),
    delta(1, "text_delta", "text", TEXT),
    sse("content_block_stop", {"type": "content_block_stop", "index": 1}),
    sse("content_block_start", {"type": "content_block_start", "index": 2, "content_block": {
        "type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "Edit", "input": {}}}),
    delta(2, "input_json_delta", "partial_json", TOOL_JSON[0]),
    delta(2, "input_json_delta", "partial_json", TOOL_JSON[1]),
    sse("content_block_stop", {"type": "content_block_stop", "index": 2}),
]
SEEN_CHARS = len(THINKING) + len(TEXT) + sum(map(len, TOOL_JSON))


def message_delta(usage: dict[str, object]) -> bytes:
    return sse("message_delta", {"type": "message_delta",
                                 "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": usage})


MESSAGE_STOP = sse("message_stop", {"type": "message_stop"})
STREAM = b"".join([MESSAGE_START, *BODY_EVENTS, message_delta({"output_tokens": 503}), MESSAGE_STOP])
FINAL = Metered(Usage(input_tokens=2095, output_tokens=503, cache_read_tokens=50112, cache_write_tokens=1024),
                model="claude-opus-4-8", complete=True)


def run(make: Callable[[], UsageParser], chunks: Iterable[bytes]) -> Metered:
    parser = make()
    for chunk in chunks:
        parser.feed(chunk)
    return parser.result()


def every_split(body: bytes) -> Iterable[list[bytes]]:
    yield [body]
    for cut in range(1, len(body)):
        yield [body[:cut], body[cut:]]
    yield [body[i : i + 1] for i in range(len(body))]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_stream_gives_the_same_usage_at_every_split_point(newline: bytes) -> None:
    body = STREAM.replace(b"\n", newline)
    for chunks in every_split(body):
        assert run(AnthropicStreamParser, chunks) == FINAL


def test_latest_non_null_usage_wins_when_message_delta_repeats_input() -> None:
    repeated = message_delta({"input_tokens": 2100, "cache_creation_input_tokens": None,
                              "cache_read_input_tokens": 50000, "output_tokens": 503})
    body = b"".join([MESSAGE_START, *BODY_EVENTS, repeated, MESSAGE_STOP])
    assert run(AnthropicStreamParser, [body]) == Metered(
        Usage(input_tokens=2100, output_tokens=503, cache_read_tokens=50000, cache_write_tokens=1024),
        model="claude-opus-4-8", complete=True)


def test_output_comes_from_the_last_message_delta() -> None:
    body = b"".join([MESSAGE_START, message_delta({"output_tokens": 10}), message_delta({"output_tokens": 42})])
    assert run(AnthropicStreamParser, [body]).usage.output_tokens == 42


def test_stream_cut_before_message_delta_estimates_output_from_the_deltas_seen() -> None:
    body = b"".join([MESSAGE_START, *BODY_EVENTS])
    for chunks in ([body], [body[i : i + 7] for i in range(0, len(body), 7)]):
        assert run(AnthropicStreamParser, chunks) == Metered(
            Usage(input_tokens=2095, output_tokens=estimate_tokens(SEEN_CHARS), cache_read_tokens=50112,
                  cache_write_tokens=1024, estimated=True),
            model="claude-opus-4-8", complete=False)


def test_stream_cut_before_message_start_reports_nothing() -> None:
    assert run(AnthropicStreamParser, [MESSAGE_START[:40]]) == Metered(Usage(), complete=False)


def test_text_deltas_are_measured_not_decoded() -> None:
    broken = (b"event: content_block_delta\n"
              b'data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"abcdefgh"}\n\n')
    body = b"".join([MESSAGE_START, broken, broken])
    result = run(AnthropicStreamParser, [body])
    assert result.usage.output_tokens == estimate_tokens(16)
    assert result.usage.estimated and not result.complete


def test_only_message_start_and_message_delta_are_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    real_loads = orjson.loads

    def counting_loads(raw: bytes | str) -> object:
        decoded.append(bytes(raw, "utf-8") if isinstance(raw, str) else bytes(raw))
        return real_loads(raw)

    monkeypatch.setattr(orjson, "loads", counting_loads)
    assert run(AnthropicStreamParser, [STREAM]) == FINAL
    assert [real_loads(raw)["type"] for raw in decoded] == ["message_start", "message_delta"]


def test_stream_without_event_lines_is_still_metered() -> None:
    body = b"".join(line for line in STREAM.splitlines(keepends=True) if not line.startswith(b"event:"))
    assert run(AnthropicStreamParser, [body]) == FINAL


MESSAGE_JSON = orjson.dumps({
    "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
    "content": [{"type": "text", "text": "Hi! My name is Claude."}], "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 12, "cache_creation_input_tokens": 2051, "cache_read_input_tokens": 0,
              "cache_creation": {"ephemeral_5m_input_tokens": 2051, "ephemeral_1h_input_tokens": 0},
              "output_tokens": 9, "service_tier": "standard"},
})


def test_json_body_gives_the_same_usage_at_every_split_point() -> None:
    expected = Metered(Usage(input_tokens=12, output_tokens=9, cache_write_tokens=2051),
                       model="claude-sonnet-4-5-20250929", complete=True)
    for chunks in every_split(MESSAGE_JSON):
        assert run(AnthropicJsonParser, chunks) == expected


@pytest.mark.parametrize("body", [
    b'{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    b"<html>502 Bad Gateway</html>",
    MESSAGE_JSON[:-10],
], ids=["error-body", "not-json", "truncated"])
def test_json_body_without_usage_is_zero_and_incomplete(body: bytes) -> None:
    result = run(AnthropicJsonParser, [body])
    assert result.usage == Usage() and not result.complete
