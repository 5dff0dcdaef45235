"""Prompt-size counting over decoded request bodies."""

from __future__ import annotations

import orjson

from conduit.providers.request_text import request_chars, text_chars


def test_binary_payloads_and_bookkeeping_keys_are_skipped() -> None:
    value = [{"type": "input_image", "image_url": "data:image/png;base64,AAAA"},
             {"type": "input_file", "file_data": "JVBERi0x" * 100, "filename": "a.pdf"},
             {"role": "user", "id": "msg_1", "content": "hello"}]
    assert text_chars(value) == len("a.pdf") + len("hello")


def test_deeply_nested_values_do_not_recurse() -> None:
    value: object = "abc"
    for _ in range(5000):
        value = {"content": [value]}
    assert text_chars(value) == 3


def test_tools_count_as_their_json_length_and_other_fields_are_ignored() -> None:
    tools = [{"name": "grep", "input_schema": {"type": "object"}}]
    body = {"model": "claude-haiku-4-5", "metadata": {"user_id": "u" * 50}, "messages": "hi", "tools": tools}
    assert request_chars(body, ("messages",)) == 2 + len(orjson.dumps(tools))
