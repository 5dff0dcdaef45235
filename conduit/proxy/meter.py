"""The tee: reads a copy of each response chunk as it passes, undoes content-encoding, and feeds the
provider's usage parser. A failure in here never disturbs forwarding; the event is then marked estimated.

No aiohttp: bytes in, usage out.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable

import brotli

from conduit.core.estimate import estimate_tokens
from conduit.core.usage import Metered, RequestFacts, Usage
from conduit.providers.base import UsageParser

log = logging.getLogger("conduit.meter")
Decoder = Callable[[bytes], bytes]


def _decoder(content_encoding: str | None) -> Decoder | None:
    """An incremental decoder for a `Content-Encoding`, identity as None; raises ValueError if unknown."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(wbits=47 if encoding != "deflate" else 15).decompress
    if encoding == "br":
        return brotli.Decompressor().process  # type: ignore[no-any-return]
    if encoding == "zstd":
        import zstandard  # only when a response needs it (rare), to keep the proxy's memory down

        return zstandard.ZstdDecompressor().decompressobj(read_across_frames=True).decompress
    raise ValueError(encoding)


class Meter:
    """Counts response bytes and, where it can, tokens; call `feed` per chunk and `result` once at the end."""

    __slots__ = ("_parser", "_decode", "_broken", "response_bytes")

    def __init__(self, parser: UsageParser | None, content_encoding: str | None) -> None:
        self._parser = parser
        self._broken = parser is None
        self.response_bytes = 0
        try:
            self._decode = _decoder(content_encoding)
        except ValueError:
            log.warning("cannot meter a response with content-encoding %r; tokens will be estimated", content_encoding)
            self._decode = None
            self._broken = True

    def feed(self, chunk: bytes) -> None:
        """Take one response chunk, exactly as it was forwarded."""
        self.response_bytes += len(chunk)
        if self._broken or self._parser is None:
            return
        try:
            self._parser.feed(self._decode(chunk) if self._decode else chunk)
        except Exception as exc:  # the meter must never break the stream it watches
            log.warning("usage parser stopped on a %s; tokens will be estimated", type(exc).__name__)
            self._broken = True

    def feed_message(self, kind: bytes, data: bytes) -> None:
        """Take one WebSocket message carrying an event of type `kind` (read as that server-sent event)."""
        self.response_bytes += len(data)
        if self._broken or self._parser is None:
            return
        try:
            self._parser.feed(b"event: " + kind + b"\ndata: " + data + b"\n\n")
        except Exception as exc:  # the meter must never break the socket it watches
            log.warning("usage parser stopped on a %s; tokens will be estimated", type(exc).__name__)
            self._broken = True

    def result(self, facts: RequestFacts) -> Metered:
        """The usage of the response; estimated from the request when the parser could not tell."""
        if self._parser is not None and not self._broken:
            try:
                return self._parser.result()
            except Exception as exc:
                log.warning("usage parser failed on a %s; tokens will be estimated", type(exc).__name__)
        return Metered(Usage(input_tokens=estimate_tokens(facts.input_chars), estimated=True), complete=False)
