"""The usage event: one metadata-only record per request. It never holds prompt, completion or key material."""

from __future__ import annotations

from dataclasses import dataclass

from conduit.core.status import Status


@dataclass(frozen=True, slots=True)
class UsageEvent:
    """One request's metadata, as stored in the `usage_events` table (column names match field names)."""

    started_at_ms: int
    request_id: str
    provider: str
    api: str
    status: Status
    http_status: int | None
    model: str | None = None
    key_id: str | None = None
    key_name: str | None = None
    key_prefix: str | None = None
    team: str | None = None
    session_id: str | None = None
    client: str = "other"
    streamed: bool = False
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    tokens_estimated: bool = False
    cost_usd: float = 0.0
    priced: bool = True
    latency_ms: float = 0.0
    ttfb_ms: float | None = None
    request_bytes: int = 0
    response_bytes: int = 0
    governance_categories: str | None = None
    governance_action: str | None = None
    error_code: str | None = None
    governance_first: int | None = None
