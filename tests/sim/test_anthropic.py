"""The sim's Anthropic Messages API, driven by the official anthropic SDK and read raw."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aiohttp
import anthropic

from conduit.sim.tokens import tokens_for_chars

HEADERS = {"authorization": "Bearer sk-sim-test", "anthropic-version": "2023-06-01"}
Frames = Callable[[bytes], list[tuple[str | None, bytes]]]
MESSAGES: list[Any] = [{"role": "user", "content": "Summarise the release notes, please."}]


def expected_input(messages: list[Any]) -> int:
    chars = sum(len(message["role"]) + len(message["content"]) for message in messages)
    return tokens_for_chars(chars)


async def test_create_returns_text_and_usage(anthropic_client: anthropic.AsyncAnthropic) -> None:
    message = await anthropic_client.messages.create(model="claude-opus-4-8", max_tokens=1024, messages=MESSAGES)
    assert message.model == "claude-opus-4-8"
    assert message.stop_reason == "end_turn"
    assert message.content[0].type == "text"
    assert len(message.content[0].text.split()) == 24
    assert message.usage.input_tokens == expected_input(MESSAGES)
    assert message.usage.output_tokens == 24
    assert message.usage.cache_read_input_tokens == 0


async def test_stream_helper_gives_final_message_with_usage(anthropic_client: anthropic.AsyncAnthropic) -> None:
    async with anthropic_client.messages.stream(
        model="claude-sonnet-4-6", max_tokens=1024, messages=MESSAGES, extra_headers={"x-sim-output-tokens": "40"}
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
        final = await stream.get_final_message()
    assert final.content[0].type == "text" and final.content[0].text == text
    assert len(text.split()) == 40
    assert final.usage.output_tokens == 40
    assert final.usage.input_tokens == expected_input(MESSAGES)
    assert final.stop_reason == "end_turn"


async def test_stream_events_follow_the_wire_order(sim_url: str, http: aiohttp.ClientSession, frames: Frames) -> None:
    body = {"model": "m", "max_tokens": 100, "messages": MESSAGES, "stream": True}
    headers = {**HEADERS, "x-sim-output-tokens": "3"}
    async with http.post(f"{sim_url}/v1/messages", json=body, headers=headers) as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["request-id"].startswith("req_")
        raw = await response.read()
    events = frames(raw)
    names = [name for name, _ in events]
    assert names == [
        "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop",
    ]  # fmt: skip
    decoded = [json.loads(data) for _, data in events]
    assert all(item["type"] == name for (name, _), item in zip(events, decoded, strict=True))
    start_usage = decoded[0]["message"]["usage"]
    assert start_usage["output_tokens"] == 1
    assert {"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"} <= start_usage.keys()
    final_usage = decoded[-2]["usage"]
    assert final_usage["output_tokens"] == 3
    for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
        assert final_usage[name] == start_usage[name]
    assert decoded[-2]["delta"]["stop_reason"] == "end_turn"


async def test_cache_control_reports_cache_reads_and_writes(anthropic_client: anthropic.AsyncAnthropic) -> None:
    system: Any = [
        {"type": "text", "text": "You are a careful reviewer. " * 200, "cache_control": {"type": "ephemeral"}}
    ]
    tools: Any = [{"name": "read_file", "description": "Read a file", "input_schema": {"type": "object"}}]
    messages: Any = [{"role": "user", "content": [{"type": "text", "text": "Review the diff."}]}]
    message = await anthropic_client.messages.create(
        model="claude-opus-4-8", max_tokens=256, system=system, tools=tools, messages=messages
    )
    usage = message.usage
    assert usage.cache_read_input_tokens and usage.cache_read_input_tokens > usage.input_tokens
    assert usage.cache_creation_input_tokens and usage.cache_creation_input_tokens > 0
    counted = await anthropic_client.messages.count_tokens(
        model="claude-opus-4-8", system=system, tools=tools, messages=messages
    )
    assert (
        counted.input_tokens == usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
    )


async def test_system_string_and_tools_count_as_input(anthropic_client: anthropic.AsyncAnthropic) -> None:
    plain = await anthropic_client.messages.count_tokens(model="m", messages=MESSAGES)
    richer = await anthropic_client.messages.count_tokens(
        model="m",
        system="x" * 400,
        tools=[{"name": "grep", "description": "y" * 400, "input_schema": {"type": "object"}}],
        messages=MESSAGES,
    )
    assert plain.input_tokens == expected_input(MESSAGES)
    assert richer.input_tokens >= plain.input_tokens + 200


async def test_max_tokens_caps_the_reply(anthropic_client: anthropic.AsyncAnthropic) -> None:
    message = await anthropic_client.messages.create(model="m", max_tokens=5, messages=MESSAGES)
    assert message.usage.output_tokens == 5
    assert message.stop_reason == "max_tokens"


async def test_x_api_key_is_accepted(sim_url: str, http: aiohttp.ClientSession) -> None:
    body = {"model": "m", "max_tokens": 10, "messages": MESSAGES}
    headers = {"x-api-key": "sk-ant-claude-code", "anthropic-version": "2023-06-01"}
    async with http.post(f"{sim_url}/v1/messages?beta=true", json=body, headers=headers) as response:
        assert response.status == 200
        assert (await response.json())["type"] == "message"


async def test_models_list_in_anthropic_shape(anthropic_client: anthropic.AsyncAnthropic) -> None:
    page = await anthropic_client.models.list()
    ids = [model.id for model in page.data]
    assert "claude-opus-4-8" in ids
    assert all(model.type == "model" for model in page.data)
