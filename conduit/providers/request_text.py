"""How much text a decoded request body carries, for token estimates and budget reservations.

Counts the characters of string values under the fields that become prompt tokens, skipping binary payloads
(images, files, audio) and opaque blobs; tool definitions count as their JSON length. Imports orjson only.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from conduit.providers.json_fields import JsonObject

# Keys whose values are not prompt text: base64 payloads, opaque blobs and bookkeeping.
SKIPPED_KEYS = frozenset(
    {
        "source",
        "image_url",
        "file_data",
        "input_audio",
        "data",
        "signature",
        "encrypted_content",
        "cache_control",
        "type",
        "role",
        "id",
        "call_id",
        "tool_use_id",
        "tool_call_id",
        "status",
    }
)
TOOL_KEYS = ("tools", "functions")


def request_chars(body: JsonObject, text_keys: Iterable[str]) -> int:
    """Characters of prompt text in `body`: strings under `text_keys` plus the JSON length of tool definitions."""
    total = 0
    for key in text_keys:
        value = body.get(key)
        if value is not None:
            total += text_chars(value)
    for key in TOOL_KEYS:
        tools = body.get(key)
        if isinstance(tools, list) and tools:
            total += len(orjson.dumps(tools))
    return total


def text_chars(value: object) -> int:
    """Total length of the strings inside a decoded JSON value, skipping `SKIPPED_KEYS` (iterative, no recursion)."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k not in SKIPPED_KEYS)
    return total
