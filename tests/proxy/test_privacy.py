"""The privacy canary: a unique string sent in prompts, on every path, appears nowhere in the database file,
the logs or any error body Conduit writes."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

CANARY = f"CANARY-{uuid.uuid4().hex}"
KEY = f"sk-ant-api03-{uuid.uuid4().hex}"
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json"}


def anthropic_body(stream: bool) -> bytes:
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": stream,
                         "system": f"system {CANARY}", "messages": [{"role": "user", "content": f"say {CANARY}"}]})


def openai_body(stream: bool) -> bytes:
    return orjson.dumps({"model": "gpt-4.1-mini", "stream": stream, "messages": [{"role": "user", "content": CANARY}]})


def database_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


async def exercise(proxy: Any, dead_proxy: Any, sim: Any) -> list[bytes]:
    """Drive every path with the canary in the prompt; return what Conduit itself answered with."""
    answers: list[bytes] = []
    async with aiohttp.ClientSession() as session:
        for stream in (False, True):
            async with session.post(f"{proxy.url}/anthropic/v1/messages", data=anthropic_body(stream),
                                    headers=HEADERS) as r:
                await r.read()
            async with session.post(f"{proxy.url}/openai/v1/chat/completions", data=openai_body(stream),
                                    headers={"authorization": f"Bearer {KEY}"}) as r:
                await r.read()
        for path, extra in (("/v1/messages", {"x-sim-status": "529"}), ("/v1/messages", {"x-sim-fault": "cut-after:2"})):
            async with session.post(f"{proxy.url}/anthropic{path}", data=anthropic_body(True),
                                    headers={**HEADERS, **extra}) as r:
                try:
                    await r.read()
                except aiohttp.ClientPayloadError:
                    pass
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=anthropic_body(False) + b"{" + b"x" * 5000,
                                headers=HEADERS) as r:
            answers.append(await r.read())  # over the limit: Conduit's 413
        async with session.post(f"{dead_proxy.url}/anthropic/v1/messages", data=anthropic_body(False),
                                headers=HEADERS) as r:
            answers.append(await r.read())  # unreachable: Conduit's 502
        async with session.post(f"{proxy.url}/anthropic/v1/messages", data=b'{"broken": "' + CANARY.encode(),
                                headers=HEADERS) as r:
            await r.read()
    session = aiohttp.ClientSession()
    resp = await session.post(f"{proxy.url}/anthropic/v1/messages", data=anthropic_body(True),
                              headers={**HEADERS, "x-sim-hold-after": "2"})
    await resp.content.readany()
    await asyncio.wait_for(sim.state.holding.wait(), timeout=5)
    resp.close()
    await session.close()
    await asyncio.wait_for(sim.state.aborted.wait(), timeout=5)
    return answers


async def test_canary_never_stored_logged_or_echoed(sim: Any, make_proxy: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    proxy = await make_proxy(sim.url, extra="max_request_bytes = 4000")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    dead = await make_proxy(f"http://127.0.0.1:{dead_port}")
    answers = await exercise(proxy, dead, sim)
    events = await proxy.events() + await dead.events()
    statuses = {e["status"] for e in events}
    assert {"success", "upstream_error", "proxy_error", "client_aborted"} <= statuses
    assert all(CANARY.encode() in r.body for r in sim.state.requests if r.body.startswith(b'{"model"'))
    for answer in answers:
        assert b"error" in answer and CANARY.encode() not in answer and KEY.encode() not in answer
    for db in (proxy.db, dead.db):
        raw = database_bytes(db)
        assert raw, "the database must exist"
        assert CANARY.encode() not in raw and KEY.encode() not in raw
    assert CANARY not in caplog.text and KEY not in caplog.text
