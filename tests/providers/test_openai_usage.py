"""OpenAI usage parsers on recorded-shape Chat Completions, Completions, Embeddings and Responses bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson
import pytest

from conduit.core.estimate import estimate_tokens
from conduit.core.usage import Metered, RequestFacts, Usage
from conduit.providers.base import UsageParser
from conduit.providers.openai_usage import (
    COMPLETION_DELTA,
    ChatStreamParser,
    OpenAIJsonParser,
    ResponsesStreamParser,
)

FACTS = RequestFacts(model="gpt-4.1-mini", stream=True, count_input_chars=lambda: 4000)
CHUNK_HEAD = {"id": "chatcmpl-C9x2", "object": "chat.completion.chunk", "created": 1763900000,
              "model": "gpt-4.1-mini-2025-04-14", "service_tier": "default", "system_fingerprint": "fp_6f2eabb9a5"}
TEXT_PARTS = ["Sure", "! Here is \"the\" fix:\n", "def f():\n    return 1"]
ARGUMENT_PARTS = ['{"path":', ' "src/app.py"}']
USAGE = {"prompt_tokens": 1900, "completion_tokens": 12, "total_tokens": 1912,
         "prompt_tokens_details": {"cached_tokens": 1792, "audio_tokens": 0},
         "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                       "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}


def data(payload: dict[str, object] | bytes) -> bytes:
    raw = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    return b"data: " + raw + b"\n\n"


def chunk(delta: dict[str, object], finish: str | None = None, extra: dict[str, object] | None = None) -> bytes:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return data({**CHUNK_HEAD, "choices": [choice], **(extra or {})})


def chat_stream(include_usage: bool) -> bytes:
    extra: dict[str, object] = {"usage": None} if include_usage else {}
    parts = [chunk({"role": "assistant", "content": "", "refusal": None}, extra=extra)]
    parts += [chunk({"content": text}, extra=extra) for text in TEXT_PARTS]
    parts.append(chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                        "function": {"name": "edit", "arguments": ""}}]}, extra=extra))
    parts += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": a}}]}, extra=extra) for a in ARGUMENT_PARTS]
    parts.append(chunk({}, "tool_calls", extra=extra))
    if include_usage:
        parts.append(data({**CHUNK_HEAD, "choices": [], "usage": USAGE}))
    parts.append(b"data: [DONE]\n\n")
    return b"".join(parts)


SEEN_CHARS = sum(map(len, TEXT_PARTS)) + sum(map(len, ARGUMENT_PARTS))
ESTIMATE = Usage(input_tokens=estimate_tokens(4000), output_tokens=estimate_tokens(SEEN_CHARS), estimated=True)


def run(make: Callable[[], UsageParser], chunks: Iterable[bytes]) -> Metered:
    parser = make()
    for piece in chunks:
        parser.feed(piece)
    return parser.result()


def every_split(body: bytes) -> Iterable[list[bytes]]:
    yield [body]
    for cut in range(1, len(body)):
        yield [body[:cut], body[cut:]]
    yield [body[i : i + 1] for i in range(len(body))]


def chat() -> ChatStreamParser:
    return ChatStreamParser(FACTS)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_chat_stream_with_usage_at_every_split_point(newline: bytes) -> None:
    expected = Metered(Usage(input_tokens=108, output_tokens=12, cache_read_tokens=1792),
                       model="gpt-4.1-mini-2025-04-14", complete=True)
    body = chat_stream(include_usage=True).replace(b"\n", newline)
    for chunks in every_split(body):
        assert run(chat, chunks) == expected


def test_chat_stream_decodes_only_the_usage_line(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    real_loads = orjson.loads
    def counting_loads(raw: bytes) -> object:
        decoded.append(raw)
        return real_loads(raw)

    monkeypatch.setattr(orjson, "loads", counting_loads)
    run(chat, [chat_stream(include_usage=True)])
    assert len(decoded) == 1 and b'"usage":{"prompt_tokens"' in decoded[0]


def test_usage_object_with_spaces_is_found() -> None:
    body = data(b'{"model": "gpt-4o", "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 2}}')
    assert run(chat, [body]).usage == Usage(input_tokens=9, output_tokens=2)


def test_chat_stream_without_usage_is_estimated_and_complete_after_done() -> None:
    body = chat_stream(include_usage=False)
    for chunks in every_split(body):
        assert run(chat, chunks) == Metered(ESTIMATE, model="gpt-4.1-mini-2025-04-14", complete=True)


def test_chat_stream_cut_before_usage_is_estimated_and_incomplete() -> None:
    body = chat_stream(include_usage=True)
    cut = body[: body.index(b'"finish_reason":"tool_calls"')]
    assert run(chat, [cut]) == Metered(ESTIMATE, model="gpt-4.1-mini-2025-04-14", complete=False)


def test_chat_text_delta_that_is_not_valid_json_still_counts() -> None:
    broken = b'data: {"choices":[{"index":0,"delta":{"content":"abcdefgh"}}\n\n'
    result = run(chat, [broken, broken, b"data: [DONE]\n\n"])
    assert result.usage.output_tokens == estimate_tokens(16)
    assert result.usage.estimated and result.complete


def test_stream_that_never_produced_a_chunk_is_zero() -> None:
    body = data({"error": {"message": "The server had an error", "type": "server_error"}})
    assert run(chat, [body]) == Metered(Usage(), complete=False)


def test_legacy_completions_stream_measures_text_deltas() -> None:
    head = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "gpt-3.5-turbo-instruct"}
    body = b"".join(data({**head, "choices": [{"text": t, "index": 0, "logprobs": None, "finish_reason": None}]})
                    for t in ("Hello", " world")) + b"data: [DONE]\n\n"
    result = run(lambda: ChatStreamParser(FACTS, COMPLETION_DELTA), [body])
    assert result == Metered(Usage(input_tokens=1000, output_tokens=estimate_tokens(11), estimated=True),
                             model="gpt-3.5-turbo-instruct", complete=True)


CHAT_JSON = orjson.dumps({
    "id": "chatcmpl-B9", "object": "chat.completion", "created": 1763900000, "model": "gpt-5.6-terra-2026-07-09",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Done.", "refusal": None,
                                          "annotations": []}, "logprobs": None, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 5000, "completion_tokens": 40, "total_tokens": 5040,
              "prompt_tokens_details": {"cached_tokens": 3000, "cache_write_tokens": 1500, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 16}},
    "service_tier": "default",
})


def test_chat_json_subtracts_cache_reads_and_writes_from_input() -> None:
    expected = Metered(Usage(input_tokens=500, output_tokens=40, cache_read_tokens=3000, cache_write_tokens=1500),
                       model="gpt-5.6-terra-2026-07-09", complete=True)
    for chunks in every_split(CHAT_JSON):
        assert run(lambda: OpenAIJsonParser(FACTS, "choices"), chunks) == expected


def test_chat_json_without_usage_is_estimated() -> None:
    body = b'{"model":"local-llm","choices":[{"index":0,"message":{"role":"assistant","content":"12345678"}}]}'
    assert run(lambda: OpenAIJsonParser(FACTS, "choices"), [body]) == Metered(
        Usage(input_tokens=1000, output_tokens=2, estimated=True), model="local-llm", complete=True)


def test_error_json_is_zero_and_incomplete() -> None:
    body = b'{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}'
    assert run(lambda: OpenAIJsonParser(FACTS, "choices"), [body]) == Metered(Usage(), complete=False)


def test_embeddings_json_counts_input_only() -> None:
    body = orjson.dumps({"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -0.2]}],
                         "model": "text-embedding-3-small", "usage": {"prompt_tokens": 8, "total_tokens": 8}})
    assert run(lambda: OpenAIJsonParser(FACTS, None), [body]) == Metered(
        Usage(input_tokens=8), model="text-embedding-3-small", complete=True)


def event(name: str, payload: dict[str, object]) -> bytes:
    return f"event: {name}\n".encode() + data({"type": name, **payload})


RESPONSE_HEAD = {"id": "resp_68af", "object": "response", "created_at": 1763900000,
                 "instructions": 'You are Codex. Never say "model":"gpt-4o".', "model": "gpt-5.1-codex-max",
                 "tools": []}
OUTPUT_TEXT = ["I'll run", " the tests."]
RESPONSE_USAGE = {"input_tokens": 40210, "input_tokens_details": {"cached_tokens": 38912, "cache_write_tokens": 0},
                  "output_tokens": 230, "output_tokens_details": {"reasoning_tokens": 128}, "total_tokens": 40440}
RESPONSE_EVENTS = [
    event("response.created", {"sequence_number": 0, "response": {**RESPONSE_HEAD, "status": "in_progress",
                                                                  "usage": None}}),
    event("response.in_progress", {"sequence_number": 1, "response": {**RESPONSE_HEAD, "status": "in_progress"}}),
    event("response.output_item.added", {"sequence_number": 2, "output_index": 0,
                                         "item": {"id": "msg_1", "type": "message", "content": []}}),
    *[event("response.output_text.delta", {"sequence_number": 3 + i, "item_id": "msg_1", "output_index": 0,
                                           "content_index": 0, "delta": text, "logprobs": [],
                                           "obfuscation": "aB3d"}) for i, text in enumerate(OUTPUT_TEXT)],
    event("response.output_text.done", {"sequence_number": 5, "item_id": "msg_1", "text": "".join(OUTPUT_TEXT)}),
    event("response.function_call_arguments.delta", {"sequence_number": 6, "item_id": "fc_1", "output_index": 1,
                                                     "delta": '{"cmd":["pytest"]}'}),
]
RESPONSE_COMPLETED = event("response.completed", {"sequence_number": 7, "response": {
    **RESPONSE_HEAD, "status": "completed", "output": [], "usage": RESPONSE_USAGE}})
RESPONSES_STREAM = b"".join([*RESPONSE_EVENTS, RESPONSE_COMPLETED])
RESPONSES_FINAL = Metered(Usage(input_tokens=1298, output_tokens=230, cache_read_tokens=38912),
                          model="gpt-5.1-codex-max", complete=True)


def responses() -> ResponsesStreamParser:
    return ResponsesStreamParser(FACTS)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_responses_stream_at_every_split_point(newline: bytes) -> None:
    for chunks in every_split(RESPONSES_STREAM.replace(b"\n", newline)):
        assert run(responses, chunks) == RESPONSES_FINAL


def test_responses_stream_decodes_only_the_final_event(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    real_loads = orjson.loads
    def counting_loads(raw: bytes) -> object:
        decoded.append(raw)
        return real_loads(raw)

    monkeypatch.setattr(orjson, "loads", counting_loads)
    assert run(responses, [RESPONSES_STREAM]) == RESPONSES_FINAL
    assert len(decoded) == 1 and decoded[0].startswith(b'{"type":"response.completed"')


@pytest.mark.parametrize("final", ["response.incomplete", "response.failed"])
def test_responses_incomplete_and_failed_carry_usage_too(final: str) -> None:
    body = b"".join([*RESPONSE_EVENTS, event(final, {"response": {**RESPONSE_HEAD, "usage": RESPONSE_USAGE}})])
    assert run(responses, [body]) == RESPONSES_FINAL


def test_responses_stream_cut_before_completion_is_estimated() -> None:
    seen = sum(map(len, OUTPUT_TEXT)) + len('{"cmd":["pytest"]}')
    expected = Metered(Usage(input_tokens=1000, output_tokens=estimate_tokens(seen), estimated=True),
                       model="gpt-5.1-codex-max", complete=False)
    body = b"".join(RESPONSE_EVENTS)
    for chunks in ([body], [body[i : i + 5] for i in range(0, len(body), 5)]):
        assert run(responses, chunks) == expected


def test_responses_stream_without_event_lines_is_still_metered() -> None:
    body = b"".join(line for line in RESPONSES_STREAM.splitlines(keepends=True) if not line.startswith(b"event:"))
    assert run(responses, [body]) == RESPONSES_FINAL


def test_responses_json_body() -> None:
    body = orjson.dumps({**RESPONSE_HEAD, "status": "completed", "output": [
        {"type": "message", "id": "msg_1", "role": "assistant",
         "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}], "usage": RESPONSE_USAGE})
    assert run(lambda: OpenAIJsonParser(FACTS, "output"), [body]) == RESPONSES_FINAL
