"""Failure paths: unreachable and slow upstreams, oversized bodies, client aborts, upstream errors and cut
streams each give the client a clear answer in the provider's shape and are recorded as events."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import orjson
import pytest

HEADERS = {"x-api-key": "sk-ant-api03-failure-tests", "anthropic-version": "2023-06-01",
           "content-type": "application/json"}
OPENAI_HEADERS = {"authorization": "Bearer sk-proj-failure-tests", "content-type": "application/json"}


def body(stream: bool = False, text: str = "hello") -> bytes:
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": stream,
                         "messages": [{"role": "user", "content": text}]})


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=data, headers=headers) as resp:
            return resp.status, orjson.loads(await resp.read())


async def test_unreachable_upstream_is_502_in_each_providers_shape(make_proxy: Any) -> None:
    proxy = await make_proxy(f"http://127.0.0.1:{closed_port()}")
    status, doc = await post(f"{proxy.url}/anthropic/v1/messages", body(), HEADERS)
    assert status == 502
    assert doc["type"] == "error" and doc["error"]["type"] == "upstream_unreachable"
    assert "anthropic" in doc["error"]["message"]
    status, doc = await post(f"{proxy.url}/openai/v1/chat/completions",
                             orjson.dumps({"model": "gpt-5", "messages": []}), OPENAI_HEADERS)
    assert status == 502
    assert doc["error"]["code"] == "upstream_unreachable" and "message" in doc["error"]
    events = await proxy.events()
    assert [(e["status"], e["http_status"], e["error_code"]) for e in events] == [
        ("proxy_error", 502, "upstream_unreachable")] * 2
    assert events[0]["model"] == "claude-sonnet-4-6" and events[1]["model"] == "gpt-5"


async def test_upstream_timeout_is_504(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, provider_extra="read_timeout_s = 0.2")
    status, doc = await post(f"{proxy.url}/anthropic/v1/messages", body(), {**HEADERS, "x-sim-latency-ms": "3000"})
    assert status == 504
    assert doc["error"]["type"] == "upstream_timeout"
    [event] = await proxy.events()
    assert (event["status"], event["http_status"], event["error_code"]) == ("proxy_error", 504, "upstream_timeout")


async def test_body_over_the_limit_is_413_and_never_forwarded(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra="max_request_bytes = 1000")
    status, doc = await post(f"{proxy.url}/anthropic/v1/messages", body(text="x" * 2000), HEADERS)
    assert status == 413
    assert doc["error"]["type"] == "request_too_large" and "1000" in doc["error"]["message"]

    async def chunked() -> Any:
        for _ in range(30):
            yield b"y" * 100

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=chunked(), headers=HEADERS) as resp:
            assert resp.status == 413
    assert sim.state.requests == []
    events = await proxy.events()
    assert [(e["status"], e["http_status"], e["error_code"]) for e in events] == [
        ("proxy_error", 413, "request_too_large")] * 2


async def test_client_abort_mid_stream_closes_upstream_and_records_tokens_so_far(sim: Any, proxy: Any) -> None:
    headers = {**HEADERS, "x-sim-hold-after": "3"}
    session = aiohttp.ClientSession()
    resp = await session.post(f"{proxy.url}/anthropic/v1/messages", data=body(stream=True), headers=headers)
    first = await asyncio.wait_for(resp.content.readany(), timeout=5)
    assert first.startswith(b"event: message_start")
    await asyncio.wait_for(sim.state.holding.wait(), timeout=5)
    resp.close()
    await session.close()
    await asyncio.wait_for(sim.state.aborted.wait(), timeout=5)
    assert sim.state.streams_aborted == 1
    [event] = await proxy.events()
    assert event["status"] == "client_aborted"
    assert event["http_status"] == 200 and event["streamed"] == 1
    assert event["input_tokens"] > 0
    assert event["tokens_estimated"] == 1


async def test_upstream_error_passes_through_and_is_recorded(sim: Any, proxy: Any) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{sim.url}/v1/messages", data=body(), headers={**HEADERS, "x-sim-status": "529"}) as r:
            direct = (r.status, await r.read())
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=body(),
                                headers={**HEADERS, "x-sim-status": "529"}) as r:
            proxied = (r.status, await r.read())
    assert proxied == direct and direct[0] == 529
    [event] = await proxy.events()
    assert (event["status"], event["http_status"], event["cost_usd"]) == ("upstream_error", 529, 0.0)


async def test_malformed_json_is_forwarded_as_is_and_recorded(sim: Any, proxy: Any) -> None:
    broken = b'{"model": "claude-sonnet-4-6", "messages": [oops'
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=broken, headers=HEADERS) as resp:
            assert resp.status == 400
    assert sim.state.requests[-1].body == broken
    [event] = await proxy.events()
    assert (event["status"], event["http_status"], event["request_bytes"]) == ("upstream_error", 400, len(broken))
    assert event["model"] is None


async def test_upstream_cut_mid_stream_reaches_the_client_as_a_cut(sim: Any, proxy: Any) -> None:
    headers = {**HEADERS, "x-sim-fault": "cut-after:3"}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=body(stream=True), headers=headers) as resp:
            assert resp.status == 200
            with pytest.raises(aiohttp.ClientPayloadError):
                await resp.read()
    [event] = await proxy.events()
    assert (event["status"], event["error_code"]) == ("proxy_error", "upstream_disconnected")
    assert event["input_tokens"] > 0 and event["tokens_estimated"] == 1
