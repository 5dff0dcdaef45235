"""The sim application: routing, keys, error shapes, forced and drawn errors, records and determinism."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import aiohttp
import anthropic
import brotli
import openai
import pytest
import zstandard
from yarl import URL

from conduit.sim.app import SimDefaults, SimState

KEY = "Bearer sk-sim-test"
ANTHROPIC = {"authorization": KEY, "anthropic-version": "2023-06-01"}
OPENAI = {"authorization": KEY}
MESSAGES: list[Any] = [{"role": "user", "content": "hello there"}]
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("/v1/messages", {"model": "claude-opus-4-8", "max_tokens": 64, "messages": MESSAGES}),
    ("/v1/messages", {"model": "claude-opus-4-8", "max_tokens": 64, "messages": MESSAGES, "stream": True}),
    ("/v1/messages/count_tokens", {"model": "claude-opus-4-8", "messages": MESSAGES}),
    ("/v1/chat/completions", {"model": "gpt-5", "messages": MESSAGES}),
    (
        "/v1/chat/completions",
        {"model": "gpt-5", "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}},
    ),
    ("/v1/responses", {"model": "gpt-5", "input": "hello there"}),
    ("/v1/responses", {"model": "gpt-5", "input": "hello there", "stream": True}),
    ("/v1/embeddings", {"model": "text-embedding-3-small", "input": "hello there"}),
]


def headers_for(path: str) -> dict[str, str]:
    return ANTHROPIC if path.startswith("/v1/messages") else OPENAI


async def fetch(http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    async with http.post(URL(url, encoded=True), data=body, headers=headers) as response:
        return response.status, await response.read()


@pytest.mark.parametrize(("path", "body"), REQUESTS)
async def test_same_request_gives_the_same_bytes(
    sim_url: str, http: aiohttp.ClientSession, path: str, body: dict[str, Any]
) -> None:
    raw = json.dumps(body).encode()
    first = await fetch(http, sim_url + path, raw, headers_for(path))
    second = await fetch(http, sim_url + path, raw, headers_for(path))
    assert first[0] == 200
    assert first == second
    if "count_tokens" not in path:
        changed = await fetch(http, sim_url + path, json.dumps({**body, "model": "other"}).encode(), headers_for(path))
        assert changed[1] != first[1]


@pytest.mark.parametrize(("path", "body"), REQUESTS)
async def test_missing_key_is_refused_in_the_provider_shape(
    sim_url: str, http: aiohttp.ClientSession, path: str, body: dict[str, Any]
) -> None:
    headers = {"anthropic-version": "2023-06-01"} if path.startswith("/v1/messages") else {}
    status, raw = await fetch(http, sim_url + path, json.dumps(body).encode(), headers)
    assert status == 401
    error = json.loads(raw)
    if path.startswith("/v1/messages"):
        assert error["type"] == "error" and error["error"]["type"] == "authentication_error"
    else:
        assert error["error"]["type"] == "invalid_request_error" and error["error"]["code"] == "invalid_api_key"


async def test_empty_bearer_is_refused(sim_url: str, http: aiohttp.ClientSession) -> None:
    status, _ = await fetch(http, sim_url + "/v1/chat/completions", b"{}", {"authorization": "Bearer  "})
    assert status == 401


@pytest.mark.parametrize("path", sorted({path for path, _ in REQUESTS}))
async def test_invalid_json_is_a_400_in_the_provider_shape(
    sim_url: str, http: aiohttp.ClientSession, path: str
) -> None:
    for body in (b"{not json", b"[1, 2]"):
        status, raw = await fetch(http, sim_url + path, body, headers_for(path))
        assert status == 400
        error = json.loads(raw)
        if path.startswith("/v1/messages"):
            assert error["error"]["type"] == "invalid_request_error" and error["request_id"].startswith("req_")
        else:
            assert error["error"]["type"] == "invalid_request_error" and "param" in error["error"]


async def test_unknown_paths_are_404_in_the_provider_shape(sim_url: str, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{sim_url}/v1/nope", data=b"{}", headers=ANTHROPIC) as response:
        assert response.status == 404
        assert (await response.json())["error"]["type"] == "not_found_error"
    async with http.post(f"{sim_url}/v1/nope", data=b"{}", headers=OPENAI) as response:
        assert response.status == 404
        assert (await response.json())["error"]["message"] == "Invalid URL (POST /v1/nope)"
    async with http.get(f"{sim_url}/v1/messages", headers=ANTHROPIC) as response:
        assert response.status == 404


async def test_forced_status_uses_provider_error_types(
    anthropic_client: anthropic.AsyncAnthropic, openai_client: openai.AsyncOpenAI
) -> None:
    with pytest.raises(anthropic.OverloadedError) as overloaded:
        await anthropic_client.messages.create(
            model="m", max_tokens=8, messages=MESSAGES, extra_headers={"x-sim-status": "529"}
        )
    assert overloaded.value.type == "overloaded_error"
    assert overloaded.value.request_id is not None
    with pytest.raises(anthropic.RateLimitError) as limited:
        await anthropic_client.messages.create(
            model="m", max_tokens=8, messages=MESSAGES, extra_headers={"x-sim-status": "429"}
        )
    assert limited.value.type == "rate_limit_error"
    assert limited.value.response.headers["retry-after"] == "1"
    with pytest.raises(openai.RateLimitError) as openai_limited:
        await openai_client.responses.create(model="gpt-5", input="x", extra_headers={"x-sim-status": "429"})
    assert openai_limited.value.code == "rate_limit_exceeded"
    with pytest.raises(openai.InternalServerError) as failed:
        await openai_client.chat.completions.create(
            model="gpt-5", messages=MESSAGES, extra_headers={"x-sim-status": "500"}
        )
    assert failed.value.type == "server_error"


async def test_bad_knob_is_a_400_naming_the_header(sim_url: str, http: aiohttp.ClientSession) -> None:
    headers = {**OPENAI, "x-sim-fault": "explode"}
    status, raw = await fetch(http, sim_url + "/v1/chat/completions", b"{}", headers)
    assert status == 400
    assert "x-sim-fault" in json.loads(raw)["error"]["message"]


@pytest.mark.parametrize(("encoding", "decompress"), [
    ("gzip", gzip.decompress), ("br", brotli.decompress), ("zstd", lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data))])
async def test_encoding_knob_compresses_json(
    sim_url: str, http: aiohttp.ClientSession, encoding: str, decompress: Callable[[bytes], bytes]
) -> None:
    path, body = REQUESTS[0]
    raw = json.dumps(body).encode()
    _, plain = await fetch(http, sim_url + path, raw, ANTHROPIC)
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async with session.post(sim_url + path, data=raw, headers={**ANTHROPIC, "x-sim-encoding": encoding}) as response:
            assert response.headers["content-encoding"] == encoding
            compressed = await response.read()
    assert compressed != plain
    assert decompress(compressed) == plain


async def test_requests_are_recorded_as_seen(sim_url: str, sim_state: SimState, http: aiohttp.ClientSession) -> None:
    raw = b'{"model":"m","max_tokens":8,"messages":[]}'
    headers = {"X-Api-Key": "sk-ant-1", "Anthropic-Beta": "tools-2026", "anthropic-version": "2023-06-01"}
    await fetch(http, f"{sim_url}/v1/messages?beta=true&x=%2Fa%20b", raw, headers)
    seen = sim_state.requests[-1]
    assert seen.method == "POST"
    assert seen.path_qs == "/v1/messages?beta=true&x=%2Fa%20b"
    assert seen.body == raw
    assert seen.headers["x-api-key"] == "sk-ant-1" and seen.headers["anthropic-beta"] == "tools-2026"


async def test_error_rate_is_seeded_and_spares_non_generating_calls(
    start_sim: Any, http: aiohttp.ClientSession
) -> None:
    defaults = SimDefaults(error_rate=0.5, seed=7)
    runs = []
    for _ in range(2):
        sim = await start_sim(defaults)
        statuses = []
        for _ in range(20):
            status, _ = await fetch(http, sim.url + "/v1/chat/completions", b'{"messages":[]}', OPENAI)
            statuses.append(status)
        runs.append(statuses)
        counted, _ = await fetch(http, sim.url + "/v1/messages/count_tokens", b'{"messages":[]}', ANTHROPIC)
        assert counted == 200
    assert runs[0] == runs[1]
    assert 200 in runs[0] and set(runs[0]) - {200} <= {429, 500, 503} and len(set(runs[0])) > 1
