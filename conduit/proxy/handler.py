"""The request handler: route, read the body, forward it byte for byte, relay the response chunk by chunk
while the meter reads a tee of it, and record one usage event — whatever happens.
"""

from __future__ import annotations

import asyncio
import logging
import traceback

import aiohttp
import orjson
from aiohttp import web

from conduit.core.identity import presented_key
from conduit.core.status import Status
from conduit.providers.base import Adapter
from conduit.proxy.exchange import Exchange
from conduit.proxy.headers import absent_auto_headers, upstream_request_headers
from conduit.proxy.relay import relay
from conduit.proxy.routing import Route, RouteError
from conduit.proxy.state import STATE, ProxyState

log = logging.getLogger("conduit.proxy")


async def handle(request: web.Request) -> web.StreamResponse:
    """Proxy one request to its provider and record its usage event."""
    state = request.app[STATE]
    route = state.router.resolve(request.raw_path)
    if isinstance(route, RouteError):
        return _route_error(route, state)
    adapter = state.adapters[route.provider.key]
    headers = request.headers
    identity = state.identifier.identify(
        presented_key(headers.get("x-api-key"), headers.get("authorization")),
        headers.get("user-agent"),
        headers.get("originator"),
        headers.get("x-claude-code-session-id") or headers.get("session-id"),
    )
    ex = Exchange(state.next_request_id(), route.provider.key, adapter.endpoint(request.method, route.path), identity)
    upstream: list[aiohttp.ClientResponse] = []
    try:
        return await _exchange(request, state, route, adapter, ex, upstream)
    except asyncio.CancelledError:
        if state.shutting_down:
            ex.fail(Status.PROXY_ERROR, ex.http_status, "shutdown")
        else:
            ex.fail(Status.CLIENT_ABORTED, ex.http_status, "client_aborted")
        raise
    except Exception as exc:
        log.error("internal error on %s (%s):\n%s", ex.request_id, type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)))
        ex.fail(Status.PROXY_ERROR, 500, "internal_error")
        if upstream:
            raise
        return _deny(ex, adapter, 500, "internal_error", f"Conduit failed on this request ({ex.request_id}); see its log")
    finally:
        state.writer.submit(ex.to_event(state.prices))
        for response in upstream:
            response.release()


async def _exchange(
    request: web.Request,
    state: ProxyState,
    route: Route,
    adapter: Adapter,
    ex: Exchange,
    upstream: list[aiohttp.ClientResponse],
) -> web.StreamResponse:
    """Read the body, send it upstream and relay the answer; Conduit's own failures become error responses."""
    limit = state.config.max_request_bytes
    if (request.content_length or 0) > limit:
        return _too_large(ex, adapter, limit)
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _too_large(ex, adapter, limit)
    ex.request_bytes = len(body)
    if body:
        ex.facts = adapter.request_facts(body)
    provider = route.provider
    try:
        response = await state.http().request(
            request.method,
            route.target,
            headers=upstream_request_headers(request.headers),
            data=body or None,
            skip_auto_headers=absent_auto_headers(request.headers),
            timeout=state.timeouts[provider.key],
            allow_redirects=False,
        )
    except asyncio.TimeoutError:
        return _deny(ex, adapter, 504, "upstream_timeout",
                     f"the upstream for provider {provider.key!r} ({provider.upstream}) did not answer in time "
                     f"(connect {provider.connect_timeout_s:g}s, read {provider.read_timeout_s:g}s)")
    except aiohttp.ClientError as exc:
        return _deny(ex, adapter, 502, "upstream_unreachable",
                     f"Conduit could not reach the upstream for provider {provider.key!r} ({provider.upstream}): "
                     f"{type(exc).__name__}")
    upstream.append(response)
    return await relay(request, response, adapter, ex)


def _too_large(ex: Exchange, adapter: Adapter, limit: int) -> web.Response:
    """A 413 for a request body over `max_request_bytes`."""
    return _deny(ex, adapter, 413, "request_too_large",
                 f"request body is larger than Conduit's limit of {limit} bytes (max_request_bytes in conduit.toml)")


def _deny(ex: Exchange, adapter: Adapter, http_status: int, code: str, message: str) -> web.Response:
    """Conduit's own error answer, in the provider's error shape, recorded on the exchange."""
    ex.fail(Status.PROXY_ERROR, http_status, code)
    return web.Response(
        status=http_status,
        body=adapter.error_body(http_status, code, message),
        content_type="application/json",
        headers={"x-conduit-request-id": ex.request_id, "x-conduit-error": code},
    )


def _route_error(error: RouteError, state: ProxyState) -> web.Response:
    """An error for a request with no provider; its body reads as an error to both SDK families."""
    body = {
        "type": "error",
        "error": {"type": error.code, "code": error.code, "message": error.message, "param": None},
        "providers": state.router.provider_keys,
    }
    return web.Response(status=error.status, body=orjson.dumps(body), content_type="application/json",
                        headers={"x-conduit-error": error.code})
