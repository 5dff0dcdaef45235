"""The sim's OpenAI Embeddings API, driven by the official openai SDK."""

from __future__ import annotations

import base64

import openai


async def test_float_vectors_and_usage(openai_client: openai.AsyncOpenAI) -> None:
    result = await openai_client.embeddings.create(model="text-embedding-3-small", input=["alpha beta", "gamma"])
    assert [item.index for item in result.data] == [0, 1]
    assert all(len(item.embedding) == 16 for item in result.data)
    assert result.data[0].embedding != result.data[1].embedding
    assert result.usage.prompt_tokens == 3 + 2
    assert result.usage.total_tokens == result.usage.prompt_tokens


async def test_base64_vectors_and_dimensions(openai_client: openai.AsyncOpenAI) -> None:
    plain = await openai_client.embeddings.create(model="text-embedding-3-small", input="delta", dimensions=8)
    packed = await openai_client.embeddings.create(
        model="text-embedding-3-small", input="delta", dimensions=8, encoding_format="base64"
    )
    raw = packed.data[0].embedding
    assert isinstance(raw, str) and len(base64.b64decode(raw)) == 8 * 4
    assert len(plain.data[0].embedding) == 8


async def test_token_arrays_count_one_token_each(openai_client: openai.AsyncOpenAI) -> None:
    result = await openai_client.embeddings.create(model="text-embedding-3-small", input=[[1, 2, 3], [4, 5]])
    assert result.usage.prompt_tokens == 5
