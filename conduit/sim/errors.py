"""Error bodies of the simulated provider, in each provider's own shape and with its own error types.

Pure functions building bytes; imports only the standard library and orjson.
"""

from __future__ import annotations

import orjson

ANTHROPIC = "anthropic"
OPENAI = "openai"

_ANTHROPIC_TYPES = {
    400: ("invalid_request_error", "Invalid request."),
    401: ("authentication_error", "invalid x-api-key"),
    402: ("billing_error", "Your credit balance is too low to access the Anthropic API."),
    403: ("permission_error", "Your API key does not have permission to use the specified resource."),
    404: ("not_found_error", "Not found."),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of requests has exceeded your per-minute rate limit."),
    500: ("api_error", "Internal server error."),
    504: ("timeout_error", "Request timed out."),
    529: ("overloaded_error", "Overloaded"),
}
_OPENAI_TYPES = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Request not allowed."),
    404: ("invalid_request_error", None, "The requested resource does not exist."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
    500: ("server_error", None, "The server had an error while processing your request. Sorry about that!"),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


def anthropic_error(status: int, request_id: str, message: str | None = None) -> bytes:
    """An Anthropic error body, `{"type":"error","error":{"type":…,"message":…},"request_id":…}`."""
    kind, default = _ANTHROPIC_TYPES.get(status) or _ANTHROPIC_TYPES[500 if status >= 500 else 400]
    error = {"type": kind, "message": message or default}
    return orjson.dumps({"type": "error", "error": error, "request_id": request_id})


def openai_error(status: int, message: str | None = None, code: str | None = None) -> bytes:
    """An OpenAI error body, `{"error":{"message":…,"type":…,"param":null,"code":…}}`."""
    kind, default_code, default = _OPENAI_TYPES.get(status) or _OPENAI_TYPES[500 if status >= 500 else 400]
    error = {"message": message or default, "type": kind, "param": None, "code": code or default_code}
    return orjson.dumps({"error": error})


def error_body(provider: str, status: int, request_id: str, message: str | None = None) -> bytes:
    """An error body in `provider`'s shape (`anthropic` or `openai`)."""
    if provider == ANTHROPIC:
        return anthropic_error(status, request_id, message)
    return openai_error(status, message)
