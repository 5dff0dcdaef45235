"""Bytes pass through unchanged both ways: bodies, query strings, end-to-end headers, SSE chunk by chunk,
compressed responses still compressed (and still metered); hop-by-hop headers stop at the proxy."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson
import pytest
from yarl import URL

ANTHROPIC_HEADERS = {
    "x-api-key": "sk-ant-api03-transparency-test",
    "anthropic-version": "2023-06-01",
    "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
    "content-type": "application/json",
}


def message_body(stream: bool) -> bytes:
    # Deliberately odd spacing and key order: the upstream must receive exactly these bytes.
    body = {"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": stream,
            "messages": [{"role": "user", "content": "café \u2603 \\n tab\t end"}]}
    return orjson.dumps(body).replace(b",", b" ,  ")


async def fetch(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async with session.post(URL(url, encoded=True), data=body, headers=headers) as resp:
            raw = await resp.read()
            kept = {k.lower(): v for k, v in resp.headers.items() if k.lower() not in ("date", "transfer-encoding")}
            return resp.status, kept, raw


async def test_json_and_sse_responses_are_byte_identical(sim: Any, proxy: Any) -> None:
    for stream in (False, True):
        body = message_body(stream)
        direct = await fetch(f"{sim.url}/v1/messages?beta=true", body, ANTHROPIC_HEADERS)
        proxied = await fetch(f"{proxy.url}/anthropic/v1/messages?beta=true", body, ANTHROPIC_HEADERS)
        assert proxied == direct
        assert direct[0] == 200 and len(direct[2]) > 100
    events = await proxy.events()
    assert [e["streamed"] for e in events] == [0, 1]
    assert all(e["response_bytes"] > 100 for e in events)


async def test_request_reaches_upstream_unchanged(sim: Any, proxy: Any) -> None:
    body = message_body(False)
    seen = []
    async with aiohttp.ClientSession(skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding")) as session:
        for url in (f"{sim.url}/v1/messages", f"{proxy.url}/anthropic/v1/messages"):
            async with session.post(URL(url + "?beta=true&x=%2Fa%20b", encoded=True), data=body,
                                    headers=ANTHROPIC_HEADERS) as resp:
                assert resp.status == 200
            seen.append(sim.state.requests[-1])
    direct, proxied = seen
    assert proxied.body == direct.body == body
    assert proxied.path_qs == direct.path_qs == "/v1/messages?beta=true&x=%2Fa%20b"
    # Same headers, same values, nothing added (no default User-Agent/Accept from the proxy's HTTP client).
    assert proxied.headers == direct.headers
    assert "user-agent" not in proxied.headers and "accept" not in proxied.headers
    assert proxied.headers["anthropic-beta"] == ANTHROPIC_HEADERS["anthropic-beta"]
    [event] = await proxy.events()
    assert event["request_bytes"] == len(body)


async def test_hop_by_hop_headers_stop_at_the_proxy(sim: Any, proxy: Any) -> None:
    body = message_body(False)
    host, port = proxy.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (
        "POST /anthropic/v1/messages HTTP/1.1\r\n"
        "Host: attacker.example\r\n"
        "Connection: keep-alive, X-Hop-Secret\r\n"
        "X-Hop-Secret: 1\r\n"
        "Keep-Alive: timeout=5\r\n"
        "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
        "TE: trailers\r\n"
        "x-api-key: sk-ant-api03-hop-test\r\n"
        "anthropic-version: 2023-06-01\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 200")
    seen = sim.state.requests[-1]
    for name in ("x-hop-secret", "keep-alive", "proxy-authorization", "te"):
        assert name not in seen.headers
    assert seen.headers["host"] == sim.url.removeprefix("http://")
    assert seen.body == body


async def test_sse_chunk_reaches_client_before_upstream_sends_the_next(sim: Any, proxy: Any) -> None:
    headers = {**ANTHROPIC_HEADERS, "x-sim-hold-after": "1"}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=message_body(True), headers=headers) as resp:
            first = b""
            while b"\n\n" not in first:
                first += await asyncio.wait_for(resp.content.readany(), timeout=5)
            assert first.startswith(b"event: message_start")
            await asyncio.wait_for(sim.state.holding.wait(), timeout=5)
            assert b"message_stop" not in first
            sim.state.release.set()
            rest = await asyncio.wait_for(resp.content.read(), timeout=5)
    assert b"event: message_stop" in rest
    [event] = await proxy.events()
    assert event["status"] == "success" and event["output_tokens"] > 0


@pytest.mark.parametrize(("encoding", "magic"), [("gzip", b"\x1f\x8b"), ("br", b""), ("zstd", b"\x28\xb5\x2f\xfd")])
async def test_compressed_responses_pass_compressed_and_are_metered(
    sim: Any, proxy: Any, encoding: str, magic: bytes
) -> None:
    headers = {**ANTHROPIC_HEADERS, "x-sim-encoding": encoding, "accept-encoding": encoding}
    for stream in (False, True):
        body = message_body(stream)
        direct = await fetch(f"{sim.url}/v1/messages", body, headers)
        proxied = await fetch(f"{proxy.url}/anthropic/v1/messages", body, headers)
        assert proxied == direct
        assert proxied[1]["content-encoding"] == encoding
        assert proxied[2].startswith(magic) and b"message" not in proxied[2]
    plain = await fetch(f"{sim.url}/v1/messages", message_body(False), ANTHROPIC_HEADERS)
    usage = orjson.loads(plain[2])["usage"]
    events = await proxy.events()
    assert len(events) == 2
    for event in events:
        assert event["status"] == "success" and event["tokens_estimated"] == 0
        assert event["input_tokens"] == usage["input_tokens"]
        assert event["output_tokens"] == usage["output_tokens"]
