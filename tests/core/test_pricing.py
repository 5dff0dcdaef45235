"""The pricing book: the packaged entries, longest-prefix lookup, overrides, long-context rates and cost."""

from __future__ import annotations

import pytest

from conduit.core.price import Price
from conduit.core.pricing import MEMO_LIMIT, BookEntry, LongContext, PriceBook, packaged_book, parse_book
from conduit.core.usage import Usage

BOOK = PriceBook.default()
EMBEDDINGS = {"text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"}


def test_packaged_book_loads_and_every_entry_has_sane_numbers() -> None:
    book = packaged_book()
    assert len(book) > 60
    for name, entry in book.items():
        price = entry.price
        assert name == name.lower() and name.strip() == name
        assert 0 < price.input <= 200, name
        if name in EMBEDDINGS:
            assert price.output == 0 and price.cache_read == 0
            continue
        assert price.input <= price.output <= 8 * price.input, name
        assert 0 < price.cache_read <= price.input, name
        assert price.cache_write == 0 or price.input <= price.cache_write <= 1.25 * price.input + 1e-9, name
        if name.startswith("claude-"):
            assert price.cache_write == pytest.approx(1.25 * price.input, rel=0.05), name  # Haiku 3 is rounded
            assert price.cache_read <= 0.125 * price.input, name
        if entry.long_context is not None:
            tier = entry.long_context.price
            assert entry.long_context.above_tokens >= 100_000, name
            assert tier.input > price.input and tier.output > price.output, name
            assert tier.cache_read >= price.cache_read and tier.cache_write >= price.cache_write, name


@pytest.mark.parametrize("model", [
    # Claude Code defaults and the ids in the Anthropic SDK's model list
    "claude-opus-4-8", "claude-opus-5-5", "claude-opus-5", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5",
    "claude-opus-4-5-20251101", "claude-opus-4-1", "claude-opus-4-1@20250805", "claude-opus-4-0",
    "claude-opus-4-20250514", "claude-opus-4@20250514", "claude-4-opus-20250514", "claude-3-opus-20240229",
    "claude-fable-5-2", "claude-fable-5-1", "claude-fable-5", "claude-mythos-5-2", "claude-mythos-5-1",
    "claude-mythos-5", "claude-sonnet-5-5", "claude-sonnet-5", "claude-sonnet-4-6", "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929", "claude-sonnet-4-0", "claude-sonnet-4-20250514", "claude-3-7-sonnet-latest",
    "claude-3-7-sonnet-20250219", "claude-haiku-5-5", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
    "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022", "claude-3-haiku-20240307",
    # OpenAI
    "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o3", "o3-mini", "o4-mini",
    "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-codex", "gpt-5.1", "gpt-5.1-codex", "gpt-5.1-codex-mini",
    "gpt-5.1-codex-max", "gpt-5.2", "gpt-5.2-codex", "gpt-5.3-codex", "gpt-5.4", "gpt-5.4-mini", "gpt-5.5",
    "gpt-5.6", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna", "gpt-6-astra", "gpt-6-sol", "gpt-6-luna",
    "gpt-6.1-sol", "gpt-6.1-terra", "text-embedding-3-small",
])
def test_current_models_are_priced(model: str) -> None:
    assert BOOK.price_for(model) is not None


@pytest.mark.parametrize(("model", "key"), [
    ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
    ("claude-haiku-4-5@20251001", "claude-haiku-4-5"),
    ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
    ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
    ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
    ("gpt-4o-2024-08-06", "gpt-4o"),
    ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
    ("gpt-5.1-codex-mini", "gpt-5.1-codex-mini"),
    ("gpt-5-2025-08-07", "gpt-5"),
    ("o3-mini-2025-01-31", "o3-mini"),
    ("ft:gpt-4.1-mini:acme::9abc", None),
    ("gpt-4.1-mini:ft-acme", "gpt-4.1-mini"),
])
def test_longest_prefix_on_a_boundary_wins(model: str, key: str | None) -> None:
    expected = None if key is None else packaged_book()[key].price
    assert BOOK.price_for(model) == expected


@pytest.mark.parametrize("model", [
    "claude-opus-5-7",  # a newer version step never borrows claude-opus-5's price
    "claude-opus-4-9",
    "claude-sonnet-5-6",
    "gpt-5.7",  # no boundary between gpt-5 and .7
    "gpt-4omni",
    "o10",
    "claude",
    "",
    "mystery-model",
])
def test_unknown_names_and_newer_versions_are_unpriced(model: str) -> None:
    assert BOOK.price_for(model) is None
    assert BOOK.cost(model, Usage(input_tokens=1000, output_tokens=1000)) == (0.0, False)


