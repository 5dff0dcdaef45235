"""One request's journey through the proxy, accumulated as it happens and turned into a UsageEvent at the end.

Holds metadata only: never a body, a header value other than the session id, or a key.
"""

from __future__ import annotations

import time

from conduit.checks.base import Actual
from conduit.checks.gate import Pass
from conduit.checks.governance import Flags
from conduit.core.event import UsageEvent
from conduit.core.identity import Identity
from conduit.core.pricing import PriceBook
from conduit.core.status import Status
from conduit.core.usage import RequestFacts, Usage
from conduit.providers.base import Endpoint
from conduit.proxy.meter import Meter

_NO_FACTS = RequestFacts(json_ok=False)


class Exchange:
    """Mutable record of one request, filled in by the handler and closed into a UsageEvent."""

    __slots__ = (
        "request_id", "started_at_ms", "t0", "provider", "endpoint", "identity", "facts", "status",
        "http_status", "streamed", "meter", "ttfb_ms", "request_bytes", "error_code", "admission", "flags",
    )

    def __init__(self, request_id: str, provider: str, endpoint: Endpoint, identity: Identity) -> None:
        self.request_id = request_id
        self.started_at_ms = time.time_ns() // 1_000_000
        self.t0 = time.perf_counter()
        self.provider = provider
        self.endpoint = endpoint
        self.identity = identity
        self.facts = _NO_FACTS
        self.status = Status.PROXY_ERROR
        self.http_status: int | None = None
        self.streamed = False
        self.meter: Meter | None = None
        self.ttfb_ms: float | None = None
        self.request_bytes = 0
        self.error_code: str | None = None
        self.admission: Pass | None = None
        self.flags: Flags | None = None

    def elapsed_ms(self) -> float:
        """Milliseconds since the request arrived."""
        return (time.perf_counter() - self.t0) * 1000.0

    def fail(self, status: Status, http_status: int | None, code: str) -> None:
        """Mark the exchange as ended by `status` with an error `code`."""
        self.status, self.http_status, self.error_code = status, http_status, code

    def to_event(self, prices: PriceBook) -> UsageEvent:
        """The metadata-only event for this exchange, with usage and cost worked out."""
        usage, model = self._usage()
        generating = self.endpoint.generating
        cost_usd, priced = prices.cost(model, usage) if generating else (0.0, True)
        ident = self.identity
        return UsageEvent(
            started_at_ms=self.started_at_ms,
            request_id=self.request_id,
            provider=self.provider,
            api=self.endpoint.api,
            status=self.status,
            http_status=self.http_status,
            model=model,
            key_id=ident.key_id,
            key_name=ident.key_name,
            key_prefix=ident.key_prefix,
            team=ident.team,
            session_id=ident.session_id,
            client=ident.client,
            streamed=self.streamed,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
            tokens_estimated=usage.estimated,
            cost_usd=cost_usd,
            priced=priced,
            latency_ms=round(self.elapsed_ms(), 3),
            ttfb_ms=None if self.ttfb_ms is None else round(self.ttfb_ms, 3),
            request_bytes=self.request_bytes,
            response_bytes=self.meter.response_bytes if self.meter else 0,
            error_code=self.error_code,
            governance_categories=self.flags.categories if self.flags else None,
            governance_action=self.flags.action if self.flags else None,
            governance_first=self.flags.first if self.flags else None,
        )

    def close(self, prices: PriceBook) -> UsageEvent:
        """Settle the request's reservations with what it actually used and return its event."""
        event = self.to_event(prices)
        if self.admission is not None:
            tokens = event.input_tokens + event.output_tokens + event.cache_read_tokens + event.cache_write_tokens
            self.admission.settle(Actual(event.cost_usd, tokens))
            self.admission = None
        return event

    def _usage(self) -> tuple[Usage, str | None]:
        """Tokens to bill and the model name: metered for generating calls that got an answer, else zero."""
        meter = self.meter
        billable = self.status in (Status.SUCCESS, Status.CLIENT_ABORTED, Status.PROXY_ERROR)
        if meter is None or not self.endpoint.generating or not billable:
            return Usage(), self.facts.model
        if self.http_status is not None and not 200 <= self.http_status < 300:
            return Usage(), self.facts.model
        metered = meter.result(self.facts)
        return metered.usage, metered.model or self.facts.model
