"""Runs a demo: the simulated provider and the proxy in-process on free loopback ports, the demo's home and keys,
and the traffic; then stops everything cleanly (in-flight answers finish, the event writer is flushed).

Headless runs on the caller's event loop; `BackgroundDemo` runs on a thread of its own so a blocking dashboard
can own the main thread. Imports aiohttp, the proxy, the sim, the store and the demo's own modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from conduit.config.schema import Config
from conduit.demo.scenario import SCENARIO, Scenario
from conduit.demo.setup import DemoHome, choose_home, provision, remove_home, write_config
from conduit.demo.traffic import Tally, Traffic, TrafficPlan
from conduit.proxy.server import start_proxy
from conduit.sim.app import build_sim_app
from conduit.sim.knobs import SimDefaults
from conduit.store.lock import DatabaseLock, acquire_lock

PROGRESS_EVERY_S = 2.0
LOOPBACK = "127.0.0.1"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True, slots=True)
class DemoOptions:
    """What the user asked for: where to keep the database (None: a temporary folder) and the traffic plan."""

    db: Path | None
    plan: TrafficPlan


@dataclass(frozen=True, slots=True)
class Running:
    """A started demo: its home, loaded config, the sim's and the proxy's URLs, and each engineer's key."""

    home: DemoHome
    config: Config
    sim_url: str
    proxy_url: str
    keys: dict[str, str]


@dataclass(frozen=True, slots=True)
class Finished:
    """A demo that has stopped: its home (still on disk), config and what the traffic saw."""

    home: DemoHome
    config: Config
    tally: Tally


@contextlib.asynccontextmanager
async def demo_services(options: DemoOptions, scenario: Scenario = SCENARIO) -> AsyncIterator[Running]:
    """Start the sim and the proxy over a prepared home; on exit stop the proxy (flushed), then the sim.

    A temporary home is removed if start-up fails; otherwise the caller removes it with `remove_home`."""
    home = choose_home(options.db)
    try:
        async with contextlib.AsyncExitStack() as stack:
            sim = web.AppRunner(build_sim_app(_sim_defaults(options.plan.seed)), access_log=None)
            await sim.setup()
            stack.push_async_callback(sim.cleanup)
            site = web.TCPSite(sim, LOOPBACK, 0)
            await site.start()
            sim_url = f"http://{LOOPBACK}:{sim.addresses[0][1]}"
            config, lock, keys = await asyncio.to_thread(_prepare, home, scenario, sim_url)
            stack.callback(lock.release)
            proxy = await start_proxy(config, LOOPBACK, 0)
            stack.push_async_callback(proxy.stop)
            yield Running(home, config, sim_url, proxy.base_url, keys)
    except BaseException:
        remove_home(home)
        raise


def _sim_defaults(seed: int) -> SimDefaults:
    """The sim's defaults; each demo request also sets its own reply length and timings."""
    return SimDefaults(latency_ms=200, chunk_delay_ms=5, output_tokens=200, seed=seed)


def _prepare(home: DemoHome, scenario: Scenario, sim_url: str) -> tuple[Config, DatabaseLock, dict[str, str]]:
    """Write the config, take the database lock (one proxy per database) and provision keys."""
    config = write_config(home, scenario, sim_url)
    lock = acquire_lock(config.database)
    try:
        return config, lock, provision(config, scenario)
    except BaseException:
        lock.release()
        raise


async def run_headless(options: DemoOptions, say: Callable[[str], None]) -> Finished:
    """Run the demo in the foreground until the plan ends, Ctrl-C or SIGTERM, reporting progress through `say`."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        async with demo_services(options) as running:
            say(where(running))
            traffic = Traffic(SCENARIO, running.keys, running.proxy_url, options.plan)
            reporter = asyncio.create_task(_report(traffic.tally, say), name="conduit-demo-progress")
            started = loop.time()
            try:
                tally = await traffic.run(stop)
            finally:
                reporter.cancel()
            say(tally.line(loop.time() - started))
            say("stopping: flushing events")
        return Finished(running.home, running.config, tally)
    finally:
        for sig in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def where(running: Running) -> str:
    """Lines saying where the demo's parts are and what happens to its files."""
    home = running.home
    kept = "removed when the demo ends" if home.temporary else "kept"
    return (
        f"conduit demo: simulated provider {running.sim_url}, proxy {running.proxy_url}\n"
        f"conduit demo: database {home.database} ({kept}); config {home.config_path}"
    )


async def _report(tally: Tally, say: Callable[[str], None]) -> None:
    """Say the tally every PROGRESS_EVERY_S seconds."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        await asyncio.sleep(PROGRESS_EVERY_S)
        say(tally.line(loop.time() - started))


class BackgroundDemo:
    """The demo on a thread with its own event loop: `start` returns once it serves, `stop` ends it cleanly."""

    def __init__(self, options: DemoOptions) -> None:
        self._options = options
        self._ready = threading.Event()
        self._traffic_done = threading.Event()
        self._thread = threading.Thread(target=self._main, name="conduit-demo", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._running: Running | None = None
        self._error: BaseException | None = None
        self._tally = Tally()

    def start(self) -> Running:
        """Start the demo and wait until it serves; re-raises a start-up error."""
        self._thread.start()
        self._ready.wait()
        if self._running is None:
            raise self._error or RuntimeError("the demo did not start")
        return self._running

    def wait_traffic(self, timeout_s: float) -> bool:
        """Wait until the traffic has ended by its plan (the servers keep running); False on timeout."""
        return self._traffic_done.wait(timeout_s)

    def stop(self) -> Finished:
        """Stop the traffic, the proxy (flushed) and the sim, and wait for the thread to end."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._running is not None
        return Finished(self._running.home, self._running.config, self._tally)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # handed to the thread that calls start() or stop()
            self._error = error
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with demo_services(self._options) as running:
            self._running = running
            self._ready.set()
            traffic = Traffic(SCENARIO, running.keys, running.proxy_url, self._options.plan)
            self._tally = traffic.tally
            await traffic.run(self._stop)
            self._traffic_done.set()
            await self._stop.wait()
