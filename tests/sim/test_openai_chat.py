"""The sim's OpenAI Chat Completions API, driven by the official openai SDK and read raw."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aiohttp
import openai

from conduit.sim.tokens import tokens_for_chars

HEADERS = {"authorization": "Bearer sk-sim-test"}
Frames = Callable[[bytes], list[tuple[str | None, bytes]]]
MESSAGES: list[Any] = [{"role": "user", "content": "Write a haiku about proxies."}]


def expected_prompt(messages: list[Any]) -> int:
    return tokens_for_chars(sum(len(message["role"]) + len(message["content"]) for message in messages))


async def test_create_returns_message_and_usage(openai_client: openai.AsyncOpenAI) -> None:
    completion = await openai_client.chat.completions.create(model="gpt-5-mini", messages=MESSAGES)
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-5-mini"
    assert completion.choices[0].finish_reason == "stop"
    content = completion.choices[0].message.content
    assert content is not None and len(content.split()) == 24
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == expected_prompt(MESSAGES)
    assert completion.usage.completion_tokens == 24
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 24
    assert completion.usage.prompt_tokens_details is not None
    assert completion.usage.prompt_tokens_details.cached_tokens == 0


async def test_stream_without_include_usage_carries_no_usage(
    openai_client: openai.AsyncOpenAI, sim_url: str, http: aiohttp.ClientSession
) -> None:
    stream = await openai_client.chat.completions.create(model="gpt-5", messages=MESSAGES, stream=True)
    chunks = [chunk async for chunk in stream]
    assert all(chunk.usage is None for chunk in chunks)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert len(text.split()) == 24
    assert chunks[-1].choices[0].finish_reason == "stop"
    body = {"model": "gpt-5", "messages": MESSAGES, "stream": True}
    async with http.post(f"{sim_url}/v1/chat/completions", json=body, headers=HEADERS) as response:
        raw = await response.read()
    assert b'"usage"' not in raw
    assert raw.endswith(b"data: [DONE]\n\n")


async def test_stream_with_include_usage_ends_with_a_usage_chunk(
    openai_client: openai.AsyncOpenAI, sim_url: str, http: aiohttp.ClientSession, frames: Frames
) -> None:
    stream = await openai_client.chat.completions.create(
        model="gpt-5", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 24
    assert chunks[-1].usage.prompt_tokens == expected_prompt(MESSAGES)
    assert all(chunk.usage is None for chunk in chunks[:-1])
    body = {"model": "gpt-5", "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}
    async with http.post(f"{sim_url}/v1/chat/completions", json=body, headers=HEADERS) as response:
        events = frames(await response.read())
    assert events[-1] == (None, b"[DONE]")
    decoded = [json.loads(data) for _, data in events[:-1]]
    assert all(item["usage"] is None for item in decoded[:-1])
    assert decoded[-1]["choices"] == [] and decoded[-1]["usage"]["total_tokens"] > 0


async def test_long_prompts_report_cached_tokens(openai_client: openai.AsyncOpenAI) -> None:
    messages = [{"role": "system", "content": "Follow the house style. " * 400}, *MESSAGES]
    completion = await openai_client.chat.completions.create(model="gpt-5", messages=messages)
    assert completion.usage is not None and completion.usage.prompt_tokens_details is not None
    prompt = completion.usage.prompt_tokens
    cached = completion.usage.prompt_tokens_details.cached_tokens
    assert prompt >= 1024
    assert cached is not None and 0 < cached < prompt and cached % 128 == 0


async def test_max_completion_tokens_caps_the_reply(openai_client: openai.AsyncOpenAI) -> None:
    completion = await openai_client.chat.completions.create(model="gpt-5", messages=MESSAGES, max_completion_tokens=6)
    assert completion.usage is not None and completion.usage.completion_tokens == 6
    assert completion.choices[0].finish_reason == "length"


async def test_models_list_in_openai_shape(openai_client: openai.AsyncOpenAI) -> None:
    page = await openai_client.models.list()
    assert "gpt-5" in [model.id for model in page.data]
    assert all(model.object == "model" for model in page.data)
