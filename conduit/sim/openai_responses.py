"""The OpenAI Responses API as the simulated provider speaks it: `/v1/responses`, JSON and named SSE events.

Every event carries a `sequence_number`; usage arrives in `response.completed` (or `response.incomplete` when
the reply hit `max_output_tokens`). Pure functions; imports only sim values, the standard library, orjson.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    sse_event,
    str_field,
)

DEFAULT_MODEL = "gpt-5-codex"
_DELTA_HEAD = b'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":'


def prompt_tokens(request: Request) -> int:
    """The request's prompt tokens: the text of its input, instructions and tools (cached tokens included)."""
    doc = request.doc
    chars = text_chars(doc.get("input")) + text_chars(doc.get("instructions")) + text_chars(doc.get("tools"))
    return tokens_for_chars(chars)


def usage(prompt: int, output: int) -> dict[str, Any]:
    """A Responses usage object; `input_tokens` includes `input_tokens_details.cached_tokens`."""
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": openai_cached(prompt), "cache_write_tokens": 0},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + output,
    }


def responses(request: Request, output_tokens: int) -> Answer:
    """The `/v1/responses` answer: a JSON response object, or its SSE events when the request streams."""
    doc = request.doc
    reply = plan_reply(request.key, output_tokens, int_field(doc, "max_output_tokens"))
    response = _response(doc, request.key)
    item_id = "msg_" + request.key[16:] + request.key[:16]
    final = _final(response, _message(item_id, reply), usage(prompt_tokens(request), reply.output_tokens), reply)
    if not is_streaming(doc):
        return Answer(body=orjson.dumps(final))
    return Answer(events=_events(response, final, item_id, reply), stream=True)


def _events(response: dict[str, Any], final: dict[str, Any], item_id: str, reply: Reply) -> tuple[bytes, ...]:
    item = final["output"][0]
    part = item["content"][0]
    where = {"item_id": item_id, "output_index": 0, "content_index": 0}
    count = len(reply.pieces_json)
    delta_where = b',"item_id":"' + item_id.encode() + b'","output_index":0,"content_index":0,"delta":'
    deltas = [
        _DELTA_HEAD + str(4 + i).encode() + delta_where + piece + b',"logprobs":[]}\n\n'
        for i, piece in enumerate(reply.pieces_json)
    ]
    added = {"output_index": 0, "item": {**item, "status": "in_progress", "content": []}}
    return (
        _event("response.created", 0, {"response": response}),
        _event("response.in_progress", 1, {"response": response}),
        _event("response.output_item.added", 2, added),
        _event("response.content_part.added", 3, {**where, "part": {**part, "text": ""}}),
        *deltas,
        _event("response.output_text.done", 4 + count, {**where, "text": reply.text, "logprobs": []}),
        _event("response.content_part.done", 5 + count, {**where, "part": part}),
        _event("response.output_item.done", 6 + count, {"output_index": 0, "item": item}),
        _event("response." + final["status"], 7 + count, {"response": final}),
    )


def _event(name: str, sequence: int, fields: Mapping[str, Any]) -> bytes:
    return sse_event(name, orjson.dumps({"type": name, "sequence_number": sequence, **fields}))


def _response(doc: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The response object as it stands when generation starts: in progress, no output, no usage."""
    tools = doc.get("tools")
    metadata = doc.get("metadata")
    return {
        "id": "resp_" + key,
        "object": "response",
        "created_at": FIXED_CREATED_S,
        "status": "in_progress",
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": doc.get("instructions"),
        "max_output_tokens": int_field(doc, "max_output_tokens"),
        "model": str_field(doc, "model", DEFAULT_MODEL),
        "output": [],
        "parallel_tool_calls": True,
        "previous_response_id": str_field(doc, "previous_response_id", "") or None,
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "auto",
        "store": doc.get("store") is not False,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": tools if isinstance(tools, list) else [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": None,
        "user": None,
        "metadata": metadata if isinstance(metadata, dict) else {},
    }


def _message(item_id: str, reply: Reply) -> dict[str, Any]:
    part = {"type": "output_text", "annotations": [], "logprobs": [], "text": reply.text}
    status = "incomplete" if reply.truncated else "completed"
    return {"id": item_id, "type": "message", "status": status, "content": [part], "role": "assistant"}


def _final(response: dict[str, Any], item: dict[str, Any], counts: dict[str, Any], reply: Reply) -> dict[str, Any]:
    status, details = ("incomplete", {"reason": "max_output_tokens"}) if reply.truncated else ("completed", None)
    return {
        **response,
        "status": status,
        "incomplete_details": details,
        "output": [item],
        "service_tier": "default",
        "usage": counts,
    }
