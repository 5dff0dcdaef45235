"""The one error a bad `conduit.toml` raises: it names the file, the line and the key, and says how to fix it.

Imports only the standard library.
"""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A `conduit.toml` that cannot be used; `str()` is one line: `{path}:{line}: {key}: {message}`."""

    def __init__(self, path: Path, message: str, *, line: int | None = None, key: str | None = None) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.message = " ".join(message.split())
        super().__init__(self.path, self.line, self.key, self.message)

    def __str__(self) -> str:
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        parts = [where] if self.key is None else [where, self.key]
        return ": ".join([*parts, self.message])
