"""The OpenAI wire format (and any OpenAI-compatible API): endpoints, request facts, usage, error bodies.

Pure: sees bytes and strings only. Imports core, orjson and sibling provider modules; never aiohttp.
"""

from __future__ import annotations

from functools import partial

import orjson

from conduit.core.usage import RequestFacts
from conduit.providers.base import Endpoint, UsageParser
from conduit.providers.json_fields import JsonObject, bool_at, decode_object, int_at, obj_at, str_at
from conduit.providers.no_usage import NoUsageParser
from conduit.providers.openai_usage import (
    COMPLETION_DELTA,
    ChatStreamParser,
    OpenAIJsonParser,
    ResponsesStreamParser,
)
from conduit.providers.request_text import request_chars

CHAT = "openai_chat"
RESPONSES = "openai_responses"
EMBEDDINGS = "openai_embeddings"
COMPLETIONS = "openai_completions"
MODELS = "openai_models"
OTHER = "openai_other"

_TEXT_KEYS = ("messages", "input", "instructions", "prompt")
_MAX_TOKEN_KEYS = ("max_completion_tokens", "max_output_tokens", "max_tokens")


class OpenAIAdapter:
    """Adapter for OpenAI's API (`api = "openai"`), matched on path suffixes with or without `/v1`."""

    name = "openai"

    def endpoint(self, method: str, path: str) -> Endpoint:
        """Classify a path: chat, completions, responses and embeddings generate when POSTed; nothing else does."""
        segments = [segment for segment in path.split("/") if segment]
        last = segments[-1] if segments else ""
        previous = segments[-2] if len(segments) >= 2 else ""
        post = method.upper() == "POST"
        if last == "completions":
            return Endpoint(CHAT if previous == "chat" else COMPLETIONS, generating=post)
        if last == "responses" or (last == "compact" and previous == "responses"):
            return Endpoint(RESPONSES, generating=post)
        if "responses" in segments[-3:-1]:
            return Endpoint(RESPONSES, generating=False)
        if last == "embeddings":
            return Endpoint(EMBEDDINGS, generating=post)
        if last == "models" or previous == "models":
            return Endpoint(MODELS, generating=False)
        return Endpoint(OTHER, generating=False)

    def request_facts(self, body: bytes) -> RequestFacts:
        """Model, streaming, usage opt-in, token limit and prompt size; `json_ok=False` if not a JSON object."""
        obj = decode_object(body)
        if obj is None:
            return RequestFacts(json_ok=False)
        return RequestFacts(
            model=str_at(obj, "model"),
            stream=bool_at(obj, "stream"),
            include_usage=bool_at(obj_at(obj, "stream_options"), "include_usage"),
            max_tokens=_max_tokens(obj),
            count_input_chars=partial(request_chars, obj, _TEXT_KEYS),
            document=obj,
        )

    def usage_parser(self, endpoint: Endpoint, facts: RequestFacts, event_stream: bool) -> UsageParser:
        """The parser for the endpoint's response shape; a zero parser for endpoints that do not generate."""
        if not endpoint.generating:
            return NoUsageParser()
        if endpoint.api == CHAT:
            return ChatStreamParser(facts) if event_stream else OpenAIJsonParser(facts, "choices")
        if endpoint.api == COMPLETIONS:
            if event_stream:
                return ChatStreamParser(facts, COMPLETION_DELTA)
            return OpenAIJsonParser(facts, "choices")
        if endpoint.api == RESPONSES:
            return ResponsesStreamParser(facts) if event_stream else OpenAIJsonParser(facts, "output")
        if endpoint.api == EMBEDDINGS:
            return OpenAIJsonParser(facts, None)
        return NoUsageParser()

    def error_body(self, status: int, code: str, message: str) -> bytes:
        """`{"error":{"message":…,"type":code,"param":null,"code":code}}`, as OpenAI's SDKs expect."""
        return orjson.dumps({"error": {"message": message, "type": code, "param": None, "code": code}})


def _max_tokens(obj: JsonObject) -> int | None:
    for key in _MAX_TOKEN_KEYS:
        value = int_at(obj, key)
        if value is not None:
            return value
    return None
