"""The request handler: route, identify (passthrough fingerprint or virtual key), read the body, run the
access checks, forward byte for byte (swapping in the sealed credential in virtual mode), relay the response
chunk by chunk while the meter reads a tee of it, and record one usage event — whatever happens.
"""

from __future__ import annotations

import asyncio
import logging
import traceback

import aiohttp
import orjson
from aiohttp import web
from multidict import CIMultiDict

from conduit.checks.base import Deny
from conduit.core.identity import Identifier, presented_key
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey
from conduit.providers.base import Adapter
from conduit.proxy.admission import authenticate, check_body, deny, inject_credential, refuse
from conduit.proxy.exchange import Exchange
from conduit.proxy.headers import absent_auto_headers, upstream_request_headers
from conduit.proxy.relay import relay
from conduit.proxy.routing import Route, RouteError
from conduit.proxy.state import STATE, ProxyState
from conduit.proxy.websocket import is_websocket, relay_socket

log = logging.getLogger("conduit.proxy")


async def handle(request: web.Request) -> web.StreamResponse:
    """Proxy one request to its provider and record its usage event."""
    state = request.app[STATE]
    route = state.router.resolve(request.raw_path)
    if isinstance(route, RouteError):
        return _route_error(route, state)
    adapter = state.adapters[route.provider.key]
    headers = request.headers
    presented = presented_key(headers.get("x-api-key"), headers.get("authorization"))
    agent = (headers.get("user-agent"), headers.get("originator"),
             headers.get("x-claude-code-session-id") or headers.get("session-id"))
    virtual = route.provider.auth == "virtual"
    identity = state.identifier.identify(None if virtual else presented, *agent)
    ex = Exchange(state.next_request_id(), route.provider.key, adapter.endpoint(request.method, route.path), identity)
    if is_websocket(request):
        return await relay_socket(request, state, route, adapter, ex, presented, agent)
    upstream: list[aiohttp.ClientResponse] = []
    try:
        key = None
        if virtual:
            found = authenticate(request, state, presented)
            if isinstance(found, Deny):
                return refuse(ex, adapter, found)
            key = found
            ex.identity = Identifier.virtual(key, *agent)
        return await _exchange(request, state, route, adapter, ex, key, upstream)
    except asyncio.CancelledError:
        if state.shutting_down:
            ex.fail(Status.PROXY_ERROR, ex.http_status, "shutdown")
        else:
            ex.fail(Status.CLIENT_ABORTED, ex.http_status, "client_aborted")
        raise
    except Exception as exc:
        log.error("internal error on %s (%s):\n%s", ex.request_id, type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)),
                  extra={"request_id": ex.request_id, "provider": ex.provider})
        ex.fail(Status.PROXY_ERROR, 500, "internal_error")
        if upstream:
            raise
        return deny(ex, adapter, 500, "internal_error", f"Conduit failed on this request ({ex.request_id}); see its log")
    finally:
        state.record(ex.close(state.prices))
        for response in upstream:
            response.release()


async def _exchange(
    request: web.Request,
    state: ProxyState,
    route: Route,
    adapter: Adapter,
    ex: Exchange,
    key: VirtualKey | None,
    upstream: list[aiohttp.ClientResponse],
) -> web.StreamResponse:
    """Read the body, check it, send it upstream and relay the answer; denials become error responses."""
    limit = state.config.max_request_bytes
    if (request.content_length or 0) > limit:
        return _too_large(ex, adapter, limit)
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _too_large(ex, adapter, limit)
    denied = check_body(state, adapter, ex, key, body)
    if denied is not None:
        return refuse(ex, adapter, denied)
    out_headers = upstream_request_headers(request.headers)
    if key is not None:
        denied = inject_credential(state, route, out_headers)
        if denied is not None:
            return refuse(ex, adapter, denied)
    return await _forward(request, state, route, adapter, ex, body, out_headers, upstream)


async def _forward(
    request: web.Request,
    state: ProxyState,
    route: Route,
    adapter: Adapter,
    ex: Exchange,
    body: bytes,
    headers: CIMultiDict[str],
    upstream: list[aiohttp.ClientResponse],
) -> web.StreamResponse:
    """Send the request upstream; an unreachable or silent upstream becomes a 502/504."""
    provider = route.provider
    try:
        response = await state.http().request(
            request.method,
            route.target,
            headers=headers,
            data=body or None,
            skip_auto_headers=absent_auto_headers(request.headers),
            timeout=state.timeouts[provider.key],
            allow_redirects=False,
        )
    except asyncio.TimeoutError:
        return deny(ex, adapter, 504, "upstream_timeout",
                     f"the upstream for provider {provider.key!r} ({provider.upstream}) did not answer in time "
                     f"(connect {provider.connect_timeout_s:g}s, read {provider.read_timeout_s:g}s)")
    except aiohttp.ClientError as exc:
        return deny(ex, adapter, 502, "upstream_unreachable",
                     f"Conduit could not reach the upstream for provider {provider.key!r} ({provider.upstream}): "
                     f"{type(exc).__name__}")
    upstream.append(response)
    return await relay(request, response, adapter, ex)


def _too_large(ex: Exchange, adapter: Adapter, limit: int) -> web.Response:
    """A 413 for a request body over `max_request_bytes`."""
    return deny(ex, adapter, 413, "request_too_large",
                 f"request body is larger than Conduit's limit of {limit} bytes (max_request_bytes in conduit.toml)")


def _route_error(error: RouteError, state: ProxyState) -> web.Response:
    """An error for a request with no provider; its body reads as an error to both SDK families."""
    body = {
        "type": "error",
        "error": {"type": error.code, "code": error.code, "message": error.message, "param": None},
        "providers": state.router.provider_keys,
    }
    return web.Response(status=error.status, body=orjson.dumps(body), content_type="application/json",
                        headers={"x-conduit-error": error.code})
