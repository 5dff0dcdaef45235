"""The SSE scanner: any split point, LF or CRLF, event filtering, unnamed events, bounded lines."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pytest

from conduit.providers.sse import SseScanner

STREAM = (
    b": keep-alive comment\n"
    b"event: message_start\n"
    b'data: {"type":"message_start","n":1}\n'
    b"\n"
    b"event: ping\n"
    b'data: {"type": "ping"}\n'
    b"\n"
    b"event: content_block_delta\n"
    b'data:{"type":"content_block_delta","text":"no space after the colon"}\n'
    b"\n"
    b"id: 7\n"
    b"retry: 1000\n"
    b"event: message_delta\n"
    b'data: {"type":"message_delta","n":2}\n'
    b"\n"
)
WANTED = (b"message_start", b"content_block_delta", b"message_delta")
EXPECTED = [
    (b"message_start", b'{"type":"message_start","n":1}'),
    (b"content_block_delta", b'{"type":"content_block_delta","text":"no space after the colon"}'),
    (b"message_delta", b'{"type":"message_delta","n":2}'),
]


def scan(chunks: Iterable[bytes], events: Collection[bytes] | None = WANTED, **kwargs: int) -> list[tuple[bytes, bytes]]:
    seen: list[tuple[bytes, bytes]] = []
    scanner = SseScanner(lambda event, data: seen.append((event, data)), events, **kwargs)
    for chunk in chunks:
        scanner.feed(chunk)
    return seen


def every_split(body: bytes) -> Iterable[list[bytes]]:
    yield [body]
    for cut in range(1, len(body)):
        yield [body[:cut], body[cut:]]
    yield [body[i : i + 1] for i in range(len(body))]


def test_hands_over_only_wanted_events_in_order() -> None:
    assert scan([STREAM]) == EXPECTED


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_same_result_at_every_split_point(newline: bytes) -> None:
    body = STREAM.replace(b"\n", newline)
    for chunks in every_split(body):
        assert scan(chunks) == EXPECTED, chunks


def test_crlf_split_between_cr_and_lf_leaves_no_stray_cr() -> None:
    body = b"event: a\r\ndata: x\r\n\r\n"
    cut = body.index(b"\r\n") + 1
    assert scan([body[:cut], body[cut:]], events=[b"a"]) == [(b"a", b"x")]


def test_no_filter_hands_over_every_data_line() -> None:
    body = b'data: {"a":1}\n\ndata: [DONE]\n\n'
    assert scan([body], events=None) == [(b"", b'{"a":1}'), (b"", b"[DONE]")]


def test_event_name_ends_with_the_blank_line() -> None:
    body = b"event: message_start\ndata: one\n\ndata: two\n\n"
    assert scan([body], events=[b"message_start"]) == [(b"message_start", b"one")]


def test_unnamed_data_line_is_named_by_its_leading_type() -> None:
    body = (
        b'data: {"type":"response.output_text.delta","delta":"hi"}\n\n'
        b'data: {"type":"response.output_item.done","item":{}}\n\n'
        b'data: {"type": "response.completed", "response": {}}\n\n'
    )
    seen = scan([body], events=[b"response.output_text.delta", b"response.completed"])
    assert [event for event, _ in seen] == [b"response.output_text.delta", b"response.completed"]


def test_unterminated_last_line_is_not_handed_over() -> None:
    body = b'event: message_delta\ndata: {"type":"message_delta"'
    assert scan([body]) == []


def test_a_line_longer_than_the_limit_is_dropped_and_scanning_resumes() -> None:
    huge = b"event: message_delta\ndata: " + b"x" * 5000 + b"\n\n"
    after = b"event: message_start\ndata: small\n\n"
    for chunks in ([huge + after], [huge[i : i + 100] for i in range(0, len(huge), 100)] + [after]):
        assert scan(chunks, max_line_bytes=1000) == [(b"message_start", b"small")]


def test_unwanted_long_lines_split_across_chunks_are_skipped() -> None:
    big = b"event: response.output_text.done\ndata: " + b'{"text":"' + b"y" * 50_000 + b'"}\n\n'
    body = big + b"event: message_delta\ndata: end\n\n"
    chunks = [body[i : i + 64] for i in range(0, len(body), 64)]
    assert scan(chunks, max_line_bytes=1000) == [(b"message_delta", b"end")]
