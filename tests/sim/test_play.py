"""Stream knobs of the sim: one event per chunk, cut, hang, hold/release, gzip, delays, and abort detection."""

from __future__ import annotations

import asyncio
import json
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import anthropic
import brotli
import httpx2
import pytest
import zstandard
from aiohttp import web

from conduit.sim.app import SIM_STATE, SimState, build_sim_app

HEADERS = {"authorization": "Bearer sk-sim-test", "anthropic-version": "2023-06-01"}
BODY: dict[str, Any] = {
    "model": "claude-opus-4-8",
    "max_tokens": 512,
    "messages": [{"role": "user", "content": "hi"}],
    "stream": True,
}
Frames = Callable[[bytes], list[tuple[str | None, bytes]]]
WAIT_S = 5


def knobs(**extra: str) -> dict[str, str]:
    return {**HEADERS, "x-sim-output-tokens": "3", **extra}


async def read_events(response: aiohttp.ClientResponse, count: int) -> bytes:
    raw = b""
    for _ in range(count):
        raw += await response.content.readuntil(b"\n\n")
    return raw


async def test_each_event_is_its_own_chunk(sim_url: str, http: aiohttp.ClientSession, frames: Frames) -> None:
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs()) as response:
        chunks = []
        pending = b""
        async for data, end_of_chunk in response.content.iter_chunks():
            pending += data
            if end_of_chunk:
                chunks.append(pending)
                pending = b""
    assert len(chunks) == 9
    assert all(len(frames(chunk)) == 1 for chunk in chunks)
    assert frames(chunks[-1])[0][0] == "message_stop"


async def test_cut_after_closes_the_connection_mid_stream(
    sim_url: str, http: aiohttp.ClientSession, frames: Frames
) -> None:
    received = b""
    with pytest.raises(aiohttp.ClientPayloadError):
        async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-fault": "cut-after:4"})) as r:
            async for data in r.content.iter_any():
                received += data
    names = [name for name, _ in frames(received)]
    assert names == ["message_start", "content_block_start", "ping", "content_block_delta"]


async def test_cut_stream_fails_the_sdk(anthropic_client: anthropic.AsyncAnthropic) -> None:
    with pytest.raises(httpx2.RemoteProtocolError, match="incomplete chunked read"):
        async with anthropic_client.messages.stream(
            model="m", max_tokens=64, messages=BODY["messages"], extra_headers={"x-sim-fault": "cut-after:2"}
        ) as stream:
            await stream.get_final_message()


@pytest.fixture(params=["test_server", "plain_runner"])
async def sim_for_abort(
    request: pytest.FixtureRequest, start_sim: Callable[..., Awaitable[Any]]
) -> AsyncIterator[tuple[str, SimState]]:
    """A sim under aiohttp's test server (handlers cancelled on disconnect) or a default AppRunner (not)."""
    if request.param == "test_server":
        running = await start_sim()
        yield running.url, running.state
        return
    app = build_sim_app()
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", app[SIM_STATE]
    await runner.cleanup()


async def test_hang_after_waits_until_the_client_leaves(sim_for_abort: tuple[str, SimState], frames: Frames) -> None:
    url, state = sim_for_abort
    async with aiohttp.ClientSession() as session:
        response = await session.post(f"{url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-fault": "hang-after:3"}))
        received = await read_events(response, 3)
        assert not state.aborted.is_set()
        response.close()
    await asyncio.wait_for(state.aborted.wait(), WAIT_S)
    assert state.streams_aborted == 1
    assert [name for name, _ in frames(received)][-1] == "ping"


async def test_client_leaving_during_a_hold_counts_as_abort(sim_for_abort: tuple[str, SimState]) -> None:
    url, state = sim_for_abort
    async with aiohttp.ClientSession() as session:
        response = await session.post(f"{url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-hold-after": "2"}))
        await read_events(response, 2)
        await asyncio.wait_for(state.holding.wait(), WAIT_S)
        response.close()
    await asyncio.wait_for(state.aborted.wait(), WAIT_S)
    assert state.streams_aborted == 1


async def test_hold_after_waits_for_release(
    sim_url: str, sim_state: SimState, http: aiohttp.ClientSession, frames: Frames
) -> None:
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-hold-after": "5"})) as response:
        first = await read_events(response, 5)
        await asyncio.wait_for(sim_state.holding.wait(), WAIT_S)
        assert not response.content.at_eof()
        sim_state.release.set()
        rest = await response.read()
    names = [name for name, _ in frames(first + rest)]
    assert len(names) == 9 and names[-1] == "message_stop"
    assert sim_state.streams_aborted == 0


def decoder(encoding: str) -> Callable[[bytes], bytes]:
    """An incremental decoder for `encoding`."""
    if encoding == "gzip":
        return zlib.decompressobj(wbits=31).decompress
    if encoding == "br":
        return brotli.Decompressor().process  # type: ignore[no-any-return]
    return zstandard.ZstdDecompressor().decompressobj().decompress


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
async def test_compressed_stream_flushes_each_event(
    sim_url: str, sim_state: SimState, http: aiohttp.ClientSession, encoding: str
) -> None:
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs()) as response:
        plain = await response.read()
    inflate = decoder(encoding)
    seen = b""
    headers = knobs(**{"x-sim-encoding": encoding, "x-sim-hold-after": "2"})
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async with session.post(f"{sim_url}/v1/messages", json=BODY, headers=headers) as response:
            assert response.headers["content-encoding"] == encoding
            while seen.count(b"\n\n") < 2:
                seen += inflate(await response.content.readany())
            await asyncio.wait_for(sim_state.holding.wait(), WAIT_S)
            assert seen == b"".join(plain.split(b"\n\n")[i] + b"\n\n" for i in range(2))
            sim_state.release.set()
            seen += inflate(await response.read())
    assert seen == plain


async def test_latency_and_chunk_delay_slow_the_answer(sim_url: str, http: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-latency-ms": "150"})) as r:
        await r.read()
    assert time.monotonic() - started >= 0.15
    started = time.monotonic()
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs(**{"x-sim-chunk-delay-ms": "25"})) as r:
        events = (await r.read()).count(b"\n\n")
    assert time.monotonic() - started >= (events - 1) * 0.025


async def test_stream_events_decode_as_json(sim_url: str, http: aiohttp.ClientSession, frames: Frames) -> None:
    async with http.post(f"{sim_url}/v1/messages", json=BODY, headers=knobs()) as response:
        events = frames(await response.read())
    assert all(json.loads(data)["type"] == name for name, data in events)
