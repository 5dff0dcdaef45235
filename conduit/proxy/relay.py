"""Relays an upstream response to the client: status and headers unchanged, then the body chunk by chunk as it
arrives, each chunk also handed to the meter. A cut on either side is recorded, never papered over.
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from conduit.core.status import Status
from conduit.providers.base import Adapter
from conduit.proxy.exchange import Exchange
from conduit.proxy.headers import client_response_headers
from conduit.proxy.meter import Meter


async def relay(
    request: web.Request, upstream: aiohttp.ClientResponse, adapter: Adapter, ex: Exchange
) -> web.StreamResponse:
    """Stream `upstream` back to the client and meter it."""
    status = upstream.status
    ex.http_status = status
    ex.status = Status.SUCCESS if status < 400 else Status.UPSTREAM_ERROR
    headers = upstream.headers
    ex.streamed = headers.get("content-type", "").startswith("text/event-stream")
    parser = None
    if ex.endpoint.generating and 200 <= status < 300:
        parser = adapter.usage_parser(ex.endpoint, ex.facts, ex.streamed)
    meter = ex.meter = Meter(parser, headers.get("content-encoding"))
    response = web.StreamResponse(status=status, reason=upstream.reason, headers=client_response_headers(headers))
    await response.prepare(request)
    content = upstream.content
    while True:
        try:
            chunk = await content.readany()
        except asyncio.TimeoutError:
            return _cut(request, response, ex, "upstream_timeout")
        except aiohttp.ClientError:
            return _cut(request, response, ex, "upstream_disconnected")
        if not chunk:
            break
        if ex.ttfb_ms is None:
            ex.ttfb_ms = ex.elapsed_ms()
        try:
            await response.write(chunk)
        except ConnectionError:
            ex.fail(Status.CLIENT_ABORTED, status, "client_aborted")
            return response
        meter.feed(chunk)
    await response.write_eof()
    return response


def _cut(request: web.Request, response: web.StreamResponse, ex: Exchange, code: str) -> web.StreamResponse:
    """The upstream broke off mid-body: close the client connection so it sees a truncated response too."""
    ex.fail(Status.PROXY_ERROR, ex.http_status, code)
    if request.transport is not None:
        request.transport.close()
    return response
