"""The Anthropic adapter: endpoint table, request facts, parser choice and the native error shape."""

from __future__ import annotations

import orjson
import pytest

from conduit.core.usage import Metered, RequestFacts, Usage
from conduit.providers import adapter_for
from conduit.providers.anthropic import AnthropicAdapter
from conduit.providers.base import Endpoint

ADAPTER = AnthropicAdapter()


@pytest.mark.parametrize(("method", "path", "api", "generating"), [
    ("POST", "/v1/messages", "anthropic_messages", True),
    ("POST", "/messages", "anthropic_messages", True),
    ("POST", "/gateway/anthropic/v1/messages/", "anthropic_messages", True),
    ("post", "/v1/messages", "anthropic_messages", True),
    ("GET", "/v1/messages", "anthropic_messages", False),
    ("POST", "/v1/messages/count_tokens", "anthropic_count_tokens", False),
    ("POST", "/count_tokens", "anthropic_other", False),
    ("GET", "/v1/models", "anthropic_models", False),
    ("GET", "/v1/models/claude-opus-4-8", "anthropic_models", False),
    ("POST", "/v1/messages/batches", "anthropic_other", False),
    ("GET", "/v1/messages/batches/msgbatch_01/results", "anthropic_other", False),
    ("HEAD", "/", "anthropic_other", False),
    ("POST", "/v1/complete", "anthropic_other", False),
])
def test_endpoint_table(method: str, path: str, api: str, generating: bool) -> None:
    assert ADAPTER.endpoint(method, path) == Endpoint(api, generating)


def test_request_facts_count_text_of_system_messages_tool_results_and_tools() -> None:
    tools = [{"name": "Edit", "description": "Edit a file", "input_schema": {"type": "object", "properties": {}}}]
    body = {
        "model": "claude-opus-4-8",
        "max_tokens": 128000,
        "stream": True,
        "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {"role": "system", "content": "Project rules."},
            {"role": "user", "content": [
                {"type": "text", "text": "Fix the test."},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo" * 500}},
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "Look first.", "signature": "EqQBCgIYAhIM" * 20},
                {"type": "tool_use", "id": "toolu_01", "name": "Read", "input": {"path": "a.py"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "content": [{"type": "text", "text": "print(1)"}]},
                {"type": "tool_result", "tool_use_id": "toolu_02", "content": "ok"},
            ]},
        ],
        "tools": tools,
        "metadata": {"user_id": '{"device_id":"d","session_id":"s"}'},
    }
    texts = ["You are Claude Code.", "Project rules.", "Fix the test.", "Look first.", "Read", "a.py", "print(1)", "ok"]
    expected_chars = sum(map(len, texts)) + len(orjson.dumps(tools))
    facts = ADAPTER.request_facts(orjson.dumps(body))
    assert facts == RequestFacts(model="claude-opus-4-8", stream=True, include_usage=False, max_tokens=128000,
                                 json_ok=True)
    assert facts.input_chars == expected_chars


def test_request_facts_of_a_plain_string_prompt() -> None:
    body = b'{"model":"claude-haiku-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello, Claude"}]}'
    facts = ADAPTER.request_facts(body)
    assert facts == RequestFacts(model="claude-haiku-4-5", max_tokens=1024)
    assert facts.input_chars == 13


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'"text"', b'{"model": '])
def test_request_facts_of_a_body_that_is_not_a_json_object(body: bytes) -> None:
    assert ADAPTER.request_facts(body) == RequestFacts(json_ok=False)


def test_request_facts_ignore_fields_of_the_wrong_type() -> None:
    body = b'{"model": 7, "stream": "yes", "max_tokens": true, "messages": "hi"}'
    facts = ADAPTER.request_facts(body)
    assert facts == RequestFacts()
    assert facts.input_chars == 2


def test_error_body_is_anthropic_shaped() -> None:
    body = ADAPTER.error_body(402, "budget_exceeded", "team 'payments' spent $500.00 of its $500.00 monthly budget")
    assert orjson.loads(body) == {"type": "error", "error": {
        "type": "budget_exceeded", "message": "team 'payments' spent $500.00 of its $500.00 monthly budget"}}


def test_usage_parser_follows_the_endpoint_and_content_type() -> None:
    messages = ADAPTER.endpoint("POST", "/v1/messages")
    stream = b'event: message_start\ndata: {"type":"message_start","message":{"model":"claude-opus-5-5",' \
             b'"usage":{"input_tokens":5,"output_tokens":1}}}\n\nevent: message_delta\ndata: ' \
             b'{"type":"message_delta","usage":{"output_tokens":3}}\n\n'
    parser = ADAPTER.usage_parser(messages, RequestFacts(), event_stream=True)
    parser.feed(stream)
    assert parser.result() == Metered(Usage(input_tokens=5, output_tokens=3), model="claude-opus-5-5")
    parser = ADAPTER.usage_parser(messages, RequestFacts(), event_stream=False)
    parser.feed(b'{"model":"claude-opus-5-5","usage":{"input_tokens":5,"output_tokens":3}}')
    assert parser.result() == Metered(Usage(input_tokens=5, output_tokens=3), model="claude-opus-5-5")


def test_non_generating_endpoints_meter_zero() -> None:
    count = ADAPTER.endpoint("POST", "/v1/messages/count_tokens")
    parser = ADAPTER.usage_parser(count, RequestFacts(), event_stream=False)
    parser.feed(b'{"input_tokens": 2095}')
    assert parser.result() == Metered(Usage(), complete=True)


def test_adapter_for_returns_one_shared_instance_per_api() -> None:
    assert adapter_for("anthropic") is adapter_for("anthropic")
    assert adapter_for("anthropic").name == "anthropic"
    assert adapter_for("openai").name == "openai"
    with pytest.raises(ValueError, match="anthropic, openai"):
        adapter_for("gemini")
