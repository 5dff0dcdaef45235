"""The meter undoes every content-encoding a provider answers in (gzip, deflate, br, zstd) chunk by chunk, and
falls back to estimates, without disturbing anything, for one it cannot read."""

from __future__ import annotations

import zlib

import brotli
import orjson
import pytest
import zstandard

from conduit.core.usage import RequestFacts
from conduit.providers.anthropic import AnthropicJsonParser
from conduit.proxy.meter import Meter

BODY = orjson.dumps({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6",
                     "content": [{"type": "text", "text": "hello " * 200}],
                     "usage": {"input_tokens": 321, "output_tokens": 54, "cache_read_input_tokens": 7}})


def zstd_frames(data: bytes) -> bytes:
    """`data` as two zstd frames, as a server that compresses piece by piece may send it."""
    half = len(data) // 2
    return zstandard.ZstdCompressor().compress(data[:half]) + zstandard.ZstdCompressor().compress(data[half:])


ENCODED = {
    "gzip": lambda data: zlib.compress(data, wbits=31),
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd_frames,
}


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_every_encoding_is_metered_chunk_by_chunk(encoding: str) -> None:
    encoded = ENCODED[encoding](BODY)
    meter = Meter(AnthropicJsonParser(), encoding.upper())
    for start in range(0, len(encoded), 7):
        meter.feed(encoded[start:start + 7])
    metered = meter.result(RequestFacts())
    usage = metered.usage
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (321, 54, 7)
    assert not usage.estimated and meter.response_bytes == len(encoded)


def test_an_unknown_encoding_is_estimated_and_counted() -> None:
    meter = Meter(AnthropicJsonParser(), "lz4")
    chunk = b"\x04\x22\x4d\x18 opaque"
    meter.feed(chunk)
    metered = meter.result(RequestFacts(count_input_chars=lambda: 400))
    assert metered.usage.estimated and metered.usage.input_tokens == 100
    assert meter.response_bytes == len(chunk)
