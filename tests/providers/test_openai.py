"""The OpenAI adapter: endpoint table, request facts, parser choice and the native error shape."""

from __future__ import annotations

import orjson
import pytest

from conduit.core.usage import Metered, RequestFacts, Usage
from conduit.providers import adapter_for
from conduit.providers.base import Endpoint
from conduit.providers.openai import OpenAIAdapter

ADAPTER = OpenAIAdapter()


@pytest.mark.parametrize(("method", "path", "api", "generating"), [
    ("POST", "/v1/chat/completions", "openai_chat", True),
    ("POST", "/chat/completions", "openai_chat", True),
    ("POST", "/openai/deployments/gpt4/chat/completions", "openai_chat", True),
    ("GET", "/v1/chat/completions", "openai_chat", False),
    ("POST", "/v1/completions", "openai_completions", True),
    ("POST", "/v1/responses", "openai_responses", True),
    ("POST", "/responses", "openai_responses", True),
    ("GET", "/v1/responses", "openai_responses", False),
    ("GET", "/v1/responses/resp_123", "openai_responses", False),
    ("POST", "/v1/responses/resp_123/cancel", "openai_responses", False),
    ("GET", "/v1/responses/resp_123/input_items", "openai_responses", False),
    ("POST", "/v1/responses/input_tokens", "openai_responses", False),
    ("POST", "/v1/responses/compact", "openai_responses", True),
    ("DELETE", "/v1/responses/resp_123", "openai_responses", False),
    ("POST", "/v1/embeddings", "openai_embeddings", True),
    ("GET", "/v1/models", "openai_models", False),
    ("GET", "/models/gpt-4.1-mini", "openai_models", False),
    ("POST", "/v1/audio/transcriptions", "openai_other", False),
    ("GET", "/v1/files", "openai_other", False),
    ("GET", "/", "openai_other", False),
])
def test_endpoint_table(method: str, path: str, api: str, generating: bool) -> None:
    assert ADAPTER.endpoint(method, path) == Endpoint(api, generating)


def test_chat_request_facts() -> None:
    tools = [{"type": "function", "function": {"name": "edit", "parameters": {"type": "object"}}}]
    body = {
        "model": "gpt-4.1-mini",
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_completion_tokens": 4096,
        "messages": [
            {"role": "system", "content": "You are aider."},
            {"role": "user", "content": [
                {"type": "text", "text": "What is in this image?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "iVBOR" * 1000}},
            ]},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "edit", "arguments": '{"a":1}'}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "done"},
        ],
        "tools": tools,
    }
    chars = sum(map(len, ["You are aider.", "What is in this image?", "edit", '{"a":1}', "done"]))
    facts = ADAPTER.request_facts(orjson.dumps(body))
    assert facts == RequestFacts(model="gpt-4.1-mini", stream=True, include_usage=True, max_tokens=4096)
    assert facts.input_chars == chars + len(orjson.dumps(tools))


def test_aider_style_request_does_not_ask_for_usage() -> None:
    body = b'{"model":"gpt-4o","stream":true,"max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}'
    facts = ADAPTER.request_facts(body)
    assert facts.stream and not facts.include_usage
    assert (facts.max_tokens, facts.input_chars) == (1000, 2)


def test_responses_request_facts_count_instructions_and_input_items() -> None:
    body = {
        "model": "gpt-5.1-codex-max",
        "instructions": "You are Codex.",
        "input": [
            {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Sandbox: on"}]},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Run the tests"}]},
            {"type": "reasoning", "summary": [], "encrypted_content": "gAAAAAB" * 200},
            {"type": "function_call", "call_id": "call_9", "name": "shell", "arguments": '{"cmd":["pytest"]}'},
            {"type": "function_call_output", "call_id": "call_9", "output": "3 passed"},
        ],
        "stream": True,
        "store": False,
        "max_output_tokens": 2000,
    }
    chars = sum(map(len, ["You are Codex.", "Sandbox: on", "Run the tests", "shell", '{"cmd":["pytest"]}', "3 passed"]))
    facts = ADAPTER.request_facts(orjson.dumps(body))
    assert facts == RequestFacts(model="gpt-5.1-codex-max", stream=True, max_tokens=2000)
    assert facts.input_chars == chars


def test_embeddings_request_facts_count_the_input_strings() -> None:
    body = b'{"model":"text-embedding-3-small","input":["alpha","beta"],"encoding_format":"base64"}'
    facts = ADAPTER.request_facts(body)
    assert facts == RequestFacts(model="text-embedding-3-small")
    assert facts.input_chars == 9


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"[]", b"null", b'{"model":'])
def test_request_facts_of_a_body_that_is_not_a_json_object(body: bytes) -> None:
    assert ADAPTER.request_facts(body) == RequestFacts(json_ok=False)


def test_error_body_is_openai_shaped() -> None:
    body = ADAPTER.error_body(403, "model_blocked", "model 'o1-pro' is not on the allow-list for team 'web'")
    assert orjson.loads(body) == {"error": {"message": "model 'o1-pro' is not on the allow-list for team 'web'",
                                            "type": "model_blocked", "param": None, "code": "model_blocked"}}


@pytest.mark.parametrize(("path", "event_stream", "body", "expected"), [
    ("/v1/chat/completions", True,
     b'data: {"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}\n\ndata: [DONE]\n\n',
     Metered(Usage(input_tokens=7, output_tokens=3), model="gpt-4o")),
    ("/v1/completions", True,
     b'data: {"model":"gpt-3.5-turbo-instruct","choices":[{"text":"abcd","index":0}]}\n\ndata: [DONE]\n\n',
     Metered(Usage(input_tokens=1, output_tokens=1, estimated=True), model="gpt-3.5-turbo-instruct")),
    ("/v1/responses", True,
     b'event: response.completed\ndata: {"type":"response.completed","response":{"model":"gpt-5",'
     b'"usage":{"input_tokens":7,"output_tokens":3}}}\n\n',
     Metered(Usage(input_tokens=7, output_tokens=3), model="gpt-5")),
    ("/v1/responses", False, b'{"model":"gpt-5","output":[],"usage":{"input_tokens":7,"output_tokens":3}}',
     Metered(Usage(input_tokens=7, output_tokens=3), model="gpt-5")),
    ("/v1/embeddings", False, b'{"model":"text-embedding-3-large","usage":{"prompt_tokens":7,"total_tokens":7}}',
     Metered(Usage(input_tokens=7), model="text-embedding-3-large")),
    ("/v1/models", False, b'{"object":"list","data":[{"id":"gpt-5","object":"model"}]}', Metered(Usage())),
])
def test_usage_parser_follows_the_endpoint_and_content_type(
    path: str, event_stream: bool, body: bytes, expected: Metered
) -> None:
    endpoint = ADAPTER.endpoint("GET" if path == "/v1/models" else "POST", path)
    parser = ADAPTER.usage_parser(endpoint, RequestFacts(count_input_chars=lambda: 4), event_stream)
    parser.feed(body)
    assert parser.result() == expected


def test_adapter_for_openai_is_this_adapter_kind() -> None:
    assert isinstance(adapter_for("openai"), OpenAIAdapter)
