"""The Responses API over a WebSocket (Codex's WebSocket mode, `GET /v1/responses` with `Upgrade: websocket`).

Each client socket gets its own upstream socket (the conversation's state lives on it), and every message
crosses unchanged both ways. Each `response.create` the client sends is one request: checked like an HTTP
request (virtual key's limits, allow-lists, budgets, rate limits, governance) before it goes upstream, metered
from the events that answer it, and recorded as one usage event when its final event arrives. A refused turn is
answered on the socket with an `error` event in OpenAI's shape and never forwarded; the socket stays open.
"""

from __future__ import annotations

import asyncio
import logging
import traceback

import aiohttp
from aiohttp import WSMsgType, web

from conduit.checks.base import Deny
from conduit.core.identity import Identifier
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey
from conduit.providers.base import Adapter
from conduit.providers.openai import RESPONSES
from conduit.proxy.admission import authenticate, deny, inject_credential, refuse
from conduit.proxy.exchange import Exchange
from conduit.proxy.headers import upstream_request_headers
from conduit.proxy.routing import Route
from conduit.proxy.socket_turns import Turns, message_type
from conduit.proxy.state import ProxyState

_HANDSHAKE_HEADERS = ("sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
                      "sec-websocket-protocol")
log = logging.getLogger("conduit.proxy")


def is_websocket(request: web.Request) -> bool:
    """Whether the client asks to upgrade to a WebSocket."""
    return request.headers.get("upgrade", "").lower() == "websocket"


async def relay_socket(
    request: web.Request, state: ProxyState, route: Route, adapter: Adapter, ex: Exchange,
    presented: str | None, agent: tuple[str | None, str | None, str | None],
) -> web.StreamResponse:
    """Authenticate, open the upstream socket, then relay until either side closes. `ex` stands for the
    handshake: it is recorded only when the socket is refused."""
    key: VirtualKey | None = None
    if route.provider.auth == "virtual":
        found = authenticate(request, state, presented)
        if isinstance(found, Deny):
            return _refused(state, ex, refuse(ex, adapter, found))
        key = found
        ex.identity = Identifier.virtual(key, *agent)
    turn_endpoint = adapter.endpoint("POST", route.path)  # what each response.create on the socket is
    if not route.path.rstrip("/").endswith("/responses") or turn_endpoint.api != RESPONSES:
        return _refused(state, ex, deny(ex, adapter, 501, "websocket_unsupported",
                                        "Conduit relays WebSockets only for OpenAI's Responses API "
                                        "(GET /v1/responses); use HTTP for this endpoint"))
    headers = upstream_request_headers(request.headers)
    for name in _HANDSHAKE_HEADERS:
        headers.popall(name, None)
    if key is not None:
        denied = inject_credential(state, route, headers)
        if denied is not None:
            return _refused(state, ex, refuse(ex, adapter, denied))
    protocols = [p.strip() for p in request.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    provider = route.provider
    try:
        upstream = await asyncio.wait_for(
            state.http().ws_connect(route.target, headers=headers, protocols=protocols, max_msg_size=0),
            timeout=provider.connect_timeout_s + provider.read_timeout_s,
        )
    except aiohttp.WSServerHandshakeError as exc:
        ex.fail(Status.UPSTREAM_ERROR, exc.status, "websocket_refused")
        message = f"the upstream for provider {provider.key!r} refused the WebSocket (HTTP {exc.status})"
        response = web.Response(status=exc.status, body=adapter.error_body(exc.status, "websocket_refused", message),
                                content_type="application/json")
        return _refused(state, ex, response)
    except asyncio.TimeoutError:
        return _refused(state, ex, deny(ex, adapter, 504, "upstream_timeout",
                                        f"the upstream for provider {provider.key!r} did not answer in time"))
    except aiohttp.ClientError as exc:
        return _refused(state, ex, deny(ex, adapter, 502, "upstream_unreachable",
                                        f"Conduit could not reach the upstream for provider {provider.key!r} "
                                        f"({provider.upstream}): {type(exc).__name__}"))
    chosen = (upstream.protocol,) if upstream.protocol else ()  # the client gets the upstream's choice
    client = web.WebSocketResponse(protocols=chosen, max_msg_size=state.config.max_request_bytes)
    relay = _Relay(client, upstream, Turns(state, route.provider.key, turn_endpoint, adapter, ex.identity, key))
    state.websockets.add(relay.going_away)
    try:
        await client.prepare(request)
        await relay.run()
    except Exception as exc:  # the socket is closed; turns in flight are recorded as Conduit's failure
        log.error("internal error on a WebSocket (%s):\n%s", type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)), extra={"provider": provider.key})
        relay.turns.end(Status.PROXY_ERROR, "internal_error")
        await client.close(code=aiohttp.WSCloseCode.INTERNAL_ERROR)
    finally:  # turns still waiting for an answer: the client left (or the proxy is stopping)
        state.websockets.discard(relay.going_away)
        relay.turns.end(*((Status.PROXY_ERROR, "shutdown") if state.shutting_down
                          else (Status.CLIENT_ABORTED, "client_aborted")))
        await upstream.close()
    return client


