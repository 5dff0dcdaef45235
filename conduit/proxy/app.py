"""Builds the proxy's aiohttp application from a loaded config, with the lifecycle of its shared parts:
one upstream ClientSession (keep-alive pool, no automatic decompression) and the batched event writer.
Conduit's own endpoints (/healthz, /readyz, /metrics) are routed before the catch-all proxy route.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from conduit.config.schema import Config
from conduit.core.identity import Identifier
from conduit.core.pricing import PriceBook
from conduit.providers import adapter_for
from conduit.checks.governance import GovernanceCheck
from conduit.proxy.access import Access
from conduit.proxy.handler import handle
from conduit.proxy.metrics import metrics_registry
from conduit.proxy.ops import add_ops_routes
from conduit.proxy.routing import Router
from conduit.proxy.state import STATE, ProxyState
from conduit.proxy.watcher import open_watch_connection, watch_policy
from conduit.store.writer import EventWriter

POLICY_SEEN: web.AppKey[int] = web.AppKey("conduit_policy_seen", int)


def build_app(
    config: Config, fingerprint_secret: bytes, access: Access, governance: GovernanceCheck, policy_seen: int
) -> web.Application:
    """The proxy application over prepared access state; the database must already be migrated."""
    state = ProxyState(
        config=config,
        router=Router(config.providers),
        adapters={key: adapter_for(p.api) for key, p in config.providers.items()},
        prices=PriceBook.default(config.pricing),
        identifier=Identifier(fingerprint_secret),
        writer=EventWriter(config.database),
        timeouts={
            key: aiohttp.ClientTimeout(total=None, sock_connect=p.connect_timeout_s, sock_read=p.read_timeout_s)
            for key, p in config.providers.items()
        },
        access=access,
        governance=governance,
    )
    app = web.Application(client_max_size=config.max_request_bytes + 1, handler_args={"max_field_size": 65536})
    app[STATE] = state
    app[POLICY_SEEN] = policy_seen
    app.cleanup_ctx.append(_lifecycle)
    app.on_shutdown.append(_close_websockets)
    add_ops_routes(app, metrics_registry(state.metrics, lambda: state.writer))
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def _close_websockets(app: web.Application) -> None:
    """On stop, before waiting for in-flight requests: ask every open WebSocket to close (after its turn)."""
    state = app[STATE]
    await asyncio.gather(*(going_away() for going_away in list(state.websockets)))


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    """Open the writer and the upstream session at start; on stop, close the session and flush the writer."""
    state = app[STATE]
    await state.writer.start()
    state.session = aiohttp.ClientSession(
        auto_decompress=False,
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=0, ttl_dns_cache=300),
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )
    watch_conn = await open_watch_connection(state)
    watcher = asyncio.create_task(watch_policy(state, app[POLICY_SEEN], watch_conn), name="conduit-policy-watcher")
    try:
        yield
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await watch_conn.close()
        await state.session.close()
        await state.writer.close()
