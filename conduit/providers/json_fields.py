"""Narrowing of decoded wire JSON: typed reads of the few fields the adapters need, and safe decoding.

This is where untyped JSON stops: callers get `int`, `str` or a mapping, never a guess. Imports orjson only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import orjson

JsonObject = Mapping[str, object]

_MODEL = re.compile(rb'"model"\s*:\s*"([^"\\]{1,200})"')


def decode_object(raw: bytes) -> JsonObject | None:
    """Decode `raw` as a JSON object, or None when it is not JSON or not an object."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def obj_at(obj: JsonObject | None, key: str) -> JsonObject | None:
    """`obj[key]` if it is a JSON object, else None."""
    if obj is None:
        return None
    value = obj.get(key)
    return value if isinstance(value, dict) else None


def int_at(obj: JsonObject | None, key: str) -> int | None:
    """`obj[key]` if it is a non-negative integer (booleans excluded), else None."""
    if obj is None:
        return None
    value = obj.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def str_at(obj: JsonObject | None, key: str) -> str | None:
    """`obj[key]` if it is a non-empty string, else None."""
    if obj is None:
        return None
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def bool_at(obj: JsonObject | None, key: str) -> bool:
    """`obj[key]` if it is `true`; anything else is False."""
    return obj is not None and obj.get(key) is True


def model_in_line(raw: bytes) -> str | None:
    """The first `"model":"…"` value in a raw JSON line, found without decoding the line.

    An unescaped `"model":"` cannot occur inside a JSON string, so the first match is a real key.
    """
    match = _MODEL.search(raw)
    if match is None:
        return None
    return match.group(1).decode("utf-8", "replace")
