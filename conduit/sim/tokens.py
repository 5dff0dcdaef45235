"""Deterministic token arithmetic of the simulated provider: prompt size from text, and cache splits.

Pure functions over decoded JSON values; imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

CHARS_PER_TOKEN = 4
OPENAI_CACHE_MIN_TOKENS = 1024
OPENAI_CACHE_STEP_TOKENS = 128


@dataclass(frozen=True, slots=True)
class AnthropicSplit:
    """A prompt's tokens as Anthropic reports them: uncached input, cache writes and cache reads."""

    input_tokens: int
    cache_write_tokens: int
    cache_read_tokens: int


def text_chars(value: object) -> int:
    """The number of characters in every string value inside a decoded JSON value (object keys excluded)."""
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return total


def tokens_for_chars(chars: int) -> int:
    """Tokens for a text of `chars` characters: one per four characters, rounded up, at least one."""
    return max(1, -(-chars // CHARS_PER_TOKEN))


def anthropic_split(prompt_tokens: int, cache_marked: bool) -> AnthropicSplit:
    """Split a prompt the way a warm Anthropic prompt cache does when the request carries `cache_control`.

    Most of a cached prompt is read back, a tenth is written, and a small tail is uncached input.
    """
    if not cache_marked:
        return AnthropicSplit(prompt_tokens, 0, 0)
    total = max(3, prompt_tokens)
    written = max(1, total // 10)
    uncached = max(1, total // 100)
    return AnthropicSplit(uncached, written, total - written - uncached)


def openai_cached(prompt_tokens: int) -> int:
    """Cached tokens OpenAI reports for a prompt: none below 1024, else a multiple of 128 below the prompt."""
    if prompt_tokens < OPENAI_CACHE_MIN_TOKENS:
        return 0
    return (prompt_tokens * 7 // 8) // OPENAI_CACHE_STEP_TOKENS * OPENAI_CACHE_STEP_TOKENS