@pytest.mark.parametrize(("model", "key"), [
    ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
    ("openai/gpt-4.1-mini", "gpt-4.1-mini"),
    ("openrouter/anthropic/claude-opus-4-8", "claude-opus-4-8"),
    ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5"),
    ("anthropic.claude-opus-4-6-v1", "claude-opus-4-6"),
    ("  GPT-4o-Mini  ", "gpt-4o-mini"),
])
def test_vendor_paths_and_case_are_ignored(model: str, key: str) -> None:
    assert BOOK.price_for(model) == packaged_book()[key].price


def test_missing_model_is_flagged_unpriced_not_free() -> None:
    assert BOOK.cost(None, Usage(input_tokens=5000, output_tokens=100)) == (0.0, False)


def test_priced_model_with_no_tokens_costs_zero_and_is_priced() -> None:
    assert BOOK.cost("claude-haiku-4-5", Usage()) == (0.0, True)


def test_cost_adds_each_kind_of_token_at_its_own_rate() -> None:
    usage = Usage(input_tokens=1000, output_tokens=500, cache_read_tokens=20_000, cache_write_tokens=3000)
    cost, priced = BOOK.cost("claude-sonnet-4-5-20250929", usage)
    assert priced
    assert cost == pytest.approx((1000 * 3.00 + 500 * 15.00 + 20_000 * 0.30 + 3000 * 3.75) / 1e6)


def test_long_context_rate_applies_above_the_threshold_only() -> None:
    at_limit = Usage(input_tokens=40_000, cache_read_tokens=60_000, output_tokens=1000)
    over = Usage(input_tokens=40_001, cache_read_tokens=60_000, output_tokens=1000)
    assert BOOK.cost("claude-haiku-5-5", at_limit)[0] == pytest.approx((40_000 * 0.10 + 60_000 * 0.01 + 1000 * 0.50) / 1e6)
    assert BOOK.cost("claude-haiku-5-5", over)[0] == pytest.approx((40_001 * 0.50 + 60_000 * 0.05 + 1000 * 2.50) / 1e6)


def test_overrides_win_over_the_book_and_add_models() -> None:
    book = PriceBook.default({"claude-haiku-5-5": Price(1.0, 2.0), "My-Local-Llama": Price(0.5, 0.5)})
    assert book.price_for("claude-haiku-5-5-20261007") == Price(1.0, 2.0)
    assert book.price_for("my-local-llama") == Price(0.5, 0.5)
    assert book.cost("claude-haiku-5-5", Usage(input_tokens=500_000))[0] == pytest.approx(0.5)  # no long tier
    assert BOOK.price_for("claude-haiku-5-5") == Price(0.10, 0.50, 0.01, 0.125)  # the default book is untouched
    assert book.price_for("claude-opus-4-8") == BOOK.price_for("claude-opus-4-8")


def test_lookups_stay_right_past_the_memo_limit() -> None:
    book = PriceBook.default()
    for index in range(MEMO_LIMIT + 10):
        assert book.price_for(f"unknown-{index}") is None
    assert book.price_for("gpt-4o") == Price(2.50, 10.00, 1.25)
    assert book.price_for("gpt-4o") == Price(2.50, 10.00, 1.25)


def test_parse_book_names_the_bad_key() -> None:
    with pytest.raises(ValueError, match=r"models\.broken\.output"):
        parse_book({"models": {"broken": {"input": 1.0}}})
    with pytest.raises(ValueError, match=r"models\.neg\.cache_read"):
        parse_book({"models": {"neg": {"input": 1.0, "output": 2.0, "cache_read": -1}}})
    with pytest.raises(ValueError, match="ghost"):
        parse_book({"models": {}, "long_context": {"ghost": {"above_tokens": 1, "input": 1, "output": 1}}})


def test_parse_book_reads_long_context_tiers() -> None:
    book = parse_book({"models": {"m": {"input": 1, "output": 2}},
                       "long_context": {"m": {"above_tokens": 10, "input": 2, "output": 4}}})
    assert book == {"m": BookEntry(Price(1.0, 2.0), LongContext(10, Price(2.0, 4.0)))}
