"""The Anthropic Messages API as the simulated provider speaks it: `/v1/messages` (JSON and SSE) and
`/v1/messages/count_tokens`.

Pure functions from a decoded request to response bytes; imports only sim values, the standard library, orjson.
"""

from __future__ import annotations

from typing import Any

import orjson

from conduit.sim.reply import Reply, plan_reply
from conduit.sim.tokens import (
    AnthropicSplit,
    anthropic_split,
    text_chars,
    tokens_for_chars,
)
from conduit.sim.turn import (
    Answer,
    Request,
    int_field,
    is_streaming,
    sse_event,
    str_field,
)

DEFAULT_MODEL = "claude-sonnet-4-6"
_DELTA_HEAD = (
    b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":'
)
_DELTA_TAIL = b"}}\n\n"
_BLOCK_START = sse_event(
    "content_block_start", b'{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'
)
_PING = sse_event("ping", b'{"type": "ping"}')
_BLOCK_STOP = sse_event("content_block_stop", b'{"type":"content_block_stop","index":0}')
_MESSAGE_STOP = sse_event("message_stop", b'{"type":"message_stop"}')


def prompt_split(request: Request) -> AnthropicSplit:
    """The request's prompt tokens (system, messages, tools), split into uncached, cache-write and cache-read."""
    doc = request.doc
    chars = text_chars(doc.get("system")) + text_chars(doc.get("messages")) + text_chars(doc.get("tools"))
    return anthropic_split(tokens_for_chars(chars), request.cache_marked)


def count_tokens(request: Request) -> Answer:
    """The `/v1/messages/count_tokens` answer: every prompt token, cached or not."""
    split = prompt_split(request)
    total = split.input_tokens + split.cache_write_tokens + split.cache_read_tokens
    return Answer(body=orjson.dumps({"input_tokens": total}))


def messages(request: Request, output_tokens: int) -> Answer:
    """The `/v1/messages` answer: a JSON message, or its SSE events when the request streams."""
    doc = request.doc
    reply = plan_reply(request.key, output_tokens, int_field(doc, "max_tokens"))
    split = prompt_split(request)
    model = str_field(doc, "model", DEFAULT_MODEL)
    message_id = "msg_01" + request.key[:24]
    if is_streaming(doc):
        return Answer(events=_events(message_id, model, split, reply), stream=True)
    message = _message(message_id, model, [{"type": "text", "text": reply.text}], _stop(reply))
    message["usage"] = _usage(split, reply.output_tokens)
    return Answer(body=orjson.dumps(message))


def _events(message_id: str, model: str, split: AnthropicSplit, reply: Reply) -> tuple[bytes, ...]:
    start = _message(message_id, model, [], None)
    start["usage"] = _usage(split, 1)
    final_usage = {
        "input_tokens": split.input_tokens,
        "cache_creation_input_tokens": split.cache_write_tokens,
        "cache_read_input_tokens": split.cache_read_tokens,
        "output_tokens": reply.output_tokens,
    }
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": _stop(reply), "stop_sequence": None},
        "usage": final_usage,
    }
    return (
        sse_event("message_start", orjson.dumps({"type": "message_start", "message": start})),
        _BLOCK_START,
        _PING,
        *[_DELTA_HEAD + piece + _DELTA_TAIL for piece in reply.pieces_json],
        _BLOCK_STOP,
        sse_event("message_delta", orjson.dumps(delta)),
        _MESSAGE_STOP,
    )


def _message(message_id: str, model: str, content: list[dict[str, str]], stop: str | None) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
    }


def _usage(split: AnthropicSplit, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": split.input_tokens,
        "cache_creation_input_tokens": split.cache_write_tokens,
        "cache_read_input_tokens": split.cache_read_tokens,
        "cache_creation": {"ephemeral_5m_input_tokens": split.cache_write_tokens, "ephemeral_1h_input_tokens": 0},
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


def _stop(reply: Reply) -> str:
    return "max_tokens" if reply.truncated else "end_turn"
