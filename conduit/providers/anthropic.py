"""The Anthropic Messages wire format: which paths cost money, what a request asks for, usage, error bodies.

Pure: sees bytes and strings only. Imports core, orjson and sibling provider modules; never aiohttp.
"""

from __future__ import annotations

from functools import partial

import orjson

from conduit.core.usage import RequestFacts
from conduit.providers.anthropic_usage import AnthropicJsonParser, AnthropicStreamParser
from conduit.providers.base import Endpoint, UsageParser
from conduit.providers.json_fields import bool_at, decode_object, int_at, str_at
from conduit.providers.no_usage import NoUsageParser
from conduit.providers.request_text import request_chars

MESSAGES = "anthropic_messages"
COUNT_TOKENS = "anthropic_count_tokens"
MODELS = "anthropic_models"
OTHER = "anthropic_other"

_TEXT_KEYS = ("system", "messages")


class AnthropicAdapter:
    """Adapter for Anthropic's API (`api = "anthropic"`), also behind gateways that add a path prefix."""

    name = "anthropic"

    def endpoint(self, method: str, path: str) -> Endpoint:
        """Classify a path by its suffix: `…/messages` generates, count_tokens and models do not."""
        segments = [segment for segment in path.split("/") if segment]
        last = segments[-1] if segments else ""
        if last == "messages":
            return Endpoint(MESSAGES, generating=method.upper() == "POST")
        if last == "count_tokens" and len(segments) >= 2 and segments[-2] == "messages":
            return Endpoint(COUNT_TOKENS, generating=False)
        if last == "models" or (len(segments) >= 2 and segments[-2] == "models"):
            return Endpoint(MODELS, generating=False)
        return Endpoint(OTHER, generating=False)

    def request_facts(self, body: bytes) -> RequestFacts:
        """Model, streaming, `max_tokens` and prompt size of a Messages request; `json_ok=False` if not JSON."""
        obj = decode_object(body)
        if obj is None:
            return RequestFacts(json_ok=False)
        return RequestFacts(
            model=str_at(obj, "model"),
            stream=bool_at(obj, "stream"),
            max_tokens=int_at(obj, "max_tokens"),
            count_input_chars=partial(request_chars, obj, _TEXT_KEYS),
            document=obj,
        )

    def usage_parser(self, endpoint: Endpoint, facts: RequestFacts, event_stream: bool) -> UsageParser:
        """A stream or JSON parser for generating Messages calls; a zero parser for everything else."""
        if endpoint.api != MESSAGES or not endpoint.generating:
            return NoUsageParser()
        if event_stream:
            return AnthropicStreamParser()
        return AnthropicJsonParser()

    def error_body(self, status: int, code: str, message: str) -> bytes:
        """`{"type":"error","error":{"type":code,"message":message}}`, as Anthropic's SDKs expect."""
        return orjson.dumps({"type": "error", "error": {"type": code, "message": message}})
