"""Codex's WebSocket mode through the proxy: `GET /v1/responses` upgraded, one upstream socket per client socket,
messages unchanged both ways, and every `response.create` checked, metered and recorded as one event; a refused
turn is an `error` event on the socket and never reaches the upstream."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from tests.conftest import read_events
from tests.proxy.virtual import OPENAI_SECRET, virtual_home

CANARY = f"CANARY-{uuid.uuid4().hex}"
AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
CODEX = {"authorization": "Bearer sk-proj-websocket-tests-0001", "originator": "codex_exec",
         "session-id": "codex-ws-session", "user-agent": "codex_exec/0.64.0", "openai-beta": "responses_websockets"}


def create(text: str, previous: str | None = None) -> str:
    message: dict[str, Any] = {"type": "response.create", "model": "gpt-5-codex", "store": False,
                               "instructions": "You are Codex.", "input": [
                                   {"type": "message", "role": "user", "content": [{"type": "input_text",
                                                                                    "text": text}]}]}
    if previous is not None:
        message["previous_response_id"] = previous
    return orjson.dumps(message).decode()


async def turn(socket: aiohttp.ClientWebSocketResponse, message: str) -> list[str]:
    """Send one message and collect what comes back up to its final (or error) event."""
    await socket.send_str(message)
    received = []
    while True:
        answer = await socket.receive_str(timeout=10)
        received.append(answer)
        if orjson.loads(answer)["type"] in ("response.completed", "response.incomplete", "response.failed", "error"):
            return received


async def conversation(url: str, headers: dict[str, str]) -> list[list[str]]:
    """Two chained turns on one socket, as Codex sends them."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url, headers=headers) as socket:
            first = await turn(socket, create(f"Write a haiku about {CANARY}."))
            response_id = orjson.loads(first[-1])["response"]["id"]
            second = await turn(socket, create("Now a limerick.", previous=response_id))
    return [first, second]


async def test_turns_pass_unchanged_and_each_is_one_metered_event(sim: Any, proxy: Any) -> None:
    direct = await conversation(f"{sim.url}/v1/responses", CODEX)
    proxied = await conversation(f"{proxy.url}/openai/v1/responses", CODEX)
    assert proxied == direct
    assert orjson.loads(proxied[1][-1])["response"]["previous_response_id"] == orjson.loads(
        proxied[0][-1])["response"]["id"]
    events = await proxy.events()
    assert len(events) == 2
    for event, answers in zip(events, proxied):
        usage = orjson.loads(answers[-1])["response"]["usage"]
        assert (event["status"], event["http_status"], event["api"], event["streamed"]) == (
            "success", 200, "openai_responses", 1)
        assert (event["model"], event["client"], event["session_id"]) == ("gpt-5-codex", "codex", "codex-ws-session")
        assert event["input_tokens"] + event["cache_read_tokens"] == usage["input_tokens"]
        assert event["output_tokens"] == usage["output_tokens"] and event["tokens_estimated"] == 0
        assert event["cost_usd"] > 0 and event["ttfb_ms"] is not None
        assert event["response_bytes"] == sum(len(answer.encode()) for answer in answers)
    assert events[0]["request_bytes"] == len(create(f"Write a haiku about {CANARY}.").encode())
    assert CANARY.encode() not in proxy.db.read_bytes()


async def test_a_blocked_turn_is_an_error_event_and_the_socket_goes_on(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra='[governance]\nmode = "alert"\nblock = ["aws_access_key"]\n')
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{proxy.url}/openai/v1/responses", headers=CODEX) as socket:
            refused = await turn(socket, create(f"deploy with AWS_ACCESS_KEY_ID={AWS_KEY}"))
            answered = await turn(socket, create("hello"))
    assert len(refused) == 1
    error = orjson.loads(refused[0])
    assert (error["type"], error["status"], error["error"]["code"]) == ("error", 451, "governance_blocked")
    assert AWS_KEY not in refused[0]
    assert orjson.loads(answered[-1])["type"] == "response.completed"
    turns = [seen.body for seen in sim.state.requests if seen.method == "WEBSOCKET"]
    assert len(turns) == 1 and AWS_KEY.encode() not in turns[0]
    events = await proxy.events()
    assert [(e["status"], e["http_status"], e["governance_action"]) for e in events] == [
        ("governance_blocked", 451, "block"), ("success", 200, None)]


