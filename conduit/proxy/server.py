"""Runs the proxy: takes the database lock, migrates, serves until SIGINT/SIGTERM, then stops accepting, lets
in-flight requests finish within the grace period, flushes the event writer and returns.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass

from aiohttp import web

from conduit.config.schema import Config
from conduit.checks.governance import GovernanceCheck
from conduit.proxy.access import Access
from conduit.proxy.app import build_app
from conduit.proxy.memory import release_free_memory
from conduit.proxy.reload import reload_config
from conduit.proxy.startup import build_governor, load_keys, open_credentials, with_spend
from conduit.proxy.state import STATE
from conduit.store.lock import acquire_lock
from conduit.store.meta import install_secret
from conduit.store.migrations import migrate
from conduit.store.policy_version import current_policy_version

log = logging.getLogger("conduit.proxy")
FINGERPRINT_SECRET = "key_fingerprint_secret"


@dataclass(slots=True)
class RunningProxy:
    """A started proxy: its app, runner and the port it actually listens on."""

    app: web.Application
    runner: web.AppRunner
    host: str
    port: int

    @property
    def base_url(self) -> str:
        """`http://host:port` of the listening socket."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (up to the grace period), flush and close."""
        self.app[STATE].shutting_down = True
        await self.runner.cleanup()


def prepare(config: Config) -> tuple[bytes, Access, GovernanceCheck, int]:
    """Everything the proxy loads before serving: the fingerprint secret, access state, the compiled
    governance scan and the policy version.

    Raises StoreError (bad master key, missing credential, unreadable database) so start-up fails clearly."""
    secret = install_secret(config.database, FINGERPRINT_SECRET)
    version = current_policy_version(config.database)
    access = Access(config)
    access.credentials = open_credentials(config)
    access.apply_keys(load_keys(config.database))
    with_spend(config.database, access.gate.ledger.rebuild)
    return secret, access, GovernanceCheck(build_governor(config)), version


async def start_proxy(config: Config, host: str, port: int) -> RunningProxy:
    """Start serving `config` on host:port (port 0 picks a free one); the database must be migrated."""
    secret, access, governance, version = await asyncio.to_thread(prepare, config)
    app = build_app(config, secret, access, governance, version)
    runner = web.AppRunner(
        app, handler_cancellation=True, shutdown_timeout=config.shutdown_grace_s, access_log=None
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    release_free_memory()
    bound_port = int(runner.addresses[0][1]) if runner.addresses else port
    return RunningProxy(app, runner, host, bound_port)


def serve(config: Config, host: str, port: int) -> None:
    """Run the proxy in the foreground until SIGINT or SIGTERM (raises StoreError / OSError on start-up)."""
    lock = acquire_lock(config.database)
    try:
        migrate(config.database)
        try:
            import uvloop
        except ImportError:
            asyncio.run(_serve_until_signal(config, host, port))
        else:
            uvloop.run(_serve_until_signal(config, host, port))
    finally:
        lock.release()


async def _serve_until_signal(config: Config, host: str, port: int) -> None:
    """Serve, then shut down gracefully on the first SIGINT/SIGTERM."""
    proxy = await start_proxy(config, host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task[bool]] = set()

    def on_hangup() -> None:
        task = asyncio.create_task(reload_config(proxy.app[STATE]), name="conduit-reload")
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hangup)
    providers = ", ".join(f"{proxy.base_url}/{key}" for key in sorted(config.providers))
    log.info("conduit proxy listening on %s (database %s)", proxy.base_url, config.database,
             extra={"listen": proxy.base_url})
    log.info("providers: %s", providers)
    log.info("health %s/healthz, readiness %s/readyz, metrics %s/metrics", *[proxy.base_url] * 3)
    await stop.wait()
    log.info("stopping: finishing in-flight requests (up to %gs), flushing events", config.shutdown_grace_s)
    await proxy.stop()
    log.info("stopped")
