"""The requests of one Responses WebSocket: each `response.create` is a turn, checked before it is forwarded,
metered from the events that answer it and recorded as one usage event at its final event (or when the socket
closes first). The oldest open turn owns the events that arrive, as the API answers one turn at a time.
"""

from __future__ import annotations

import re
from collections import deque

import orjson

from conduit.core.identity import Identity
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey
from conduit.providers.base import Adapter, Endpoint
from conduit.proxy.admission import check_body
from conduit.proxy.exchange import Exchange
from conduit.proxy.meter import Meter
from conduit.proxy.state import ProxyState

_TYPE = re.compile(rb'^\{\s*"type"\s*:\s*"([^"\\]{1,100})"')
_FINAL = frozenset({b"response.completed", b"response.incomplete", b"response.failed"})


def message_type(data: bytes) -> bytes | None:
    """A message's `type` (the first key of every Responses event and request), else None."""
    match = _TYPE.match(data)
    if match is not None:
        return match.group(1)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    kind = value.get("type") if isinstance(value, dict) else None
    return kind.encode() if isinstance(kind, str) else None


class Turns:
    """A socket's requests in flight, oldest first; each becomes one usage event."""

    def __init__(self, state: ProxyState, provider: str, endpoint: Endpoint, adapter: Adapter, identity: Identity,
                 key: VirtualKey | None) -> None:
        self._state, self._provider, self._endpoint, self._adapter = state, provider, endpoint, adapter
        self._identity, self._key = identity, key
        self._open: deque[Exchange] = deque()

    @property
    def busy(self) -> bool:
        """Whether a turn is waiting for its answer."""
        return bool(self._open)

    def start(self, body: bytes) -> str | None:
        """Check a `response.create` message; None to forward it, or the `error` event that refuses it."""
        state, adapter = self._state, self._adapter
        ex = Exchange(state.next_request_id(), self._provider, self._endpoint, self._identity)
        ex.streamed = True
        denied = check_body(state, adapter, ex, self._key, body)
        if denied is not None:
            ex.fail(denied.status, denied.http_status, denied.code)
            state.record(ex.close(state.prices))
            error = adapter.error_body(denied.http_status, denied.code, denied.message)
            return (b'{"type":"error","status":' + str(denied.http_status).encode() + b"," + error[1:]).decode()
        ex.status, ex.http_status = Status.SUCCESS, 200
        ex.meter = Meter(adapter.usage_parser(ex.endpoint, ex.facts, True), None)
        self._open.append(ex)
        return None

    def answer(self, data: bytes) -> None:
        """Meter an upstream message against the oldest open turn; record the turn at its final event."""
        if not self._open:
            return
        ex = self._open[0]
        if ex.ttfb_ms is None:
            ex.ttfb_ms = ex.elapsed_ms()
        kind = message_type(data) or b"message"
        assert ex.meter is not None
        ex.meter.feed_message(kind, data)
        if kind == b"error":
            status = _error_status(data)
            ex.fail(Status.UPSTREAM_ERROR, status, "upstream_error")
        elif kind not in _FINAL:
            return
        self._open.popleft()
        self._state.record(ex.close(self._state.prices))

    def end(self, status: Status, code: str) -> None:
        """The socket closed: record every turn still waiting for its answer as ended by `status`."""
        while self._open:
            ex = self._open.popleft()
            ex.fail(status, ex.http_status, code)
            self._state.record(ex.close(self._state.prices))


def _error_status(data: bytes) -> int | None:
    """The HTTP status an upstream `error` event carries, if any."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    status = value.get("status") if isinstance(value, dict) else None
    return status if isinstance(status, int) and not isinstance(status, bool) else None
