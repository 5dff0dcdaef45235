"""An incremental Server-Sent-Events scanner for metering a tee of a streamed response.

It is fed byte chunks split anywhere, tracks the current `event:` name and hands the caller only the `data:`
lines it asked for; every other line is skipped without being decoded. Imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

MAX_LINE_BYTES = 16 * 1024 * 1024

DataHandler = Callable[[bytes, bytes], None]

_DATA = b"data:"
_EVENT = b"event:"
_LEADING_TYPE = re.compile(rb'\{\s*"type"\s*:\s*"([^"\\]{1,100})"')


class SseScanner:
    """Splits an event stream into lines and calls `on_data(event, data)` for the wanted `data:` lines.

    `events` names the wanted events (None wants every data line). A data line that arrives without an
    `event:` line is named by the `"type"` its JSON starts with, so gateways that omit event lines still work.
    Memory is bounded by the longest wanted line, and by `max_line_bytes` whatever the upstream sends.
    """

    __slots__ = ("_on_data", "_events", "_max_line", "_event", "_pending", "_pending_len", "_skip")

    def __init__(
        self,
        on_data: DataHandler,
        events: Collection[bytes] | None = None,
        max_line_bytes: int = MAX_LINE_BYTES,
    ) -> None:
        self._on_data = on_data
        self._events = frozenset(events) if events is not None else None
        self._max_line = max_line_bytes
        self._event = b""
        self._pending: list[bytes] = []
        self._pending_len = 0
        self._skip = False

    def feed(self, chunk: bytes) -> None:
        """Scan the next piece of the stream; a line split across chunks is joined before it is looked at."""
        start = 0
        if self._pending or self._skip:
            newline = chunk.find(b"\n")
            if newline < 0:
                self._hold(chunk)
                return
            if self._skip:
                self._skip = False
            else:
                self._pending.append(chunk[:newline])
                line = b"".join(self._pending)
                self._pending.clear()
                self._pending_len = 0
                self._line(line, 0, len(line))
            start = newline + 1
        find = chunk.find
        while True:
            newline = find(b"\n", start)
            if newline < 0:
                break
            self._line(chunk, start, newline)
            start = newline + 1
        if start < len(chunk):
            self._hold(chunk[start:] if start else chunk)

    def _hold(self, piece: bytes) -> None:
        """Keep the unfinished tail of a line, unless it is unwanted or too long to be worth keeping."""
        if self._skip:
            return
        if not self._pending and self._unwanted(piece):
            self._skip = True
            return
        self._pending_len += len(piece)
        if self._pending_len > self._max_line + 1:  # + 1 for the `\r` of a CRLF line
            self._pending.clear()
            self._pending_len = 0
            self._skip = True
            return
        self._pending.append(piece)

    def _unwanted(self, head: bytes) -> bool:
        """True when the start of a line already shows it is a data line of an event nobody asked for."""
        if self._events is None:
            return False
        if head.startswith(_EVENT) or head.startswith(b":"):
            return False
        if head.startswith(_DATA):
            return bool(self._event) and self._event not in self._events
        return len(head) >= len(_EVENT)

    def _line(self, buf: bytes, start: int, end: int) -> None:
        """Act on one complete line `buf[start:end]` (its `\\n` excluded)."""
        if end > start and buf[end - 1] == 13:
            end -= 1
        if end - start > self._max_line:
            return
        if end == start:
            self._event = b""
        elif buf.startswith(_DATA, start):
            self._data(buf, start + len(_DATA), end)
        elif buf.startswith(_EVENT, start):
            self._event = _field_value(buf, start + len(_EVENT), end)

    def _data(self, buf: bytes, start: int, end: int) -> None:
        """Hand a data line's payload to the caller if its event is wanted."""
        events = self._events
        if events is None:
            self._on_data(self._event, _field_value(buf, start, end))
            return
        event = self._event
        if event:
            if event in events:
                self._on_data(event, _field_value(buf, start, end))
            return
        payload = _field_value(buf, start, end)
        match = _LEADING_TYPE.match(payload)
        if match is not None and match.group(1) in events:
            self._on_data(match.group(1), payload)


def _field_value(buf: bytes, start: int, end: int) -> bytes:
    """The value of an SSE field: what follows the colon, minus one optional leading space."""
    if start < end and buf[start] == 32:
        start += 1
    return buf[start:end]
