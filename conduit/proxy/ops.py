"""Conduit's own endpoints on the proxy's listen address: `/healthz` (live), `/readyz` (ready for traffic) and
`/metrics` (Prometheus text). GET and HEAD only; they are never forwarded and never recorded as usage events.
Their names are reserved provider keys, so no provider can shadow them.
Imports aiohttp, prometheus-client and `conduit.proxy` siblings.
"""

from __future__ import annotations

import orjson
from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder

from conduit.proxy.readiness import Readiness
from conduit.proxy.state import STATE

OPS_PATHS = ("/healthz", "/readyz", "/metrics")
REGISTRY: web.AppKey[CollectorRegistry] = web.AppKey("conduit_metrics_registry", CollectorRegistry)
READINESS: web.AppKey[Readiness] = web.AppKey("conduit_readiness", Readiness)
_ALLOWED = ("GET", "HEAD")


def add_ops_routes(app: web.Application, registry: CollectorRegistry) -> None:
    """Register the endpoints on `app` (before the catch-all proxy route, so they are matched first)."""
    app[REGISTRY] = registry
    app[READINESS] = Readiness()
    app.router.add_route("*", "/healthz", healthz)
    app.router.add_route("*", "/readyz", readyz)
    app.router.add_route("*", "/metrics", metrics)


async def healthz(request: web.Request) -> web.Response:
    """200 `{"status":"ok"}` while the process serves."""
    if request.method not in _ALLOWED:
        return _not_allowed()
    return _json(200, {"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """200 when ready for traffic, else 503; the body names each check and what is wrong."""
    if request.method not in _ALLOWED:
        return _not_allowed()
    report = await request.app[READINESS].check(request.app[STATE])
    status = "ready" if report.ready else "not_ready"
    return _json(200 if report.ready else 503, {"status": status, "checks": report.checks})


async def metrics(request: web.Request) -> web.Response:
    """The proxy's metrics in the Prometheus text format (or OpenMetrics, when the scraper asks for it)."""
    if request.method not in _ALLOWED:
        return _not_allowed()
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    body = encode(request.app[REGISTRY])
    return web.Response(body=body, headers={"content-type": content_type, "cache-control": "no-store"})


def _json(status: int, body: dict[str, object]) -> web.Response:
    """A small JSON answer that no cache keeps."""
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json",
                        headers={"cache-control": "no-store"})


def _not_allowed() -> web.Response:
    """405 for any method but GET and HEAD."""
    body = {"type": "error", "error": {"type": "method_not_allowed", "code": "method_not_allowed",
                                       "message": "Conduit's own endpoints answer GET and HEAD only", "param": None}}
    return web.Response(status=405, body=orjson.dumps(body), content_type="application/json",
                        headers={"allow": ", ".join(_ALLOWED), "x-conduit-error": "method_not_allowed"})
