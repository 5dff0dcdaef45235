"""The listen address: host:port and bracketed IPv6, with clear errors."""

from __future__ import annotations

import pytest

from conduit.config.listen import format_listen, parse_listen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("localhost:9000", ("localhost", 9000)),
        ("proxy.internal.example:443", ("proxy.internal.example", 443)),
        ("[::1]:8080", ("::1", 8080)),
        ("[::]:8080", ("::", 8080)),
        ("127.0.0.1:0", ("127.0.0.1", 0)),
    ],
)
def test_parses(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("localhost", "has no port"),
        (":8080", "has no host"),
        ("::1:8080", "IPv6 address in brackets"),
        ("[::1]8080", "[::1]:8080"),
        ("[nonsense]:8080", "not an IPv6 address"),
        ("127.0.0.1:http", "port must be a number"),
        ("127.0.0.1:-1", "port must be a number"),
        ("127.0.0.1:", "port must be a number"),
        ("127.0.0.1:70000", "out of range"),
        ("bad host:80", "not a host name"),
    ],
)
def test_rejects_with_reason(text: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_listen(text)
    assert says in str(caught.value)
    assert text in str(caught.value)


@pytest.mark.parametrize("text", ["127.0.0.1:8080", "[::1]:8080", "localhost:1"])
def test_format_round_trips(text: str) -> None:
    assert format_listen(*parse_listen(text)) == text