async def test_a_virtual_key_opens_the_socket_and_the_upstream_sees_only_the_credential(
    sim: Any, make_proxy: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    _, plain = home.key("eng1", models=("gpt-5*",))
    proxy = await make_proxy(config_path=home.config)
    url = f"{proxy.url}/openai/v1/responses"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url, headers={**CODEX, "authorization": "Bearer vk_live_wrong"})
        assert refused.value.status == 401
        async with session.ws_connect(url, headers={**CODEX, "authorization": f"Bearer {plain}"}) as socket:
            blocked = await turn(socket, create("hi").replace("gpt-5-codex", "o3-pro"))
            answered = await turn(socket, create("hi"))
    assert orjson.loads(blocked[0])["error"]["code"] == "model_blocked"
    assert orjson.loads(answered[-1])["type"] == "response.completed"
    (handshake,) = [seen for seen in sim.state.requests if seen.method == "GET"]
    assert handshake.headers["authorization"] == f"Bearer {OPENAI_SECRET}"
    assert plain not in str(handshake.headers)
    events = await proxy.events()
    assert [(e["status"], e["http_status"], e["key_name"]) for e in events] == [
        ("auth_failed", 401, None), ("model_blocked", 403, "eng1"), ("success", 200, "eng1")]


async def test_a_websocket_on_another_endpoint_is_refused_and_never_forwarded(sim: Any, proxy: Any) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"{proxy.url}/openai/v1/chat/completions", headers=CODEX)
    assert refused.value.status == 501
    assert sim.state.requests == []
    (event,) = await proxy.events()
    assert (event["status"], event["http_status"], event["error_code"]) == ("proxy_error", 501, "websocket_unsupported")


async def test_a_client_leaving_mid_turn_is_recorded_as_aborted(sim: Any, proxy: Any) -> None:
    async with aiohttp.ClientSession() as session:
        socket = await session.ws_connect(f"{proxy.url}/openai/v1/responses",
                                          headers={**CODEX, "x-sim-chunk-delay-ms": "50"})
        await socket.send_str(create("a long answer, please"))
        assert orjson.loads(await socket.receive_str(timeout=10))["type"] == "response.created"
        await socket.close()
    await sim.state.socket_closed.wait()
    events = await proxy.events()
    assert [(e["status"], e["error_code"]) for e in events] == [("client_aborted", "client_aborted")]


async def test_an_upstream_closing_mid_turn_closes_the_client_and_is_recorded(sim: Any, proxy: Any) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{proxy.url}/openai/v1/responses",
                                      headers={**CODEX, "x-sim-fault": "cut-after:3"}) as socket:
            await socket.send_str(create("hello"))
            received = [await socket.receive() for _ in range(4)]
    assert [m.type for m in received[:3]] == [aiohttp.WSMsgType.TEXT] * 3
    assert received[3].type is aiohttp.WSMsgType.CLOSE and socket.close_code == 1011
    events = await proxy.events()
    assert [(e["status"], e["error_code"], e["tokens_estimated"]) for e in events] == [
        ("proxy_error", "upstream_disconnected", 1)]


async def test_stopping_the_proxy_closes_an_idle_socket_at_once_and_a_busy_one_after_its_turn(
    sim: Any, proxy: Any
) -> None:
    url = f"{proxy.url}/openai/v1/responses"
    async with aiohttp.ClientSession() as session:
        idle = await session.ws_connect(url, headers=CODEX)
        busy = await session.ws_connect(url, headers={**CODEX, "x-sim-chunk-delay-ms": "20"})
        await busy.send_str(create("finish this before you go"))
        assert orjson.loads(await busy.receive_str(timeout=10))["type"] == "response.created"
        stopping = asyncio.ensure_future(proxy.running.stop())
        closed = await idle.receive(timeout=10)
        assert (closed.type, idle.close_code) == (aiohttp.WSMsgType.CLOSE, 1001)
        rest = []
        while (message := await busy.receive(timeout=10)).type is aiohttp.WSMsgType.TEXT:
            rest.append(orjson.loads(message.data)["type"])
        assert rest[-1] == "response.completed" and busy.close_code == 1001
        await stopping
    events = read_events(proxy.db)
    assert [(e["status"], e["output_tokens"] > 0) for e in events] == [("success", True)]


async def test_a_failure_inside_conduit_closes_the_socket_and_is_recorded_as_its_own(
    sim: Any, proxy: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Any, data: bytes) -> None:
        raise RuntimeError(data.decode())  # the upstream event, which carries the instructions

    monkeypatch.setattr("conduit.proxy.socket_turns.Turns.answer", broken)
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{proxy.url}/openai/v1/responses", headers=CODEX) as socket:
            await socket.send_str(create("hello").replace("You are Codex.", f"You are {CANARY}."))
            closed = await socket.receive(timeout=10)
    assert closed.type is aiohttp.WSMsgType.CLOSE and socket.close_code == 1011
    events = await proxy.events()
    assert [(e["status"], e["error_code"]) for e in events] == [("proxy_error", "internal_error")]
    assert "internal error on a WebSocket (RuntimeError)" in caplog.text
    assert CANARY not in caplog.text and "response.created" not in caplog.text
