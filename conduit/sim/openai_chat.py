"""The OpenAI Chat Completions API as the simulated provider speaks it: `/v1/chat/completions`, JSON and SSE.

Streams carry usage only when the request sets `stream_options.include_usage`, exactly like OpenAI.
Pure functions from a decoded request to response bytes; imports only sim values, the standard library, orjson.
"""

from __future__ import annotations

from typing import Any

import orjson

from conduit.sim.reply import Reply, plan_reply
from conduit.sim.tokens import openai_cached, text_chars, tokens_for_chars
from conduit.sim.turn import (
    FIXED_CREATED_S,
    Answer,
    Request,
    int_field,
    is_streaming,
    str_field,
)

DEFAULT_MODEL = "gpt-5-mini"
SYSTEM_FINGERPRINT = "fp_5f3c1a9e27"
DONE = b"data: [DONE]\n\n"
_FIRST_CHOICE = (
    b'{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}'
)


def prompt_tokens(request: Request) -> int:
    """The request's prompt tokens: the text of its messages and tools (cached tokens included)."""
    doc = request.doc
    return tokens_for_chars(text_chars(doc.get("messages")) + text_chars(doc.get("tools")))


def usage(prompt: int, completion: int) -> dict[str, Any]:
    """A Chat Completions usage object; `prompt_tokens` includes `prompt_tokens_details.cached_tokens`."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": openai_cached(prompt), "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def chat_completions(request: Request, output_tokens: int) -> Answer:
    """The `/v1/chat/completions` answer: a JSON completion, or its SSE chunks when the request streams."""
    doc = request.doc
    limit = int_field(doc, "max_completion_tokens") or int_field(doc, "max_tokens")
    reply = plan_reply(request.key, output_tokens, limit)
    head = {
        "id": "chatcmpl-" + request.key[:29],
        "object": "chat.completion.chunk" if is_streaming(doc) else "chat.completion",
        "created": FIXED_CREATED_S,
        "model": str_field(doc, "model", DEFAULT_MODEL),
        "service_tier": "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    counts = usage(prompt_tokens(request), reply.output_tokens)
    if is_streaming(doc):
        options = doc.get("stream_options")
        include_usage = isinstance(options, dict) and options.get("include_usage") is True
        return Answer(events=_chunks(head, reply, counts if include_usage else None), stream=True)
    message: dict[str, Any] = {"role": "assistant", "content": reply.text, "refusal": None, "annotations": []}
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": _finish(reply)}
    return Answer(body=orjson.dumps({**head, "choices": [choice], "usage": counts}))


def _chunks(head: dict[str, Any], reply: Reply, counts: dict[str, Any] | None) -> tuple[bytes, ...]:
    prefix = b"data: " + orjson.dumps(head)[:-1] + b',"choices":['
    suffix = b'],"usage":null}\n\n' if counts is not None else b"]}\n\n"
    finish = b'{"index":0,"delta":{},"logprobs":null,"finish_reason":"' + _finish(reply).encode() + b'"}'
    events = [
        prefix + _FIRST_CHOICE + suffix,
        *[
            prefix + b'{"index":0,"delta":{"content":' + piece + b'},"logprobs":null,"finish_reason":null}' + suffix
            for piece in reply.pieces_json
        ],
        prefix + finish + suffix,
    ]
    if counts is not None:
        events.append(prefix + b'],"usage":' + orjson.dumps(counts) + b"}\n\n")
    events.append(DONE)
    return tuple(events)


def _finish(reply: Reply) -> str:
    return "length" if reply.truncated else "stop"
