"""Model allow-lists and rate limits through the proxy: 403 and 429 in the provider's shape, never a silent
rewrite, each denial recorded as a zero-cost event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from conduit.core.policy import RateLimit
from tests.proxy.virtual import virtual_home


async def chat(url: str, vk: str, model: str) -> tuple[int, Any, Any]:
    body = orjson.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}]})
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/openai/v1/chat/completions", data=body,
                                headers={"authorization": f"Bearer {vk}", "content-type": "application/json"}) as r:
            return r.status, orjson.loads(await r.read()), r.headers


async def test_allow_lists_key_narrower_than_team(tmp_path: Path, sim: Any, make_proxy: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch, extra='models = ["gpt-5*"]')
    proxy = await make_proxy(config_path=home.config)
    _, team_only = home.key("eng1")
    _, narrow = home.key("eng2", models=("gpt-5-mini",))
    await proxy.policy_synced()
    assert (await chat(proxy.url, team_only, "gpt-5"))[0] == 200
    status, doc, _ = await chat(proxy.url, team_only, "gpt-4.1")
    assert status == 403
    assert doc["error"]["code"] == "model_blocked"
    assert "gpt-4.1" in doc["error"]["message"] and "gpt-5*" in doc["error"]["message"]
    assert "team 'platform'" in doc["error"]["message"]
    status, doc, _ = await chat(proxy.url, narrow, "gpt-5")
    assert status == 403 and "key 'eng2'" in doc["error"]["message"]
    assert (await chat(proxy.url, narrow, "gpt-5-mini"))[0] == 200
    assert [r.body for r in sim.state.requests if b"gpt-4.1" in r.body] == []
    events = await proxy.events()
    blocked = [e for e in events if e["status"] == "model_blocked"]
    assert len(blocked) == 2 and all(e["http_status"] == 403 and e["cost_usd"] == 0 for e in blocked)
    assert {e["model"] for e in blocked} == {"gpt-4.1", "gpt-5"}


async def test_requests_per_minute_limit_gives_429_with_retry_after(tmp_path: Path, sim: Any, make_proxy: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    proxy = await make_proxy(config_path=home.config)
    _, vk = home.key("eng1", rate_limit=RateLimit(rpm=3))
    _, other = home.key("eng2")
    await proxy.policy_synced()
    statuses = [(await chat(proxy.url, vk, "gpt-5"))[0] for _ in range(3)]
    status, doc, headers = await chat(proxy.url, vk, "gpt-5")
    assert statuses == [200] * 3 and status == 429
    assert doc["error"]["code"] == "rate_limited" and "3" in doc["error"]["message"]
    assert 1 <= int(headers["retry-after"]) <= 60
    assert (await chat(proxy.url, other, "gpt-5"))[0] == 200
    [limited] = [e for e in await proxy.events() if e["status"] == "rate_limited"]
    assert (limited["http_status"], limited["cost_usd"], limited["key_name"]) == (429, 0.0, "eng1")


async def test_team_tokens_per_minute_limit(tmp_path: Path, sim: Any, make_proxy: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch, extra="rate_limit = { tpm = 200 }")
    proxy = await make_proxy(config_path=home.config)
    _, vk = home.key("eng1")
    await proxy.policy_synced()
    statuses = [(await chat(proxy.url, vk, "gpt-5"))[0] for _ in range(12)]
    assert statuses[0] == 200 and 429 in statuses
    first = statuses.index(429)
    assert statuses[first:] == [429] * (len(statuses) - first)
    limited = [e for e in await proxy.events() if e["status"] == "rate_limited"]
    assert limited and all(e["team"] == "platform" for e in limited)
