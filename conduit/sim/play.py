"""Plays a list of SSE events to the client one chunk at a time, applying the stream knobs: chunk delay,
content-encoding, cut, hang and hold. Notices (and counts in the state) a downstream that goes away mid-stream.

The sim's only streaming aiohttp code; imports aiohttp, the standard library and sim values.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from aiohttp import web

from conduit.sim.encoding import StreamEncoder
from conduit.sim.knobs import Knobs
from conduit.sim.state import SimState

GONE_POLL_S = 0.02


async def play(
    request: web.Request, headers: Mapping[str, str], events: Sequence[bytes], knobs: Knobs, state: SimState
) -> web.StreamResponse:
    """Answer 200 with `events` as a chunked event stream, each event its own chunk (gzip-flushed if asked)."""
    response = web.StreamResponse(status=200, headers=headers)
    encoder = StreamEncoder(knobs.encoding) if knobs.encoding else None
    if encoder is not None:
        response.headers["content-encoding"] = encoder.encoding
    try:
        await response.prepare(request)
        if await _send(request, response, events, knobs, state, encoder):
            await response.write_eof(encoder.end() if encoder is not None else b"")
    except ConnectionError:
        state.mark_aborted()
    except asyncio.CancelledError:
        state.mark_aborted()
        raise
    return response


async def _send(
    request: web.Request,
    response: web.StreamResponse,
    events: Sequence[bytes],
    knobs: Knobs,
    state: SimState,
    encoder: StreamEncoder | None,
) -> bool:
    """Write the events; False when a fault ended the stream early (or the client left during a hold)."""
    delay_s = knobs.chunk_delay_ms / 1000
    for index in range(len(events) + 1):
        if index == knobs.cut_after:
            if request.transport is not None:
                request.transport.close()
            return False
        if index == knobs.hang_after:
            await _until(request, asyncio.Event())
            state.mark_aborted()
            return False
        if index == knobs.hold_after:
            state.holding.set()
            if not await _until(request, state.release):
                state.mark_aborted()
                return False
        if index == len(events):
            return True
        if index and delay_s:
            await asyncio.sleep(delay_s)
        event = events[index]
        if encoder is not None:
            event = encoder.chunk(event)
        await response.write(event)
    return True


async def _until(request: web.Request, event: asyncio.Event) -> bool:
    """Wait for `event`; False as soon as the client's connection is gone instead."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        while not waiter.done():
            transport = request.transport
            if transport is None or transport.is_closing():
                return False
            await asyncio.wait((waiter,), timeout=GONE_POLL_S)
        return True
    finally:
        waiter.cancel()
