"""The sim's token arithmetic: prompt size from text, Anthropic cache splits, OpenAI cached tokens."""

from __future__ import annotations

import pytest

from conduit.sim.tokens import anthropic_split, openai_cached, text_chars, tokens_for_chars


def test_text_chars_counts_every_string_value_but_no_keys() -> None:
    doc = {"system": "abcd", "messages": [{"role": "user", "content": [{"type": "text", "text": "xyz"}]}], "n": 5}
    assert text_chars(doc) == 4 + 4 + 4 + 3
    assert text_chars(None) == 0


@pytest.mark.parametrize(("chars", "tokens"), [(0, 1), (1, 1), (4, 1), (5, 2), (4000, 1000)])
def test_tokens_round_up_with_at_least_one(chars: int, tokens: int) -> None:
    assert tokens_for_chars(chars) == tokens


def test_unmarked_prompts_are_all_uncached_input() -> None:
    split = anthropic_split(500, cache_marked=False)
    assert (split.input_tokens, split.cache_write_tokens, split.cache_read_tokens) == (500, 0, 0)


@pytest.mark.parametrize("total", [1, 3, 17, 500, 40_000])
def test_marked_prompts_split_into_three_nonzero_parts(total: int) -> None:
    split = anthropic_split(total, cache_marked=True)
    assert min(split.input_tokens, split.cache_write_tokens, split.cache_read_tokens) >= 1
    assert split.input_tokens + split.cache_write_tokens + split.cache_read_tokens == max(3, total)
    if total >= 500:
        assert split.cache_read_tokens > split.cache_write_tokens > split.input_tokens


@pytest.mark.parametrize(("prompt", "cached"), [(10, 0), (1023, 0), (1024, 896), (2000, 1664)])
def test_openai_caches_multiples_of_128_from_1024(prompt: int, cached: int) -> None:
    assert openai_cached(prompt) == cached
    assert cached % 128 == 0 and cached < prompt
