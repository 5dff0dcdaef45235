"""The bounded JSON body buffer: whole bodies decode once; oversized ones keep usage and model from the tail."""

from __future__ import annotations

import orjson

from conduit.providers.json_body import JsonBody


def fed(body: bytes, max_bytes: int, piece: int = 97) -> JsonBody:
    buffer = JsonBody(max_bytes=max_bytes)
    for start in range(0, len(body), piece):
        buffer.feed(body[start : start + piece])
    return buffer


def test_a_body_under_the_limit_decodes_whole() -> None:
    body = orjson.dumps({"model": "gpt-4o", "choices": [{"index": 0}], "usage": {"prompt_tokens": 3}})
    assert fed(body, max_bytes=1024).value() == orjson.loads(body)


def test_an_oversized_embeddings_body_keeps_usage_and_model_from_its_tail() -> None:
    vectors = [{"object": "embedding", "index": i, "embedding": "AAAAgD8AAIA/" * 40} for i in range(300)]
    body = orjson.dumps({"object": "list", "data": vectors, "model": "text-embedding-3-small",
                         "usage": {"prompt_tokens": 2048, "total_tokens": 2048}})
    assert len(body) > 100_000
    assert fed(body, max_bytes=10_000).value() == {
        "usage": {"prompt_tokens": 2048, "total_tokens": 2048}, "model": "text-embedding-3-small"}


def test_an_oversized_body_prefers_the_model_named_at_its_head() -> None:
    body = orjson.dumps({"model": "claude-opus-4-8", "content": [{"type": "text", "text": "x" * 50_000}],
                         "usage": {"input_tokens": 5, "output_tokens": 20_000}})
    assert fed(body, max_bytes=1_000).value() == {
        "usage": {"input_tokens": 5, "output_tokens": 20_000}, "model": "claude-opus-4-8"}


def test_an_oversized_body_without_usage_or_model_is_none() -> None:
    assert fed(b"[" + b"1," * 10_000 + b"1]", max_bytes=1_000).value() is None


def test_not_json_is_none() -> None:
    assert fed(b"<html>Bad Gateway</html>", max_bytes=1_000).value() is None
