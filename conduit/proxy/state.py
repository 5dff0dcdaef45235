"""What the proxy holds for its lifetime: config, router, adapters, prices, identifier, HTTP session, writer
and usage metrics.

Built once at start-up and stored on the aiohttp app; handlers only read it.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from conduit.config.schema import Config
from conduit.core.event import UsageEvent
from conduit.core.identity import Identifier
from conduit.core.pricing import PriceBook
from conduit.providers.base import Adapter
from conduit.checks.governance import GovernanceCheck
from conduit.proxy.access import Access
from conduit.proxy.metrics import UsageMetrics
from conduit.proxy.routing import Router
from conduit.store.writer import EventWriter

log = logging.getLogger("conduit.proxy")


@dataclass(slots=True)
class ProxyState:
    """Everything a request handler needs, shared by all requests."""

    config: Config
    router: Router
    adapters: dict[str, Adapter]
    prices: PriceBook
    identifier: Identifier
    writer: EventWriter
    timeouts: dict[str, aiohttp.ClientTimeout]
    access: Access
    governance: GovernanceCheck
    metrics: UsageMetrics = field(default_factory=UsageMetrics)
    session: aiohttp.ClientSession | None = None
    shutting_down: bool = False
    # Open WebSocket relays, each as the coroutine that asks it to close when the proxy stops.
    websockets: set[Callable[[], Awaitable[None]]] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _id_prefix: str = field(default_factory=lambda: os.urandom(4).hex())

    def next_request_id(self) -> str:
        """A request id unique to this process and run, cheap to make."""
        return f"req_{self._id_prefix}{next(self._ids):08x}"

    def http(self) -> aiohttp.ClientSession:
        """The one upstream ClientSession (open while the app runs)."""
        assert self.session is not None, "the proxy app is not running"
        return self.session

    def record(self, event: UsageEvent) -> None:
        """Hand a request's event to the writer and count it in the metrics (the one place events leave)."""
        self.writer.submit(event)
        try:
            self.metrics.observe(event)
        except Exception as exc:  # noqa: BLE001 - counting must never fail a request
            log.error("could not count a usage event in the metrics (%s)", type(exc).__name__)


STATE: web.AppKey[ProxyState] = web.AppKey("conduit_state", ProxyState)
