"""The running proxy follows the CLI: `conduit keys revoke` while a stream is open lets that stream finish and
refuses the next request; `conduit reload` applies a changed conduit.toml, and rejects an invalid one while the
running config stays in force."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from conduit.core.policy import Budget
from tests.proxy.test_budgets import start_cli_proxy
from tests.proxy.virtual import virtual_home


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conduit", *args, "--config", str(home / "conduit.toml")],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))


def message(model: str = "claude-haiku-4-5", stream: bool = False) -> bytes:
    return orjson.dumps({"model": model, "max_tokens": 24, "stream": stream,
                         "messages": [{"role": "user", "content": "hi"}]})


async def test_revoke_while_streaming_lets_the_stream_finish_then_401(tmp_path: Path, sim: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    _, vk = home.key("eng1")
    proc, url = await start_cli_proxy(home.config)
    headers = {"x-api-key": vk, "content-type": "application/json"}
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/anthropic/v1/messages", data=message(stream=True),
                                    headers={**headers, "x-sim-hold-after": "2"}) as resp:
                await asyncio.wait_for(sim.state.holding.wait(), timeout=10)
                revoked = await asyncio.to_thread(cli, home.path, "keys", "revoke", "eng1")
                assert revoked.returncode == 0, revoked.stderr
                assert f"applied by the running proxy (pid {proc.pid})" in revoked.stderr
                sim.state.release.set()
                rest = await asyncio.wait_for(resp.read(), timeout=10)
            assert resp.status == 200 and b"event: message_stop" in rest
            async with session.post(f"{url}/anthropic/v1/messages", data=message(), headers=headers) as again:
                doc = orjson.loads(await again.read())
            assert again.status == 401 and doc["error"]["type"] == "revoked_api_key"
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    assert proc.returncode == 0


async def test_reload_applies_a_new_budget_and_rejects_a_broken_file(tmp_path: Path, sim: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    _, vk = home.key("eng1", budget=Budget(100, "month"))
    proc, url = await start_cli_proxy(home.config)
    headers = {"x-api-key": vk, "content-type": "application/json"}
    original = home.config.read_text()
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/anthropic/v1/messages", data=message(), headers=headers) as resp:
                assert resp.status == 200
            home.config.write_text(original.replace("[teams.platform]\n", "[teams.platform]\nbudget = { usd = 0.000001 }\n"))
            reloaded = await asyncio.to_thread(cli, home.path, "reload")
            assert reloaded.returncode == 0, reloaded.stderr
            assert "reloaded" in reloaded.stdout and f"pid {proc.pid}" in reloaded.stdout
            async with session.post(f"{url}/anthropic/v1/messages", data=message(), headers=headers) as resp:
                doc = orjson.loads(await resp.read())
            assert resp.status == 402 and "team 'platform'" in doc["error"]["message"]
            home.config.write_text(original + "\n[teams.broken]\nbudget = { usd = -1 }\n")
            rejected = await asyncio.to_thread(cli, home.path, "reload")
            assert rejected.returncode == 2
            assert "teams.broken.budget.usd" in rejected.stderr and len(rejected.stderr.strip().splitlines()) == 1
            async with session.post(f"{url}/anthropic/v1/messages", data=message(), headers=headers) as resp:
                assert resp.status == 402  # the last good config stays in force
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()


async def test_sighup_with_a_broken_file_keeps_the_running_config(tmp_path: Path, sim: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    _, vk = home.key("eng1")
    proc, url = await start_cli_proxy(home.config)
    try:
        home.config.write_text(home.config.read_text() + "\nnot toml at all [\n")
        proc.send_signal(signal.SIGHUP)
        assert proc.stderr is not None
        line = ""
        while "reload rejected" not in line:
            line = (await asyncio.wait_for(proc.stderr.readline(), timeout=10)).decode()
        assert "conduit.toml" in line
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/anthropic/v1/messages", data=message(),
                                    headers={"x-api-key": vk, "content-type": "application/json"}) as resp:
                assert resp.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    assert proc.returncode == 0
