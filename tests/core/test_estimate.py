"""Token estimates from character counts, and character counts of raw JSON string bodies."""

from __future__ import annotations

import json

import orjson
import pytest

from conduit.core.estimate import estimate_tokens, json_string_chars


@pytest.mark.parametrize(("chars", "tokens"), [(0, 0), (-5, 0), (1, 1), (4, 1), (5, 2), (8, 2), (4001, 1001)])
def test_estimate_is_a_quarter_of_the_characters_rounded_up(chars: int, tokens: int) -> None:
    assert estimate_tokens(chars) == tokens


@pytest.mark.parametrize("text", [
    "plain ascii",
    'quotes " and backslash \\ and newline \n and tab \t',
    "accents: déjà vu, ñ",
    "日本語のテキスト",
    "emoji 🎉 and \u2028 separator",
    "",
])
def test_json_string_chars_matches_the_decoded_length(text: str) -> None:
    assert json_string_chars(orjson.dumps(text)[1:-1]) == len(text)
    ascii_only = json.dumps(text, ensure_ascii=True).encode()  # astral characters become surrogate pairs
    assert json_string_chars(ascii_only[1:-1]) == len(text.encode("utf-16-le")) // 2


def test_json_string_chars_counts_unicode_escapes_as_one_character() -> None:
    assert json_string_chars(b"caf\\u00e9 \\ud83c\\udf89") == len("café ") + 2
