"""Egress governance through the proxy: a secret inside an agent's tool_result (JSON-escaped) is blocked with a
451 in block mode — the upstream never receives the request — and flagged in alert mode, with its first
appearance in an agent session told apart from repeats. The value appears nowhere Conduit writes."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
ENTITY = "Project Falcon"
CANARY = f"CANARY-{uuid.uuid4().hex}"


def claude_code_body(secret: str, stream: bool = False) -> bytes:
    """A Claude-Code-shaped turn whose tool_result holds terminal output with `secret` in it, JSON-escaped
    the way a real client writes it (\\n, \\/ and a \\u escape inside the key)."""
    tool_output = f"$ cat .env\nAWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID={secret}\nPATH=/usr/bin\n{CANARY}"
    body = {
        "model": "claude-sonnet-4-6", "max_tokens": 1024, "stream": stream,
        "system": [{"type": "text", "text": "You are Claude Code."}],
        "tools": [{"name": "Bash", "description": "Run a command", "input_schema": {"type": "object"}}],
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "check my env"}]},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash",
                                               "input": {"command": "cat .env"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": tool_output}]},
        ],
    }
    raw = json.dumps(body).replace("/usr/bin", "\\/usr\\/bin")
    return raw.replace(secret, secret[:4] + "\\u0051" + secret[5:] if secret[4] == "Q" else secret).encode()


def codex_body(secret: str) -> bytes:
    """A Codex-shaped Responses request whose function_call_output holds `secret`."""
    return orjson.dumps({
        "model": "gpt-5", "stream": True, "store": False, "instructions": "You are Codex.",
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "run env"}]},
            {"type": "function_call", "call_id": "call_1", "name": "shell", "arguments": '{"cmd":["env"]}'},
            {"type": "function_call_output", "call_id": "call_1", "output": f"AWS_ACCESS_KEY_ID={secret}\n{CANARY}"},
        ],
    })


CLAUDE = {"x-api-key": "sk-ant-api03-governance-tests", "anthropic-version": "2023-06-01",
          "content-type": "application/json", "user-agent": "claude-cli/2.1.330 (external, cli)",
          "x-claude-code-session-id": "11111111-2222-3333-4444-555555555555"}
CODEX = {"authorization": "Bearer sk-proj-governance-tests", "content-type": "application/json",
         "user-agent": "codex_exec/0.169.0", "originator": "codex_exec", "session-id": "codex-session-1"}


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers) as resp:
            return resp.status, await resp.read()


def governance_extra(block: str = "") -> str:
    return f'[governance]\nmode = "alert"\nblock = [{block}]\nentities = ["{ENTITY}"]\n'


async def test_blocked_in_tool_result_never_reaches_upstream(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra=governance_extra('"aws_access_key"'))
    status, raw = await post(f"{proxy.url}/anthropic/v1/messages", claude_code_body(AWS_KEY), CLAUDE)
    assert status == 451
    doc = orjson.loads(raw)
    assert doc["type"] == "error" and doc["error"]["type"] == "governance_blocked"
    assert "aws_access_key" in doc["error"]["message"] and "messages[2].content[0].content" in doc["error"]["message"]
    status, raw = await post(f"{proxy.url}/openai/v1/responses", codex_body(AWS_KEY), CODEX)
    assert status == 451
    doc = orjson.loads(raw)
    assert doc["error"]["code"] == "governance_blocked" and "input[2].output" in doc["error"]["message"]
    assert sim.state.requests == []
    events = await proxy.events()
    assert [(e["status"], e["http_status"], e["governance_action"]) for e in events] == [
        ("governance_blocked", 451, "block")] * 2
    assert all("aws_access_key" in e["governance_categories"].split("|") for e in events)
    assert all(e["cost_usd"] == 0 for e in events)


async def test_alert_mode_forwards_unchanged_and_counts_first_appearances(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra=governance_extra())
    body = claude_code_body(AWS_KEY)
    for headers in (CLAUDE, CLAUDE, {**CLAUDE, "x-claude-code-session-id": "another-session"}):
        status, _ = await post(f"{proxy.url}/anthropic/v1/messages", body, headers)
        assert status == 200
        assert sim.state.requests[-1].body == body
    events = await proxy.events()
    assert [e["status"] for e in events] == ["success"] * 3
    assert all(e["governance_action"] == "alert" and "aws_access_key" in e["governance_categories"] for e in events)
    assert [e["governance_first"] for e in events] == [1, 0, 1]


async def test_entities_are_matched_whatever_their_case(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra=governance_extra('"entity"'))
    body = orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 16,
                         "messages": [{"role": "user", "content": f"Summarise the {ENTITY.upper()} deal memo"}]})
    status, raw = await post(f"{proxy.url}/anthropic/v1/messages", body, CLAUDE)
    assert status == 451 and b"entity" in raw and ENTITY.lower().encode() not in raw.lower()
    clean = orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 16,
                          "messages": [{"role": "user", "content": "Summarise the falconry handbook"}]})
    assert (await post(f"{proxy.url}/anthropic/v1/messages", clean, CLAUDE))[0] == 200


@pytest.mark.parametrize("block", ['"aws_access_key"', ""])
async def test_secret_and_entity_appear_nowhere_conduit_writes(block: str, sim: Any, make_proxy: Any,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    proxy = await make_proxy(sim.url, extra=governance_extra(block))
    url = f"{proxy.url}/anthropic/v1/messages"
    answers = [await post(url, claude_code_body(AWS_KEY) + b"", {**CLAUDE, "x-sim-status": "500"})]
    with_entity = claude_code_body(AWS_KEY).replace(b"check my env", f"check {ENTITY}'s env".encode())
    answers.append(await post(url, with_entity, CLAUDE))
    session = aiohttp.ClientSession()
    resp = await session.post(url, data=claude_code_body(AWS_KEY, stream=True), headers={**CLAUDE, "x-sim-hold-after": "2"})
    if resp.status == 200:
        await resp.content.readany()
        await asyncio.wait_for(sim.state.holding.wait(), timeout=5)
    resp.close()
    await session.close()
    if resp.status == 200:
        await asyncio.wait_for(sim.state.aborted.wait(), timeout=5)
    events = await proxy.events()
    assert len(events) == 3
    raw = b"".join(p.read_bytes() for p in Path(proxy.db).parent.glob("conduit.db*"))
    for value in (AWS_KEY, ENTITY, CANARY):
        assert value.encode() not in raw and value.lower().encode() not in raw.lower()
        assert value not in caplog.text
        if block:
            assert all(value.encode() not in body for _, body in answers)
