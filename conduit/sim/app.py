"""The simulated provider as an aiohttp application: Anthropic and OpenAI endpoints on one port.

Each request is recorded, then refused (bad knob, missing key, forced or drawn error), or answered by a pure
endpoint function whose JSON or SSE events are sent here. Imports aiohttp and the sim's modules.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from conduit.sim import (
    anthropic,
    models,
    openai_chat,
    openai_embeddings,
    openai_responses,
)
from conduit.sim.encoding import encode_body
from conduit.sim.errors import ANTHROPIC, OPENAI, error_body
from conduit.sim.knobs import KnobError, Knobs, SimDefaults, read_knobs
from conduit.sim.play import play
from conduit.sim.responses_socket import serve_responses_socket
from conduit.sim.state import SeenRequest, SimState
from conduit.sim.turn import Answer, BadRequest, Request, body_key, read_request

__all__ = ["SIM_STATE", "SeenRequest", "SimDefaults", "SimState", "build_sim_app"]

SIM_STATE: web.AppKey[SimState] = web.AppKey("sim_state", SimState)
MAX_BODY_BYTES = 64 * 1024 * 1024
_DRAWN_ERRORS = {ANTHROPIC: (529, 429, 500), OPENAI: (429, 500, 503)}
_MISSING_KEY = {
    ANTHROPIC: "x-api-key header is required",
    OPENAI: "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
}
_ID_HEADER = {ANTHROPIC: "request-id", OPENAI: "x-request-id"}
_JSON = "application/json"
_EVENT_STREAM = "text/event-stream; charset=utf-8"
Answerer = Callable[[Request, int], Answer]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Admitted:
    """A request that passed the knob, key and error checks: its body and knobs."""

    body: bytes
    knobs: Knobs


def build_sim_app(defaults: SimDefaults | None = None) -> web.Application:
    """A fresh simulated-provider application; `app[SIM_STATE]` is its state."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SIM_STATE] = SimState(defaults or SimDefaults())
    app.router.add_post("/v1/messages", _generating(ANTHROPIC, anthropic.messages))
    app.router.add_post("/v1/messages/count_tokens", _plain(ANTHROPIC, lambda req, _: anthropic.count_tokens(req)))
    app.router.add_post("/v1/chat/completions", _generating(OPENAI, openai_chat.chat_completions))
    app.router.add_post("/v1/responses", _generating(OPENAI, openai_responses.responses))
    app.router.add_get("/v1/responses", _responses_socket)
    app.router.add_post("/v1/embeddings", _plain(OPENAI, lambda req, _: openai_embeddings.embeddings(req)))
    app.router.add_get("/v1/models", _list_models, allow_head=False)
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app


def _generating(provider: str, answer: Answerer) -> Handler:
    return _endpoint(provider, answer, generating=True)


def _plain(provider: str, answer: Answerer) -> Handler:
    return _endpoint(provider, answer, generating=False)


def _endpoint(provider: str, answer: Answerer, generating: bool) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        admitted = await _admit(request, provider, generating)
        if not isinstance(admitted, Admitted):
            return admitted
        try:
            decoded = read_request(admitted.body)
            result = answer(decoded, admitted.knobs.output_tokens)
        except BadRequest as error:
            return _error(provider, 400, body_key(admitted.body), admitted.knobs, str(error))
        headers = _headers(provider, decoded.key, result.stream)
        if result.stream:
            return await play(request, headers, result.events, admitted.knobs, request.app[SIM_STATE])
        return _body(200, headers, result.body, admitted.knobs)

    return handle


async def _list_models(request: web.Request) -> web.StreamResponse:
    provider = _provider_of(request)
    admitted = await _admit(request, provider, generating=False)
    if not isinstance(admitted, Admitted):
        return admitted
    body = models.ANTHROPIC_MODELS_BODY if provider == ANTHROPIC else models.OPENAI_MODELS_BODY
    return _body(200, _headers(provider, body_key(admitted.body), False), body, admitted.knobs)


async def _responses_socket(request: web.Request) -> web.StreamResponse:
    """Codex's WebSocket mode: a key-checked upgrade, then one streamed answer per `response.create`."""
    if request.headers.get("upgrade", "").lower() != "websocket":
        return await _not_found(request)
    admitted = await _admit(request, OPENAI, generating=False)
    if not isinstance(admitted, Admitted):
        return admitted
    return await serve_responses_socket(request, admitted.knobs, request.app[SIM_STATE])


async def _not_found(request: web.Request) -> web.StreamResponse:
    state = request.app[SIM_STATE]
    provider = _provider_of(request)
    body = await _record(request, state)
    message = f"Invalid URL ({request.method} {request.path})" if provider == OPENAI else f"Not found: {request.path}"
    return _error(provider, 404, body_key(body), state.base_knobs, message)


async def _admit(request: web.Request, provider: str, generating: bool) -> Admitted | web.Response:
    """Record the request, apply its latency, and refuse it if a knob, its key or a drawn error says so."""
    state = request.app[SIM_STATE]
    body = await _record(request, state)
    try:
        knobs = read_knobs(request.headers, state.base_knobs)
    except KnobError as error:
        return _error(provider, 400, body_key(body), state.base_knobs, str(error))
    if knobs.latency_ms:
        await asyncio.sleep(knobs.latency_ms / 1000)
    if not _has_key(request, provider):
        return _error(provider, 401, body_key(body), knobs, _MISSING_KEY[provider])
    status = knobs.status
    if status is None and generating and state.draw_error():
        status = state.rng.choice(_DRAWN_ERRORS[provider])
    if status is not None and status >= 300:
        return _error(provider, status, body_key(body), knobs)
    return Admitted(body, knobs)


async def _record(request: web.Request, state: SimState) -> bytes:
    body = await request.read()
    headers = {name.lower(): value for name, value in request.headers.items()}
    state.record(SeenRequest(request.method, request.raw_path, headers, body))
    return body


def _provider_of(request: web.Request) -> str:
    if request.path.startswith("/v1/messages") or "anthropic-version" in request.headers:
        return ANTHROPIC
    return OPENAI


def _has_key(request: web.Request, provider: str) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return True
    return provider == ANTHROPIC and bool(request.headers.get("x-api-key", "").strip())


def _headers(provider: str, key: str, stream: bool) -> dict[str, str]:
    headers = {"content-type": _EVENT_STREAM if stream else _JSON, _ID_HEADER[provider]: "req_01" + key[-24:]}
    if stream:
        headers["cache-control"] = "no-cache"
    return headers


def _error(provider: str, status: int, key: str, knobs: Knobs, message: str | None = None) -> web.Response:
    headers = _headers(provider, key, False)
    if status == 429:
        headers["retry-after"] = "1"
    return _body(status, headers, error_body(provider, status, headers[_ID_HEADER[provider]], message), knobs)


def _body(status: int, headers: dict[str, str], body: bytes, knobs: Knobs) -> web.Response:
    if knobs.encoding:
        headers["content-encoding"] = knobs.encoding
        body = encode_body(knobs.encoding, body)
    return web.Response(status=status, body=body, headers=headers)
