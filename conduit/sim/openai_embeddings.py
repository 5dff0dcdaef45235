"""The OpenAI Embeddings API as the simulated provider speaks it: `/v1/embeddings`, float or base64 vectors.

Vectors are derived from the request digest, so the same body always gets the same bytes.
Imports only sim values, the standard library and orjson.
"""

from __future__ import annotations

import base64
import hashlib
import struct

import orjson

from conduit.sim.tokens import tokens_for_chars
from conduit.sim.turn import Answer, BadRequest, Request, int_field, str_field

DEFAULT_MODEL = "text-embedding-3-small"
DEFAULT_DIMENSIONS = 16
MAX_DIMENSIONS = 4096


def embeddings(request: Request) -> Answer:
    """The `/v1/embeddings` answer: one vector per input, and usage with prompt and total tokens."""
    doc = request.doc
    inputs = _inputs(doc.get("input"))
    dimensions = min(MAX_DIMENSIONS, max(1, int_field(doc, "dimensions") or DEFAULT_DIMENSIONS))
    as_base64 = doc.get("encoding_format") == "base64"
    data = []
    for index in range(len(inputs)):
        vector = _vector(f"{request.key}:{index}", dimensions)
        encoded: object = base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode() if as_base64 else vector
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    tokens = sum(inputs)
    body = {
        "object": "list",
        "data": data,
        "model": str_field(doc, "model", DEFAULT_MODEL),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
    return Answer(body=orjson.dumps(body))


def _inputs(value: object) -> list[int]:
    """The token count of each input: a string, a list of strings, a token array, or a list of token arrays."""
    if isinstance(value, str):
        return [tokens_for_chars(len(value))]
    if isinstance(value, list) and value:
        if all(isinstance(item, int) for item in value):
            return [len(value)]
        if all(isinstance(item, str) for item in value):
            return [tokens_for_chars(len(item)) for item in value]
        if all(isinstance(item, list) for item in value):
            return [len(item) for item in value]
    raise BadRequest("'input' must be a string, a list of strings, or token arrays.")


def _vector(seed: str, dimensions: int) -> list[float]:
    """A deterministic vector with components in [-1, 1], exactly representable as float32."""
    raw = b""
    counter = 0
    while len(raw) < dimensions:
        raw += hashlib.blake2b(f"{seed}:{counter}".encode(), digest_size=64).digest()
        counter += 1
    return [(byte - 128) / 128 for byte in raw[:dimensions]]
