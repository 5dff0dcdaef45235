"""Shared fixtures: the simulated provider and the proxy as real servers on free loopback ports, real SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from conduit.config.loader import load_config
from conduit.config.schema import Config
from conduit.proxy.server import RunningProxy, start_proxy
from conduit.proxy.state import STATE
from conduit.sim.app import SIM_STATE, SimState, build_sim_app
from conduit.store.connection import connect
from conduit.store.migrations import migrate
from conduit.store.policy_version import APPLIED_KEY, current_policy_version, read


@dataclass
class Sim:
    """A running simulated provider."""

    url: str
    state: SimState


@dataclass
class Proxy:
    """A running proxy with its config and database."""

    url: str
    config: Config
    running: RunningProxy

    @property
    def db(self) -> Path:
        return self.config.database

    @property
    def state(self) -> Any:
        return self.running.app[STATE]

    async def policy_synced(self) -> None:
        """Wait until the proxy applied every key/credential change made so far (as the CLI does)."""
        target = await asyncio.to_thread(current_policy_version, self.db)
        deadline = asyncio.get_running_loop().time() + 10
        while await asyncio.to_thread(read_applied, self.db) < target:
            assert asyncio.get_running_loop().time() < deadline, "the proxy did not apply the policy change"
            await asyncio.sleep(0.02)

    async def events(self) -> list[dict[str, Any]]:
        """Every recorded event, after flushing the writer."""
        await self.running.app[STATE].writer.flush()
        return read_events(self.db)


def read_applied(db: Path) -> int:
    """The policy version the proxy acknowledged."""
    conn = connect(db)
    try:
        return read(conn, APPLIED_KEY)
    finally:
        conn.close()


def read_events(db: Path) -> list[dict[str, Any]]:
    """All rows of usage_events as dicts, oldest first."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM usage_events ORDER BY id")]


async def _start_app(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    app = build_sim_app()
    runner, url = await _start_app(app)
    yield Sim(url, app[SIM_STATE])
    await runner.cleanup()


def write_config(tmp_path: Path, upstream: str, extra: str = "", provider_extra: str = "") -> Path:
    """A conduit.toml with `anthropic` and `openai` providers pointing at `upstream`."""
    path = tmp_path / "conduit.toml"
    path.write_text(
        f"""listen = "127.0.0.1:0"
database = "conduit.db"
shutdown_grace_s = 5
{extra}
[providers.anthropic]
upstream = "{upstream}"
api = "anthropic"
{provider_extra}
[providers.openai]
upstream = "{upstream}"
api = "openai"
{provider_extra}
"""
    )
    return path


ProxyFactory = Callable[..., Any]


@pytest.fixture
async def make_proxy(tmp_path: Path) -> AsyncIterator[ProxyFactory]:
    """Start proxies on demand: `await make_proxy(upstream_url, extra=..., provider_extra=...)`."""
    started: list[RunningProxy] = []

    async def factory(upstream: str = "", extra: str = "", provider_extra: str = "", home: Path | None = None,
                      config_path: Path | None = None) -> Proxy:
        """A proxy in its own folder (or `home`, to reuse a database) with `extra` config lines, or one
        started from an existing `config_path`."""
        if config_path is None:
            if home is None:
                home = tmp_path / f"proxy{len(started)}"
                home.mkdir()
            config_path = write_config(home, upstream, extra, provider_extra)
        config = load_config(config_path)
        migrate(config.database)
        running = await start_proxy(config, "127.0.0.1", 0)
        started.append(running)
        return Proxy(running.base_url, config, running)

    yield factory
    for running in started:
        await running.stop()


@pytest.fixture
async def proxy(sim: Sim, make_proxy: ProxyFactory) -> Proxy:
    proxy: Proxy = await make_proxy(sim.url)
    return proxy
