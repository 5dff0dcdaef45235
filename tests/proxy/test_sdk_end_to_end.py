"""The official SDKs work through Conduit against the simulated provider, and each call records one event
with the exact tokens the SDK saw and the cost the pricing book gives for them."""

from __future__ import annotations

from typing import Any

import anthropic
import openai
import pytest

from conduit.core.pricing import PriceBook

LONG_TEXT = "Refactor the billing module so that invoices are idempotent. " * 120  # > 1024 tokens
SYSTEM = [{"type": "text", "text": "You are a careful coding agent. " * 40, "cache_control": {"type": "ephemeral"}}]


def expected_cost(model: str, inp: int, out: int, cache_read: int, cache_write: int) -> float:
    price = PriceBook.default().price_for(model)
    assert price is not None, f"{model} must be in the pricing book"
    return (inp * price.input + out * price.output + cache_read * price.cache_read + cache_write * price.cache_write) / 1e6


def assert_event(event: dict[str, Any], *, api: str, model: str, streamed: bool, inp: int, out: int,
                 cache_read: int = 0, cache_write: int = 0, estimated: bool = False) -> None:
    assert event["status"] == "success"
    assert event["http_status"] == 200
    assert event["api"] == api
    assert event["model"].startswith(model)
    assert bool(event["streamed"]) is streamed
    assert (event["input_tokens"], event["output_tokens"]) == (inp, out)
    assert (event["cache_read_tokens"], event["cache_write_tokens"]) == (cache_read, cache_write)
    assert bool(event["tokens_estimated"]) is estimated
    assert event["priced"] == 1
    assert event["cost_usd"] == pytest.approx(expected_cost(model, inp, out, cache_read, cache_write), rel=1e-9)
    assert event["cost_usd"] > 0


def anthropic_client(proxy: Any) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=f"{proxy.url}/anthropic", api_key="sk-ant-api03-test-key-0001", max_retries=0)


def openai_client(proxy: Any) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{proxy.url}/openai/v1", api_key="sk-proj-test-key-0000002", max_retries=0)


async def test_anthropic_messages_plain(proxy: Any) -> None:
    async with anthropic_client(proxy) as client:
        msg = await client.messages.create(
            model="claude-sonnet-4-6", max_tokens=256, system=SYSTEM,
            messages=[{"role": "user", "content": "Write a haiku about proxies."}],
        )
    [event] = await proxy.events()
    u = msg.usage
    assert u.cache_read_input_tokens and u.cache_creation_input_tokens
    assert_event(event, api="anthropic_messages", model="claude-sonnet-4-6", streamed=False,
                 inp=u.input_tokens, out=u.output_tokens,
                 cache_read=u.cache_read_input_tokens, cache_write=u.cache_creation_input_tokens)


async def test_anthropic_messages_streaming(proxy: Any) -> None:
    async with anthropic_client(proxy) as client:
        async with client.messages.stream(
            model="claude-sonnet-4-6", max_tokens=256, system=SYSTEM,
            messages=[{"role": "user", "content": "Stream a haiku about proxies."}],
        ) as stream:
            text = "".join([t async for t in stream.text_stream])
            msg = await stream.get_final_message()
    assert text
    [event] = await proxy.events()
    u = msg.usage
    assert_event(event, api="anthropic_messages", model="claude-sonnet-4-6", streamed=True,
                 inp=u.input_tokens, out=u.output_tokens,
                 cache_read=u.cache_read_input_tokens or 0, cache_write=u.cache_creation_input_tokens or 0)
    assert event["ttfb_ms"] is not None and 0 < event["ttfb_ms"] <= event["latency_ms"]


async def test_anthropic_count_tokens_is_zero_cost(proxy: Any) -> None:
    async with anthropic_client(proxy) as client:
        counted = await client.messages.count_tokens(
            model="claude-sonnet-4-6", messages=[{"role": "user", "content": "How long is this?"}]
        )
    assert counted.input_tokens > 0
    [event] = await proxy.events()
    assert event["api"] == "anthropic_count_tokens"
    assert event["status"] == "success"
    assert (event["input_tokens"], event["output_tokens"], event["cost_usd"]) == (0, 0, 0.0)


async def test_openai_chat_plain(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        chat = await client.chat.completions.create(
            model="gpt-4.1-mini", messages=[{"role": "user", "content": LONG_TEXT}]
        )
    [event] = await proxy.events()
    u = chat.usage
    assert u is not None and u.prompt_tokens_details and u.prompt_tokens_details.cached_tokens
    cached = u.prompt_tokens_details.cached_tokens
    assert_event(event, api="openai_chat", model="gpt-4.1-mini", streamed=False,
                 inp=u.prompt_tokens - cached, out=u.completion_tokens, cache_read=cached)


async def test_openai_chat_streaming_with_usage(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        stream = await client.chat.completions.create(
            model="gpt-4.1-mini", messages=[{"role": "user", "content": LONG_TEXT}],
            stream=True, stream_options={"include_usage": True},
        )
        chunks = [chunk async for chunk in stream]
    usage = chunks[-1].usage
    assert usage is not None and usage.prompt_tokens_details is not None
    cached = usage.prompt_tokens_details.cached_tokens or 0
    [event] = await proxy.events()
    assert_event(event, api="openai_chat", model="gpt-4.1-mini", streamed=True,
                 inp=usage.prompt_tokens - cached, out=usage.completion_tokens, cache_read=cached)


async def test_openai_chat_streaming_without_usage_is_estimated(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        stream = await client.chat.completions.create(
            model="gpt-4.1-mini", messages=[{"role": "user", "content": "Say hello."}], stream=True,
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    [event] = await proxy.events()
    assert event["status"] == "success" and event["streamed"] == 1
    assert event["tokens_estimated"] == 1
    assert event["input_tokens"] > 0
    assert event["output_tokens"] == pytest.approx(len(text) / 4, abs=2)
    assert event["cost_usd"] > 0 and event["priced"] == 1


async def test_openai_responses_plain(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        resp = await client.responses.create(model="gpt-5", input=LONG_TEXT)
    [event] = await proxy.events()
    u = resp.usage
    assert u is not None
    cached = u.input_tokens_details.cached_tokens
    assert_event(event, api="openai_responses", model="gpt-5", streamed=False,
                 inp=u.input_tokens - cached, out=u.output_tokens, cache_read=cached)


async def test_openai_responses_streaming(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        async with client.responses.stream(model="gpt-5", input="Stream a short answer.") as stream:
            async for _ in stream:
                pass
            resp = await stream.get_final_response()
    u = resp.usage
    assert u is not None
    [event] = await proxy.events()
    cached = u.input_tokens_details.cached_tokens
    assert_event(event, api="openai_responses", model="gpt-5", streamed=True,
                 inp=u.input_tokens - cached, out=u.output_tokens, cache_read=cached)


async def test_models_listing_is_zero_cost(proxy: Any) -> None:
    async with openai_client(proxy) as client:
        models = await client.models.list()
    assert models.data
    [event] = await proxy.events()
    assert (event["api"], event["status"], event["cost_usd"]) == ("openai_models", "success", 0.0)
