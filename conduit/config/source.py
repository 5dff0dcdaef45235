"""The config file being loaded, as a helper that turns a key path and a message into a located ConfigError.

Every parser of a `conduit.toml` table checks its values through `Source`. Standard library and
`conduit.config` only.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from conduit.config.errors import ConfigError
from conduit.config.locate import dotted, find_line

_TYPE_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    str: "a string",
    dict: "a table",
    list: "an array",
}


def type_name(value: object) -> str:
    """The TOML type of `value` in words: "a string", "an array", …"""
    return _TYPE_NAMES.get(type(value), "a date/time")


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like `word` (a likely typo of it), or None when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return close[0] if close else None


def spell_choices(options: Iterable[str]) -> str:
    """Quoted options joined for a message: `"day", "week" or "month"`."""
    quoted = [f'"{option}"' for option in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


@dataclass(frozen=True, slots=True)
class Source:
    """The file being loaded: turns a key path and a message into a located ConfigError."""

    path: Path
    text: str

    def error(self, keys: tuple[str, ...], message: str) -> ConfigError:
        """A ConfigError for the key path `keys`, with the line where it is set when that can be found."""
        return ConfigError(self.path, message, line=find_line(self.text, keys), key=dotted(keys))

    def check_keys(self, where: tuple[str, ...], table: Mapping[str, object], allowed: tuple[str, ...]) -> None:
        """Raise for the first key of `table` not in `allowed`, suggesting the closest allowed key."""
        for key in table:
            if key not in allowed:
                close = closest(key, allowed)
                hint = f"did you mean `{close}`?" if close else "allowed keys here: " + ", ".join(allowed)
                raise self.error((*where, key), f"unknown key; {hint}")

    def typed(self, keys: tuple[str, ...], value: object, kind: type, example: str) -> None:
        """Raise unless `value` is of TOML type `kind` (booleans are never numbers)."""
        if type(value) is kind or (kind is float and type(value) is int):
            return
        want = "a number" if kind is float else _TYPE_NAMES[kind]
        raise self.error(keys, f"must be {want}, not {type_name(value)}; for example {dotted(keys[-1:])} = {example}")

    def string(self, keys: tuple[str, ...], value: object, example: str) -> str:
        """`value` as a non-empty string, or raise."""
        self.typed(keys, value, str, example)
        assert isinstance(value, str)
        if not value.strip():
            raise self.error(keys, f"must not be empty; for example {dotted(keys[-1:])} = {example}")
        return value

    def choice(self, keys: tuple[str, ...], value: object, allowed: tuple[str, ...]) -> str:
        """`value` as one of the strings in `allowed`, or raise suggesting the closest one."""
        text = self.string(keys, value, f'"{allowed[0]}"')
        if text in allowed:
            return text
        close = closest(text, allowed)
        hint = f'did you mean "{close}"? ' if close else ""
        raise self.error(keys, f'unknown value "{text}"; {hint}use {spell_choices(allowed)}')

    def table(self, keys: tuple[str, ...], value: object, example: str) -> dict[str, object]:
        """`value` as a table, or raise."""
        if not isinstance(value, dict):
            raise self.error(keys, f"must be a table, not {type_name(value)}; write it as {example}")
        return value

    def positive_int(self, keys: tuple[str, ...], value: object, example: str, unit: str) -> int:
        """`value` as a whole number of `unit` above zero, or raise."""
        self.typed(keys, value, int, example)
        assert isinstance(value, int)
        if value <= 0:
            raise self.error(keys, f"must be a positive whole number of {unit}, not {value}")
        return value

    def seconds(self, keys: tuple[str, ...], value: object, *, zero_ok: bool = False) -> float:
        """`value` as a finite number of seconds, more than zero (or zero too when `zero_ok`), or raise."""
        self.typed(keys, value, float, "30")
        assert isinstance(value, (int, float))
        if not math.isfinite(value):
            raise self.error(keys, f"must be a finite number of seconds, not {value}")
        if value < 0 or (value == 0 and not zero_ok):
            least = "zero or more" if zero_ok else "more than zero"
            raise self.error(keys, f"must be {least} seconds, not {value}")
        return float(value)
