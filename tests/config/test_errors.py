"""ConfigError renders as one line naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conduit.config.errors import ConfigError


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        (3, "providers.openai.upstream", "conduit.toml:3: providers.openai.upstream: is wrong"),
        (None, "providers", "conduit.toml: providers: is wrong"),
        (7, None, "conduit.toml:7: is wrong"),
        (None, None, "conduit.toml: is wrong"),
    ],
)
def test_str_omits_missing_parts(line: int | None, key: str | None, expected: str) -> None:
    err = ConfigError(Path("conduit.toml"), "is wrong", line=line, key=key)
    assert str(err) == expected
    assert (err.path, err.line, err.key, err.message) == (Path("conduit.toml"), line, key, "is wrong")


def test_message_is_kept_on_one_line() -> None:
    err = ConfigError(Path("c.toml"), "first\nsecond\r\n  third")
    assert str(err) == "c.toml: first second third"
