"""The contract between the proxy and a wire-format adapter (one adapter per provider API family).

Adapters are pure: they see bytes and strings, never aiohttp objects, so they import no aiohttp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from conduit.core.usage import Metered, RequestFacts


@dataclass(frozen=True, slots=True)
class Endpoint:
    """What a request path is: its API family name (`anthropic_messages`, `openai_chat`, …) and whether it
    generates tokens that cost money (count_tokens, models and the like do not)."""

    api: str
    generating: bool


class UsageParser(Protocol):
    """Reads a tee of the (decompressed) response body chunk by chunk and reports the usage at the end."""

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the response body; never raises on malformed input."""

    def result(self) -> Metered:
        """The usage seen so far; `complete` is False when the provider's final usage never arrived."""


class Adapter(Protocol):
    """One provider API family (`anthropic` or `openai`): endpoints, request facts, usage parsers, errors."""

    name: str

    def endpoint(self, method: str, path: str) -> Endpoint:
        """Classify an upstream-relative path such as `/v1/messages` (query string excluded)."""

    def request_facts(self, body: bytes) -> RequestFacts:
        """Decode the request body once and pick out model, streaming and size facts; never raises."""

    def usage_parser(self, endpoint: Endpoint, facts: RequestFacts, event_stream: bool) -> UsageParser:
        """A fresh parser for one response; `event_stream` is True for `text/event-stream` bodies."""

    def error_body(self, status: int, code: str, message: str) -> bytes:
        """A JSON error body in this provider's own shape, with `code` as the stable error type."""
