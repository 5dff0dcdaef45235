"""The Responses API over a WebSocket, as the simulated provider speaks it (Codex's WebSocket mode): after the
upgrade on `GET /v1/responses`, each `response.create` message is answered with the same events a streamed
`POST /v1/responses` sends, one text message per event; a message that is not JSON gets an `error` event.
The handshake's knobs apply to every turn (`x-sim-chunk-delay-ms`; `x-sim-fault: cut-after:N` closes the socket
with 1011 before the Nth event).

Imports aiohttp, orjson and sim values only.
"""

from __future__ import annotations

import asyncio

import orjson
from aiohttp import WSCloseCode, WSMsgType, web

from conduit.sim import openai_responses
from conduit.sim.knobs import Knobs
from conduit.sim.state import SeenRequest, SimState
from conduit.sim.turn import BadRequest, Request, read_request


async def serve_responses_socket(request: web.Request, knobs: Knobs, state: SimState) -> web.WebSocketResponse:
    """Upgrade and answer `response.create` messages until the client closes."""
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    try:
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                await _answer(socket, message.data.encode(), knobs, state, request.raw_path)
    finally:
        state.socket_closed.set()
    return socket


async def _answer(socket: web.WebSocketResponse, body: bytes, knobs: Knobs, state: SimState, path: str) -> None:
    """Answer one message: the events of a streamed response, or an `error` event."""
    state.record(SeenRequest("WEBSOCKET", path, {}, body))
    try:
        decoded = read_request(body)
    except BadRequest as error:
        await socket.send_str(_error_event(400, "invalid_request_error", str(error)))
        return
    if decoded.doc.get("type") != "response.create":
        await socket.send_str(_error_event(400, "invalid_request_error", "Expected a response.create message."))
        return
    streamed = Request({**decoded.doc, "stream": True}, decoded.key, decoded.cache_marked)
    for index, event in enumerate(openai_responses.responses(streamed, knobs.output_tokens).events):
        if index == knobs.cut_after:
            await socket.close(code=WSCloseCode.INTERNAL_ERROR)
            return
        if knobs.chunk_delay_ms:
            await asyncio.sleep(knobs.chunk_delay_ms / 1000)
        await socket.send_str(event.split(b"\ndata: ", 1)[1].rstrip(b"\n").decode())


def _error_event(status: int, code: str, message: str) -> str:
    return orjson.dumps({"type": "error", "status": status,
                         "error": {"type": code, "code": code, "message": message, "param": None}}).decode()
