"""What a governance scan reads in a request body: every decoded JSON string value, joined into one text, minus
base64 payloads and opaque blobs; and, for an offset in that text, the JSON path of the value it fell in.
Pure: imports orjson only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import orjson

SEPARATOR = "\n\x00\n"
"""Joins the scanned values; no letter, digit or whitespace run crosses it, so no match spans two values."""

BLOB_MIN_CHARS = 512
MAX_PATH_CHARS = 120
_BLOB = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_FIELD_NAME = re.compile(r"[A-Za-z_]{1,32}")
# Dicts holding one of these keys take the careful path; any other dict has all its values scanned.
_SPECIAL_KEYS = frozenset(
    {"arguments", "data", "encrypted_content", "file_data", "image_url", "input_audio", "signature", "url"}
)
_OPAQUE_KEYS = frozenset({"encrypted_content", "file_data", "signature"})
_BASE64_TYPES = frozenset({"base64", "redacted_thinking"})
_SKIPPED = object()


@dataclass(frozen=True, slots=True)
class Scannable:
    """The text a scan reads, and the way back from an offset in it to the JSON value it came from.

    Held in memory only; nothing here is shown in a repr.
    """

    text: str = field(repr=False)
    values: list[str] | None = field(default=None, repr=False, compare=False)
    doc: object = field(default=None, repr=False, compare=False)
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _paths: list[str] = field(default_factory=list, repr=False, compare=False)

    def where(self, offset: int) -> str:
        """The JSON path of the value holding `offset` (such as `messages[1].content[0].content`), or `body`."""
        if not self.values:
            return "body"
        if not self._paths:
            self._starts.extend(accumulate((len(value) + len(SEPARATOR) for value in self.values[:-1]), initial=0))
            self._paths.extend(_paths(self.doc, self.values))
        return self._paths[max(0, bisect.bisect_right(self._starts, offset) - 1)]


def from_json(doc: object) -> Scannable:
    """The decoded string values of a JSON body, in document order, without base64 payloads or opaque blobs."""
    values: list[str] = []
    keep = values.append
    parents: list[Iterator[Any]] = []
    push = parents.append
    pop = parents.pop
    plain = _SPECIAL_KEYS.isdisjoint
    blob = _BLOB.fullmatch
    short = BLOB_MIN_CHARS
    siblings: Iterator[Any] = iter((doc,))
    while True:
        for item in siblings:
            kind = type(item)
            if kind is str:
                if len(item) < short or blob(item) is None:
                    keep(item)
            elif kind is dict:
                push(siblings)
                siblings = iter(item.values()) if plain(item) else _kept_values(item)
                break
            elif kind is list:
                push(siblings)
                siblings = iter(item)
                break
        else:
            if not parents:
                break
            siblings = pop()
    return Scannable(SEPARATOR.join(values), values, doc)


def from_text(body: bytes) -> Scannable:
    """A body that is not JSON, scanned whole as UTF-8 text (undecodable bytes replaced)."""
    return Scannable(body.decode("utf-8", "replace"))


def _kept(item: dict[str, object]) -> list[tuple[str, object]]:
    """The entries of a dict worth scanning: opaque and base64 fields dropped, JSON `arguments` strings decoded."""
    kept: list[tuple[str, object]] = []
    for key, value in item.items():
        if key in _SPECIAL_KEYS:
            value = _special(key, value, item)
            if value is _SKIPPED:
                continue
        kept.append((key, value))
    return kept


def _special(key: str, value: object, item: dict[str, object]) -> object:
    """The value to scan for one of `_SPECIAL_KEYS` in `item`, or `_SKIPPED`."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "data"} if key == "input_audio" else value
    if not isinstance(value, str):
        return value
    if key in _OPAQUE_KEYS or (key in ("url", "image_url") and value.startswith("data:")):
        return _SKIPPED
    if key == "data" and item.get("type") in _BASE64_TYPES:
        return _SKIPPED
    if key == "arguments" and value[:1] in ("{", "["):
        return _decoded(value)
    return value


def _kept_values(item: dict[str, object]) -> Iterator[object]:
    return (value for _, value in _kept(item))


def _decoded(arguments: str) -> object:
    """A tool call's JSON `arguments` string decoded, or the string itself when it is not JSON."""
    try:
        return orjson.loads(arguments)
    except orjson.JSONDecodeError:
        return arguments


def _paths(doc: object, values: list[str]) -> list[str]:
    """The JSON path of each of `values`, found by walking `doc` again in the same order as `from_json`."""
    paths: list[str] = []
    stack: list[tuple[object, str]] = [(doc, "")]
    while stack and len(paths) < len(values):
        item, path = stack.pop()
        if isinstance(item, str):
            if len(item) < BLOB_MIN_CHARS or _BLOB.fullmatch(item) is None:
                same = item == values[len(paths)]
                paths.append(_shortened(path) if same and path else "body")
        elif isinstance(item, dict):
            entries = _kept(item) if not _SPECIAL_KEYS.isdisjoint(item) else list(item.items())
            stack.extend((value, f"{path}{_step(key, path)}") for key, value in reversed(entries))
        elif isinstance(item, list):
            stack.extend((value, f"{path}[{index}]") for index, value in reversed(list(enumerate(item))))
    return paths + ["body"] * (len(values) - len(paths))


def _shortened(path: str) -> str:
    """A path of at most `MAX_PATH_CHARS`, its middle elided when longer."""
    if len(path) <= MAX_PATH_CHARS:
        return path
    half = MAX_PATH_CHARS // 2 - 1
    return f"{path[:half]}…{path[-half:]}"


def _step(key: str, path: str) -> str:
    """One key of a path: `.name` for a field name (letters and `_`, up to 32), else `[…]` so no content leaks."""
    if not isinstance(key, str) or _FIELD_NAME.fullmatch(key) is None:
        return "[…]"
    return f".{key}" if path else key
