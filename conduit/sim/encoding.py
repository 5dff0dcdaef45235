"""The content-encodings the simulated provider can answer in (`x-sim-encoding: gzip|br|zstd`): a whole body at
once, or a stream flushed after every event so each one reaches the client as soon as it is written.

Imports the standard library, brotli and zstandard only.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli
import zstandard



class StreamEncoder:
    """Compresses a stream event by event (each `chunk` ends flushed) and closes it with `end`."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding == "gzip":
            gzip = zlib.compressobj(wbits=31)
            self._chunk: Callable[[bytes], bytes] = lambda data: gzip.compress(data) + gzip.flush(zlib.Z_SYNC_FLUSH)
            self._end: Callable[[], bytes] = gzip.flush
        elif encoding == "br":
            br = brotli.Compressor()
            self._chunk = lambda data: br.process(data) + br.flush()
            self._end = br.finish
        elif encoding == "zstd":
            zstd = zstandard.ZstdCompressor().compressobj()
            self._chunk = lambda data: zstd.compress(data) + zstd.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
            self._end = zstd.flush
        else:
            raise ValueError(encoding)

    def chunk(self, data: bytes) -> bytes:
        """`data` compressed, with everything so far flushed out."""
        return self._chunk(data)

    def end(self) -> bytes:
        """The end of the compressed stream."""
        return self._end()


def encode_body(encoding: str, body: bytes) -> bytes:
    """A whole body in `encoding`."""
    encoder = StreamEncoder(encoding)
    return encoder.chunk(body) + encoder.end()
