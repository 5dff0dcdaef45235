"""Runs the simulated provider as a standalone server until cancelled, for `conduit sim` and benchmarks.

Imports aiohttp and the sim app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiohttp import web

from conduit.sim.app import build_sim_app
from conduit.sim.knobs import SimDefaults


async def serve(host: str, port: int, defaults: SimDefaults, ready: Callable[[str], None]) -> None:
    """Serve on `host:port` (0 picks a free port), call `ready` with the base URL, and run until cancelled."""
    runner = web.AppRunner(build_sim_app(defaults), handler_cancellation=True, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = runner.addresses[0][1]
        ready(f"http://{f'[{host}]' if ':' in host else host}:{bound_port}")
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
