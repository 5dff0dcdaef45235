"""Budgets through the proxy: reservations before forwarding, 402s that name the budget, settled spend that
never passes a strict limit, reservations that return to zero, and spend that survives a restart or a kill -9."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from conduit.core.policy import Budget
from tests.conftest import read_events
from tests.proxy.virtual import virtual_home

MODEL = "claude-haiku-4-5"


def body(model: str = MODEL) -> bytes:
    return orjson.dumps({"model": model, "max_tokens": 24, "messages": [{"role": "user", "content": "hi"}]})


async def send(session: aiohttp.ClientSession, url: str, vk: str, model: str = MODEL) -> tuple[int, Any]:
    async with session.post(f"{url}/anthropic/v1/messages", data=body(model),
                            headers={"x-api-key": vk, "content-type": "application/json"}) as resp:
        return resp.status, orjson.loads(await resp.read())


async def one_cost(home: Any, proxy: Any) -> float:
    """The actual cost of one request, measured with a throwaway key without a budget."""
    _, vk = home.key("probe", team=None)
    await proxy.policy_synced()
    async with aiohttp.ClientSession() as session:
        assert (await send(session, proxy.url, vk))[0] == 200
    events = await proxy.events()
    cost: float = events[-1]["cost_usd"]
    assert cost > 0
    return cost


@pytest.mark.parametrize("mode", ["strict", "estimate"])
async def test_concurrent_requests_never_pass_the_limit_and_reservations_return_to_zero(
    mode: str, tmp_path: Path, sim: Any, make_proxy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    (home.config).write_text(home.config.read_text() + f'\n[budget]\nmode = "{mode}"\n')
    proxy = await make_proxy(config_path=home.config)
    cost = await one_cost(home, proxy)
    limit = round(cost * 10.5, 9)
    record, vk = home.key("eng1", budget=Budget(limit, "day"))
    await proxy.policy_synced()
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(send(session, proxy.url, vk) for _ in range(50)))
    statuses = [status for status, _ in results]
    assert statuses.count(200) >= 1 and statuses.count(402) >= 1 and set(statuses) == {200, 402}
    events = [e for e in await proxy.events() if e["key_id"] == record.id]
    spent = sum(e["cost_usd"] for e in events if e["status"] == "success")
    assert spent <= limit + 1e-12
    assert all(e["cost_usd"] == 0 for e in events if e["status"] == "budget_exceeded")
    assert proxy.state.access.gate.ledger.reserved_usd() == 0


async def test_402_names_the_budget_spend_and_reset(tmp_path: Path, sim: Any, make_proxy: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    proxy = await make_proxy(config_path=home.config)
    cost = await one_cost(home, proxy)
    _, vk = home.key("eng1", budget=Budget(round(cost * 1.5, 9), "day"))
    await proxy.policy_synced()
    async with aiohttp.ClientSession() as session:
        assert (await send(session, proxy.url, vk))[0] == 200
        status, doc = await send(session, proxy.url, vk)
    assert status == 402
    assert doc["type"] == "error" and doc["error"]["type"] == "budget_exceeded"
    message = doc["error"]["message"]
    assert "key 'eng1'" in message and "day" in message and "resets" in message and "$" in message


async def test_unpriced_model_under_a_budget_is_denied_unless_allowed(tmp_path: Path, sim: Any, make_proxy: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    proxy = await make_proxy(config_path=home.config)
    _, vk = home.key("eng1", budget=Budget(5, "month"))
    _, free = home.key("eng2")
    await proxy.policy_synced()
    async with aiohttp.ClientSession() as session:
        status, doc = await send(session, proxy.url, vk, model="claude-internal-finetune")
        assert (status, doc["error"]["type"]) == (402, "unpriced_model")
        assert "[pricing" in doc["error"]["message"]
        assert (await send(session, proxy.url, free, model="claude-internal-finetune"))[0] == 200
    await proxy.running.stop()
    home.config.write_text(home.config.read_text() + '\n[budget]\nunpriced = "allow"\n')
    allowed = await make_proxy(config_path=home.config)
    async with aiohttp.ClientSession() as session:
        assert (await send(session, allowed.url, vk, model="claude-internal-finetune"))[0] == 200


async def start_cli_proxy(config: Path) -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "conduit", "proxy", "--config", str(config),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=dict(os.environ),
    )
    assert proc.stderr is not None
    while True:
        line = (await asyncio.wait_for(proc.stderr.readline(), timeout=20)).decode()
        assert line, "the proxy exited before listening"
        if "listening on" in line:
            return proc, line.split("listening on ")[1].split()[0]


async def test_spend_survives_restart_and_kill_9(tmp_path: Path, sim: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    _, vk = home.key("eng1", budget=Budget(1.0, "month"))
    proc, url = await start_cli_proxy(home.config)
    async with aiohttp.ClientSession() as session:
        for _ in range(20):
            assert (await send(session, url, vk))[0] == 200
        while len(read_events(home.db)) < 20:  # the writer commits within its flush interval
            await asyncio.sleep(0.02)
        in_flight = [asyncio.create_task(send(session, url, vk)) for _ in range(10)]
        await asyncio.sleep(0)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        await asyncio.gather(*in_flight, return_exceptions=True)
        counted = sum(e["cost_usd"] for e in read_events(home.db) if e["status"] == "success")
        assert counted > 0
        spent_text = await spent_after_restart(home, session, vk)
    assert spent_text >= round(counted, 4) - 0.00005


async def spent_after_restart(home: Any, session: aiohttp.ClientSession, vk: str) -> float:
    """Restart with a budget just under the counted spend; the 402 says what the proxy thinks was spent."""
    counted = sum(e["cost_usd"] for e in read_events(home.db) if e["status"] == "success")
    from conduit.store import keys

    keys.revoke(home.db, "eng1")
    _, vk = home.key("eng1-again", budget=None)
    home.config.write_text(home.config.read_text() + f"\n[budget]\nusd = {counted * 0.999:.9f}\n")
    proc, url = await start_cli_proxy(home.config)
    try:
        status, doc = await send(session, url, vk)
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    assert status == 402, doc
    assert "org" in doc["error"]["message"]
    match = re.search(r"\$([0-9.,]+) spent", doc["error"]["message"])
    assert match, doc["error"]["message"]
    return float(match.group(1).replace(",", ""))