def _refused(state: ProxyState, ex: Exchange, response: web.Response) -> web.Response:
    """Record the refused handshake and answer it."""
    state.record(ex.close(state.prices))
    return response


class _Relay:
    """One client socket and its upstream socket, relaying until either side closes or the proxy stops."""

    def __init__(self, client: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse,
                 turns: Turns) -> None:
        self.client, self.upstream, self.turns = client, upstream, turns
        self._stopping = False

    async def run(self) -> None:
        """Pass messages both ways until one side closes, then close the other with the same code."""
        outbound = asyncio.ensure_future(self._client_to_upstream())
        inbound = asyncio.ensure_future(self._upstream_to_client())
        try:
            done, _ = await asyncio.wait((outbound, inbound), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (outbound, inbound):
                task.cancel()
            await asyncio.gather(outbound, inbound, return_exceptions=True)
        for task in done:  # a closed peer ends a side quietly; anything else is Conduit's own failure
            failure = task.exception()
            if failure is not None and not isinstance(failure, ConnectionError):
                raise failure
        if inbound in done:
            self.turns.end(Status.PROXY_ERROR, "upstream_disconnected")
            await self.client.close(code=self.upstream.close_code or aiohttp.WSCloseCode.OK)
        else:
            self.turns.end(Status.CLIENT_ABORTED, "client_aborted")
            await self.upstream.close(code=self.client.close_code or aiohttp.WSCloseCode.OK)

    async def going_away(self) -> None:
        """The proxy is stopping: close the client's socket now, or as soon as its turn in flight is answered."""
        self._stopping = True
        if not self.turns.busy:
            await self._close_for_stop()

    async def _close_for_stop(self) -> None:
        await self.client.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"Conduit is stopping")

    async def _client_to_upstream(self) -> None:
        client, upstream = self.client, self.upstream
        async for message in client:
            if message.type is WSMsgType.TEXT:
                text: str = message.data
                data = text.encode()
                if message_type(data) == b"response.create":
                    refusal = self.turns.start(data)
                    if refusal is not None:
                        await client.send_str(refusal)
                        continue
                await upstream.send_str(text)
            elif message.type is WSMsgType.BINARY:
                await upstream.send_bytes(message.data)

    async def _upstream_to_client(self) -> None:
        client = self.client
        async for message in self.upstream:
            if message.type is WSMsgType.TEXT:
                self.turns.answer(message.data.encode())
                await client.send_str(message.data)
            elif message.type is WSMsgType.BINARY:
                await client.send_bytes(message.data)
            if self._stopping and not self.turns.busy:
                await self._close_for_stop()
