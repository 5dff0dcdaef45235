"""Every example in examples/ works against a real proxy and the simulated provider: the SDK scripts run as
subprocesses and print what the database records, the gateway configs load with the real loader and route a
request, and the Claude Code, Codex and aider settings reach a route the proxy serves with their own shape."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tomllib
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import openai
import orjson
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEFAULT_PROXY = "http://127.0.0.1:8080"
USAGE = re.compile(r"^usage: input_tokens=(\d+) output_tokens=(\d+)$", re.MULTILINE)


async def run_example(name: str, proxy: Any) -> str:
    """Run examples/<name> with the env pointing at `proxy`; return its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_", "CONDUIT_"))}
    env.update(ANTHROPIC_BASE_URL=f"{proxy.url}/anthropic", ANTHROPIC_API_KEY="sk-ant-api03-example-key-0001",
               OPENAI_BASE_URL=f"{proxy.url}/openai/v1", OPENAI_API_KEY="sk-proj-example-key-00000002")
    proc = await asyncio.create_subprocess_exec(sys.executable, str(EXAMPLES / name), env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, stderr.decode()
    return stdout.decode()


@pytest.mark.parametrize(("name", "api", "streamed"), [
    ("anthropic_plain.py", "anthropic_messages", 0),
    ("anthropic_stream.py", "anthropic_messages", 1),
    ("openai_chat.py", "openai_chat", 1),
    ("openai_responses.py", "openai_responses", 0),
])
async def test_sdk_example_prints_what_is_recorded(proxy: Any, name: str, api: str, streamed: int) -> None:
    output = await run_example(name, proxy)
    match = USAGE.search(output)
    assert match, output
    reply = output[:match.start()].strip()
    assert len(reply.split()) > 3, output
    [event] = await proxy.events()
    assert (event["status"], event["api"], event["streamed"]) == ("success", api, streamed)
    assert (event["input_tokens"], event["output_tokens"]) == (int(match[1]), int(match[2]))
    assert event["tokens_estimated"] == 0 and event["priced"] == 1 and event["cost_usd"] > 0


def gateway_config(name: str, sim_url: str, home: Path) -> Path:
    """examples/gateways/<name> with every upstream pointed at the simulated provider, written into `home`."""
    text = (EXAMPLES / "gateways" / name).read_text()
    assert re.search(r'^upstream = "http://127\.0\.0\.1:\d+', text, re.MULTILINE)
    text = re.sub(r'^upstream = "[^"]*"', f'upstream = "{sim_url}"', text, flags=re.MULTILINE)
    text = re.sub(r'^listen = "[^"]*"', 'listen = "127.0.0.1:0"', text, flags=re.MULTILINE)
    home.mkdir()
    (home / "conduit.toml").write_text(text)
    return home / "conduit.toml"


async def test_litellm_gateway_config_routes_both_apis(sim: Any, make_proxy: Any, tmp_path: Path) -> None:
    proxy = await make_proxy(config_path=gateway_config("litellm.conduit.toml", sim.url, tmp_path / "litellm"))
    assert set(proxy.config.providers) == {"litellm", "litellm-anthropic"}
    client = openai.AsyncOpenAI(base_url=f"{proxy.url}/litellm/v1", api_key="sk-litellm-virtual-key-0001",
                                max_retries=0)
    async with client:
        chat = await client.chat.completions.create(model="gpt-5-mini",
                                                    messages=[{"role": "user", "content": "hi"}])
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{proxy.url}/litellm-anthropic/v1/messages", headers={
            "x-api-key": "sk-litellm-virtual-key-0001", "anthropic-version": "2023-06-01"},
            json={"model": "claude-haiku-4-5", "max_tokens": 32,
                  "messages": [{"role": "user", "content": "hi"}]}) as resp:
            assert resp.status == 200
    first, second = await proxy.events()
    assert (first["provider"], first["api"], first["status"]) == ("litellm", "openai_chat", "success")
    assert chat.usage is not None and first["output_tokens"] == chat.usage.completion_tokens
    assert (second["provider"], second["api"], second["status"]) == ("litellm-anthropic", "anthropic_messages",
                                                                      "success")


