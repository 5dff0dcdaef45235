"""What an endpoint of the simulated provider reads from a request body and what it answers.

Request JSON is narrowed here into frozen values; imports only the standard library and orjson.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

FIXED_CREATED_S = 1767225600  # 2026-01-01T00:00:00Z: every response carries the same timestamp


class BadRequest(ValueError):
    """A request body the provider would refuse with 400; the message never quotes the body."""


@dataclass(frozen=True, slots=True)
class Answer:
    """An endpoint's reply: a JSON body, or the SSE events to play one by one when `stream` is set."""

    body: bytes = b""
    events: tuple[bytes, ...] = ()
    stream: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    """A decoded request body, its digest (hex, seeds ids and reply words) and whether it marks a cache point."""

    doc: Mapping[str, Any]
    key: str
    cache_marked: bool


def body_key(body: bytes) -> str:
    """The hex digest of a request body, from which the sim derives ids and reply words."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def read_request(body: bytes) -> Request:
    """Decode a JSON object body; raises BadRequest when it is not valid JSON or not an object."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(doc, dict):
        raise BadRequest("The request body must be a JSON object.")
    return Request(doc, body_key(body), b'"cache_control"' in body)


def str_field(doc: Mapping[str, Any], name: str, default: str) -> str:
    """The string at `name`, or `default` when it is absent or not a string."""
    value = doc.get(name)
    return value if isinstance(value, str) else default


def int_field(doc: Mapping[str, Any], name: str) -> int | None:
    """The integer at `name`, or None when it is absent or not an integer."""
    value = doc.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_streaming(doc: Mapping[str, Any]) -> bool:
    """Whether the body asks for a streamed answer (`"stream": true`)."""
    return doc.get("stream") is True


def sse_event(name: str | None, data: bytes) -> bytes:
    """One server-sent event, `event:` line first when named, ending with a blank line."""
    if name is None:
        return b"data: " + data + b"\n\n"
    return b"event: " + name.encode() + b"\ndata: " + data + b"\n\n"
