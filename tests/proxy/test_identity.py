"""Passthrough identity: the client's key goes upstream as is; the event keeps only a keyed fingerprint and a
short prefix, plus the agent session id and the client family."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import aiohttp
import anthropic
import orjson

BODY = orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]})
KEY_A = "sk-ant-api03-AAAAbbbbCCCCddddEEEEffff"
KEY_B = "sk-ant-api03-ZZZZyyyyXXXXwwwwVVVVuuuu"


async def send(url: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=BODY, headers={"content-type": "application/json", **headers}) as resp:
            await resp.read()
            return resp.status


async def test_key_forwarded_as_is_and_fingerprinted(sim: Any, proxy: Any) -> None:
    url = f"{proxy.url}/anthropic/v1/messages"
    claude_code = {"user-agent": "claude-cli/2.1.330 (external, cli)", "anthropic-version": "2023-06-01",
                   "x-claude-code-session-id": "5f0c9a8e-2b1d-4c3e-9f7a-1d2e3f4a5b6c"}
    assert await send(url, {"x-api-key": KEY_A, **claude_code}) == 200
    assert sim.state.requests[-1].headers["x-api-key"] == KEY_A
    assert await send(url, {"authorization": f"Bearer {KEY_A}", "user-agent": "Anthropic/Python 2.12.0"}) == 200
    assert sim.state.requests[-1].headers["authorization"] == f"Bearer {KEY_A}"
    assert await send(url, {"x-api-key": KEY_B, "user-agent": "aider/0.86.0"}) == 200
    assert await send(url, {"anthropic-version": "2023-06-01"}) == 401  # no key: the upstream decides
    a1, a2, b, none = await proxy.events()
    assert re.fullmatch(r"[0-9a-f]{24}", a1["key_id"])
    assert a1["key_id"] == a2["key_id"] != b["key_id"]
    assert a1["key_prefix"] == "sk-ant-api03-AAAA…"
    assert (a1["client"], a2["client"], b["client"], none["client"]) == ("claude-code", "anthropic-sdk", "aider", "other")
    assert a1["session_id"] == claude_code["x-claude-code-session-id"] and a2["session_id"] is None
    assert none["key_id"] is None and none["key_prefix"] is None
    raw = b"".join(p.read_bytes() for p in proxy.db.parent.glob("conduit.db*"))
    assert KEY_A[14:].encode() not in raw and KEY_B[14:].encode() not in raw


async def test_codex_session_and_client(sim: Any, proxy: Any) -> None:
    body = orjson.dumps({"model": "gpt-5", "input": "hi", "stream": False})
    headers = {"authorization": "Bearer sk-proj-codexcodexcodexcodex", "content-type": "application/json",
               "user-agent": "codex_exec/0.169.0 (Debian 12; x86_64)", "originator": "codex_exec",
               "session-id": "0199aa00-1111-7222-8333-444455556666"}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/openai/v1/responses", data=body, headers=headers) as resp:
            assert resp.status == 200
    [event] = await proxy.events()
    assert (event["client"], event["session_id"]) == ("codex", headers["session-id"])
    assert event["key_prefix"] == "sk-proj-code…"


async def test_fingerprint_is_stable_across_restarts(sim: Any, make_proxy: Any) -> None:
    first = await make_proxy(sim.url)
    async with anthropic.AsyncAnthropic(base_url=f"{first.url}/anthropic", api_key=KEY_A, max_retries=0) as client:
        await client.messages.create(model="claude-sonnet-4-6", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    [before] = await first.events()
    await first.running.stop()
    second = await make_proxy(sim.url, home=first.db.parent)
    assert second.db == first.db
    async with anthropic.AsyncAnthropic(base_url=f"{second.url}/anthropic", api_key=KEY_A, max_retries=0) as client:
        await client.messages.create(model="claude-sonnet-4-6", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    await second.events()
    with sqlite3.connect(second.db) as conn:
        ids = [row[0] for row in conn.execute("SELECT key_id FROM usage_events ORDER BY id")]
    assert ids == [before["key_id"]] * 2