async def test_portkey_gateway_config_forwards_portkey_headers(sim: Any, make_proxy: Any, tmp_path: Path) -> None:
    proxy = await make_proxy(config_path=gateway_config("portkey.conduit.toml", sim.url, tmp_path / "portkey"))
    client = openai.AsyncOpenAI(base_url=f"{proxy.url}/portkey/v1", api_key="sk-proj-provider-key-000003",
                                default_headers={"x-portkey-provider": "openai"}, max_retries=0)
    async with client:
        raw = await client.chat.completions.with_raw_response.create(
            model="gpt-5", messages=[{"role": "user", "content": "hi"}])
    assert raw.http_request.headers["x-portkey-provider"] == "openai"
    [event] = await proxy.events()
    assert (event["provider"], event["api"], event["status"]) == ("portkey", "openai_chat", "success")
    assert event["output_tokens"] == raw.parse().usage.completion_tokens  # type: ignore[union-attr]


def local_route(url: str, proxy: Any) -> str:
    """An example's URL for the default local proxy, rewritten to the test proxy's address."""
    assert url.startswith(DEFAULT_PROXY + "/"), url
    return proxy.url + url.removeprefix(DEFAULT_PROXY)


async def test_codex_config_points_at_the_responses_route(proxy: Any) -> None:
    config = tomllib.loads((EXAMPLES / "codex" / "config.toml").read_text())
    provider = config["model_providers"][config["model_provider"]]
    assert provider["wire_api"] == "responses" and provider["supports_websockets"] is False
    session = str(uuid.uuid4())
    client = openai.AsyncOpenAI(base_url=local_route(provider["base_url"], proxy), api_key="sk-proj-codex-0004",
                                max_retries=0, default_headers={
                                    "originator": "codex_exec", "session-id": session,
                                    "user-agent": "codex_exec/0.169.0 (Linux; x86_64)"})
    async with client:
        stream = await client.responses.create(model=config["model"], input="fix the test", stream=True,
                                               store=False)
        kinds = [item.type async for item in stream]
    assert kinds[-1] == "response.completed"
    [event] = await proxy.events()
    assert (event["api"], event["client"], event["session_id"]) == ("openai_responses", "codex", session)
    assert event["status"] == "success" and event["tokens_estimated"] == 0


def env_file(path: Path) -> dict[str, str]:
    """The KEY=VALUE lines of an env file."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


async def test_claude_code_env_reaches_the_messages_route(proxy: Any) -> None:
    env = env_file(EXAMPLES / "claude_code.env")
    assert env["CLAUDE_CODE_MAX_RETRIES"] == "1"
    session = str(uuid.uuid4())
    body = orjson.dumps({
        "model": "claude-sonnet-4-6", "max_tokens": 32000, "stream": True,
        "system": [{"type": "text", "text": "You are Claude Code."}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "list the files"}]}],
        "metadata": {"user_id": orjson.dumps({"session_id": session}).decode()}})
    headers = {"x-api-key": "sk-ant-api03-claude-code-0005", "anthropic-version": "2023-06-01",
               "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
               "x-claude-code-session-id": session, "user-agent": "claude-cli/2.1.330 (external, cli)",
               "content-type": "application/json"}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{local_route(env['ANTHROPIC_BASE_URL'], proxy)}/v1/messages?beta=true",
                             data=body, headers=headers) as resp:
            assert resp.status == 200
            assert b"event: message_stop" in await resp.read()
    [event] = await proxy.events()
    assert (event["api"], event["client"], event["session_id"]) == ("anthropic_messages", "claude-code", session)
    assert event["status"] == "success" and event["streamed"] == 1


async def test_aider_flags_reach_the_chat_route(proxy: Any) -> None:
    script = (EXAMPLES / "aider.sh").read_text()
    base = re.search(r"--openai-api-base (\S+)", script)
    assert base, "aider.sh sets no --openai-api-base"
    body = orjson.dumps({"model": "gpt-5", "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{local_route(base[1], proxy)}/chat/completions", data=body, headers={
                "authorization": "Bearer sk-proj-aider-000006", "user-agent": "aider/0.86.1",
                "content-type": "application/json"}) as resp:
            assert resp.status == 200
            await resp.read()
    [event] = await proxy.events()
    assert (event["api"], event["client"], event["status"]) == ("openai_chat", "aider", "success")
    assert event["tokens_estimated"] == 1 and event["output_tokens"] > 0
