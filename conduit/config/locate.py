"""Find the line of a key in TOML source text, and spell a key path the way TOML does.

tomllib reports no positions, so this scans the text for table headers and `key = value` lines; it handles
bare, quoted and dotted keys and inline tables, and returns None when it cannot tell. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def dotted(keys: Sequence[str]) -> str:
    """The TOML spelling of a key path, quoting parts that are not bare keys: `pricing."gpt-4.1"`."""
    return ".".join(k if _BARE.fullmatch(k) else '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"' for k in keys)


def find_line(source: str, keys: Sequence[str]) -> int | None:
    """The 1-based line that defines the key path `keys` (its header, its assignment, or the inline table
    holding it), or None when the text gives no such line."""
    target = tuple(keys)
    table: tuple[str, ...] | None = ()
    open_string: str | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        if open_string is not None:
            if open_string in line:
                open_string = None
            continue
        text = line.strip()
        if text.startswith("["):
            table = _header(text)
            if table is not None and (table == target or table[: len(target)] == target):
                return number
            continue
        found = _parse_keys(text, 0) if table is not None else None
        if found is None or not text[found[1] :].startswith("="):
            continue
        path = table + found[0] if table is not None else found[0]
        value = text[found[1] + 1 :].lstrip()
        if path[: len(target)] == target or (target[: len(path)] == path and value.startswith("{")):
            return number
        open_string = _opened_multiline(value)
    return None


def _header(text: str) -> tuple[str, ...] | None:
    start = 2 if text.startswith("[[") else 1
    found = _parse_keys(text, start)
    if found is None or not text[found[1] :].startswith("]"):
        return None
    return found[0]


def _opened_multiline(value: str) -> str | None:
    for quotes in ('"""', "'''"):
        if value.startswith(quotes) and value.count(quotes) % 2 == 1:
            return quotes
    return None


def _parse_keys(text: str, pos: int) -> tuple[tuple[str, ...], int] | None:
    """Parse a dotted key starting at `pos`; return its parts and the position after it (and its spaces)."""
    parts: list[str] = []
    while True:
        pos = _skip_spaces(text, pos)
        found = _parse_one_key(text, pos)
        if found is None:
            return None
        parts.append(found[0])
        pos = _skip_spaces(text, found[1])
        if not text.startswith(".", pos):
            return tuple(parts), pos
        pos += 1


def _parse_one_key(text: str, pos: int) -> tuple[str, int] | None:
    if text.startswith("'", pos):
        end = text.find("'", pos + 1)
        return None if end < 0 else (text[pos + 1 : end], end + 1)
    if text.startswith('"', pos):
        return _parse_basic_string(text, pos + 1)
    bare = _BARE.match(text, pos)
    return None if bare is None else (bare.group(), bare.end())


def _parse_basic_string(text: str, pos: int) -> tuple[str, int] | None:
    out: list[str] = []
    while pos < len(text):
        char = text[pos]
        if char == '"':
            return "".join(out), pos + 1
        if char != "\\":
            out.append(char)
            pos += 1
            continue
        code = text[pos + 1 : pos + 2]
        if code in ("u", "U"):
            width = 4 if code == "u" else 8
            try:
                out.append(chr(int(text[pos + 2 : pos + 2 + width], 16)))
            except ValueError:
                return None
            pos += 2 + width
        elif code in _ESCAPES:
            out.append(_ESCAPES[code])
            pos += 2
        else:
            return None
    return None


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos
