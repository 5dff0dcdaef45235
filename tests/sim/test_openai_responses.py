"""The sim's OpenAI Responses API, driven by the official openai SDK (including its stream helper) and raw."""

from __future__ import annotations

import json
from collections.abc import Callable

import aiohttp
import openai

from conduit.sim.tokens import tokens_for_chars

HEADERS = {"authorization": "Bearer sk-sim-test"}
Frames = Callable[[bytes], list[tuple[str | None, bytes]]]
PROMPT = "List three risks of sharing one API key."
INSTRUCTIONS = "Answer briefly."


async def test_create_returns_output_text_and_usage(openai_client: openai.AsyncOpenAI) -> None:
    response = await openai_client.responses.create(model="gpt-5-codex", input=PROMPT, instructions=INSTRUCTIONS)
    assert response.status == "completed"
    assert response.model == "gpt-5-codex"
    assert len(response.output_text.split()) == 24
    assert response.usage is not None
    assert response.usage.input_tokens == tokens_for_chars(len(PROMPT) + len(INSTRUCTIONS))
    assert response.usage.input_tokens_details.cached_tokens == 0
    assert response.usage.output_tokens == 24
    assert response.usage.output_tokens_details.reasoning_tokens == 0
    assert response.usage.total_tokens == response.usage.input_tokens + 24


async def test_stream_helper_gives_final_response_with_usage(openai_client: openai.AsyncOpenAI) -> None:
    async with openai_client.responses.stream(
        model="gpt-5", input=PROMPT, extra_headers={"x-sim-output-tokens": "9"}
    ) as stream:
        kinds = []
        deltas = []
        async for event in stream:
            kinds.append(event.type)
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
        final = await stream.get_final_response()
    assert kinds[:4] == [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
    ]  # fmt: skip
    assert kinds[-4:] == [
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ]  # fmt: skip
    assert "".join(deltas) == final.output_text
    assert final.usage is not None and final.usage.output_tokens == 9


async def test_stream_events_are_named_and_numbered(sim_url: str, http: aiohttp.ClientSession, frames: Frames) -> None:
    body = {"model": "gpt-5", "input": [{"role": "user", "content": PROMPT}], "stream": True}
    async with http.post(f"{sim_url}/v1/responses", json=body, headers=HEADERS) as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        events = frames(await response.read())
    decoded = [json.loads(data) for _, data in events]
    assert [item["type"] for item in decoded] == [name for name, _ in events]
    assert [item["sequence_number"] for item in decoded] == list(range(len(events)))
    usage = decoded[-1]["response"]["usage"]
    assert decoded[0]["response"]["usage"] is None
    assert usage["output_tokens"] == 24 and usage["input_tokens"] > 0
    assert usage["input_tokens_details"]["cached_tokens"] == 0


async def test_long_prompts_report_cached_tokens(openai_client: openai.AsyncOpenAI) -> None:
    response = await openai_client.responses.create(model="gpt-5", input=PROMPT, instructions="Be exact. " * 600)
    assert response.usage is not None
    cached = response.usage.input_tokens_details.cached_tokens
    assert response.usage.input_tokens >= 1024
    assert 0 < cached < response.usage.input_tokens and cached % 128 == 0


async def test_max_output_tokens_makes_an_incomplete_response(
    openai_client: openai.AsyncOpenAI, sim_url: str, http: aiohttp.ClientSession, frames: Frames
) -> None:
    response = await openai_client.responses.create(
        model="gpt-5", input=PROMPT, max_output_tokens=16, extra_headers={"x-sim-output-tokens": "40"}
    )
    assert response.status == "incomplete"
    assert response.incomplete_details is not None and response.incomplete_details.reason == "max_output_tokens"
    assert response.usage is not None and response.usage.output_tokens == 16
    body = {"model": "gpt-5", "input": PROMPT, "max_output_tokens": 16, "stream": True}
    headers = {**HEADERS, "x-sim-output-tokens": "40"}
    async with http.post(f"{sim_url}/v1/responses", json=body, headers=headers) as raw:
        events = frames(await raw.read())
    assert events[-1][0] == "response.incomplete"
    assert json.loads(events[-1][1])["response"]["usage"]["output_tokens"] == 16
