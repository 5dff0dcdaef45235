"""Finding the line of a key in TOML text: headers, quoted and dotted keys, inline tables."""

from __future__ import annotations

import pytest

from conduit.config.locate import dotted, find_line

SOURCE = """\
# listen = "commented out"
listen = "127.0.0.1:8080"

[providers.anthropic]  # the main one
upstream = "https://api.anthropic.com"
 read_timeout_s = 600

[ providers . "open ai" ]
"upstream" = "https://api.openai.com"
'api'="openai"

[pricing."gpt-4.1-mini"]
input = 1
notes = \"\"\"
input = 99
\"\"\"
output = 2

[pricing]
"claude\\u002dx" = { input = 1, output = 2 }
models.small.input = 3
"""


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        (("listen",), 2),
        (("providers",), 4),
        (("providers", "anthropic"), 4),
        (("providers", "anthropic", "upstream"), 5),
        (("providers", "anthropic", "read_timeout_s"), 6),
        (("providers", "open ai"), 8),
        (("providers", "open ai", "upstream"), 9),
        (("providers", "open ai", "api"), 10),
        (("pricing",), 12),
        (("pricing", "gpt-4.1-mini"), 12),
        (("pricing", "gpt-4.1-mini", "input"), 13),
        (("pricing", "gpt-4.1-mini", "output"), 17),
        (("pricing", "claude-x"), 20),
        (("pricing", "claude-x", "output"), 20),
        (("pricing", "models", "small", "input"), 21),
        (("pricing", "models"), 21),
    ],
)
def test_finds_line(keys: tuple[str, ...], line: int) -> None:
    assert find_line(SOURCE, keys) == line


@pytest.mark.parametrize(
    "keys", [("database",), ("providers", "openai"), ("providers", "anthropic", "api"), ("pricing", "x", "input")]
)
def test_absent_key_has_no_line(keys: tuple[str, ...]) -> None:
    assert find_line(SOURCE, keys) is None


def test_unparseable_header_hides_its_keys() -> None:
    assert find_line('[providers."unterminated]\nupstream = "x"\n', ("providers", "x", "upstream")) is None


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        (("listen",), "listen"),
        (("providers", "open-ai_2", "upstream"), "providers.open-ai_2.upstream"),
        (("pricing", "gpt-4.1"), 'pricing."gpt-4.1"'),
        (("providers", 'a "b"'), 'providers."a \\"b\\""'),
    ],
)
def test_dotted_quotes_non_bare_parts(keys: tuple[str, ...], text: str) -> None:
    assert dotted(keys) == text
