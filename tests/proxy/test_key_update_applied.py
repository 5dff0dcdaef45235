"""`conduit keys update` against a running proxy: a key stopped by its budget gets through on the next request
once the CLI raised the budget, with the same key, and the CLI reports that the proxy applied the change."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from conduit.core.policy import Budget
from conduit.store.lock import acquire_lock
from tests.proxy.test_budgets import one_cost, send
from tests.proxy.virtual import virtual_home

REPO = Path(__file__).resolve().parents[2]


async def keys_cli(config: Path, *args: str) -> tuple[int, str]:
    """Run `python -m conduit keys ARGS` without blocking the loop the proxy runs on; its exit code and stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "conduit", "keys", *args, "--config", str(config),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, stderr.decode()


async def test_a_raised_budget_applies_to_the_next_request(tmp_path: Path, sim: Any, make_proxy: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    home = virtual_home(tmp_path / "home", sim.url, monkeypatch)
    proxy = await make_proxy(config_path=home.config)
    cost = await one_cost(home, proxy)
    record, vk = home.key("eng1", budget=Budget(round(cost * 1.5, 9), "day"))
    await proxy.policy_synced()
    async with aiohttp.ClientSession() as session:
        assert (await send(session, proxy.url, vk))[0] == 200
        status, doc = await send(session, proxy.url, vk)
        assert (status, doc["error"]["type"]) == (402, "budget_exceeded")

        with acquire_lock(home.db):  # as `conduit proxy` does, so the CLI waits for this proxy to apply the change
            code, stderr = await keys_cli(home.config, "update", "eng1", "--budget", "1000")
        assert code == 0, stderr
        assert stderr.startswith("updated the key 'eng1': budget $") and " per day -> $1000 per day\n" in stderr
        assert f"applied by the running proxy (pid {os.getpid()})" in stderr

        assert (await send(session, proxy.url, vk))[0] == 200
    events = [e for e in await proxy.events() if e["key_id"] == record.id]
    assert [e["status"] for e in events] == ["success", "budget_exceeded", "success"]
