"""Virtual keys end to end: SDKs and Claude-Code-style requests authenticate with a vk_live_ key, the upstream
sees only the sealed provider credential, bad keys get a 401 in the provider's shape and are never forwarded,
and revocation applies on the next request."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import aiohttp
import anthropic
import openai
import orjson
import pytest

from conduit.core.sealing import SealError
from conduit.store import keys
from conduit.store.errors import StoreError
from conduit.store.master_key import MASTER_KEY_ENV
from tests.proxy.virtual import ANTHROPIC_SECRET, OPENAI_SECRET, virtual_home

BODY = orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 32, "messages": [{"role": "user", "content": "hi"}]})


async def post(url: str, headers: dict[str, str], body: bytes = BODY) -> tuple[int, Any, Any]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers={"content-type": "application/json", **headers}) as resp:
            return resp.status, orjson.loads(await resp.read()), resp.headers


@pytest.fixture
async def home_proxy(tmp_path: Path, sim: Any, make_proxy: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    return home, await make_proxy(config_path=home.config)


async def test_sdks_and_claude_code_use_a_virtual_key_and_upstream_sees_only_the_credential(
    home_proxy: Any, sim: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    home, proxy = home_proxy
    record, vk = home.key("eng1")
    await proxy.policy_synced()
    async with anthropic.AsyncAnthropic(base_url=f"{proxy.url}/anthropic", api_key=vk, max_retries=0) as client:
        await client.messages.create(model="claude-sonnet-4-6", max_tokens=16,
                                     messages=[{"role": "user", "content": "hi"}])
    status, _, _ = await post(f"{proxy.url}/anthropic/v1/messages",
                              {"x-api-key": vk, "anthropic-version": "2023-06-01",
                               "user-agent": "claude-cli/2.1.330 (external, cli)"})
    assert status == 200
    async with openai.AsyncOpenAI(base_url=f"{proxy.url}/openai/v1", api_key=vk, max_retries=0) as oai:
        await oai.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "hi"}])
    first, second, third = sim.state.requests[-3:]
    assert first.headers["x-api-key"] == ANTHROPIC_SECRET and "authorization" not in first.headers
    assert second.headers["x-api-key"] == ANTHROPIC_SECRET
    assert third.headers["authorization"] == f"Bearer {OPENAI_SECRET}" and "x-api-key" not in third.headers
    assert not any("vk_live_" in value for r in sim.state.requests for value in r.headers.values())
    events = await proxy.events()
    assert [e["status"] for e in events] == ["success"] * 3
    for event in events:
        assert (event["key_id"], event["key_name"], event["team"], event["key_prefix"]) == (
            record.id, "eng1", "platform", record.key_prefix)
    assert events[1]["client"] == "claude-code"
    raw = b"".join(p.read_bytes() for p in home.path.glob("conduit.db*"))
    for secret in (ANTHROPIC_SECRET, OPENAI_SECRET, vk):
        assert secret.encode() not in raw
        assert secret not in caplog.text


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"x-api-key": "vk_live_" + "x" * 43}, "invalid_api_key"),
        ({"x-api-key": "sk-ant-api03-a-real-provider-key"}, "virtual_key_required"),
        ({"authorization": "Bearer sk-proj-a-real-provider-key"}, "virtual_key_required"),
    ],
)
async def test_bad_keys_get_401_and_are_never_forwarded(home_proxy: Any, sim: Any, headers: dict[str, str],
                                                        code: str) -> None:
    _, proxy = home_proxy
    status, doc, _ = await post(f"{proxy.url}/anthropic/v1/messages", {"anthropic-version": "2023-06-01", **headers})
    assert status == 401
    assert doc["type"] == "error" and doc["error"]["type"] == code
    assert sim.state.requests == []
    [event] = await proxy.events()
    assert (event["status"], event["http_status"], event["error_code"], event["cost_usd"]) == (
        "auth_failed", 401, code, 0.0)


async def test_revoke_and_rotate_apply_on_the_next_request(home_proxy: Any) -> None:
    home, proxy = home_proxy
    _, vk = home.key("eng1")
    await proxy.policy_synced()
    url = f"{proxy.url}/openai/v1/chat/completions"
    chat = orjson.dumps({"model": "gpt-5", "messages": [{"role": "user", "content": "hi"}]})
    assert (await post(url, {"authorization": f"Bearer {vk}"}, chat))[0] == 200
    _, new_vk = keys.rotate(home.db, "eng1")
    await proxy.policy_synced()
    status, doc, _ = await post(url, {"authorization": f"Bearer {vk}"}, chat)
    assert (status, doc["error"]["code"]) == (401, "invalid_api_key")
    assert (await post(url, {"authorization": f"Bearer {new_vk}"}, chat))[0] == 200
    keys.revoke(home.db, "eng1")
    await proxy.policy_synced()
    status, doc, _ = await post(url, {"authorization": f"Bearer {new_vk}"}, chat)
    assert (status, doc["error"]["code"]) == (401, "revoked_api_key")
    assert "eng1" in doc["error"]["message"]


async def test_repeated_bad_keys_from_one_address_are_throttled(home_proxy: Any, sim: Any) -> None:
    home, proxy = home_proxy
    _, vk = home.key("eng1")
    statuses = [(await post(f"{proxy.url}/anthropic/v1/messages", {"x-api-key": "vk_live_wrong"}))[0]
                for _ in range(25)]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    status, doc, headers = await post(f"{proxy.url}/anthropic/v1/messages", {"x-api-key": vk})
    assert status == 429 and int(headers["retry-after"]) >= 1
    assert doc["error"]["type"] == "too_many_auth_failures"
    assert sim.state.requests == []


async def test_missing_or_wrong_master_key_fails_at_start(tmp_path: Path, sim: Any, make_proxy: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    monkeypatch.delenv(MASTER_KEY_ENV)
    with pytest.raises(StoreError, match="master key"):
        await make_proxy(config_path=home.config)
    monkeypatch.setenv(MASTER_KEY_ENV, "ab" * 32)
    with pytest.raises(SealError, match="anthropic-prod|openai-prod"):
        await make_proxy(config_path=home.config)
