"""The export's column set is exactly the documented one, in order, in every format."""

from __future__ import annotations

from conduit.store.export_lines import EXPORT_COLUMNS

DOCUMENTED = (
    "timestamp", "request_id", "key_name", "key_prefix", "team", "provider", "api", "model", "client", "session_id",
    "status", "http_status", "streamed", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens",
    "tokens_estimated", "cost_usd", "priced", "latency_ms", "ttfb_ms", "request_bytes", "response_bytes",
    "governance_categories", "governance_action", "error_code",
)


def test_columns_are_exactly_the_documented_set_in_order() -> None:
    assert EXPORT_COLUMNS == DOCUMENTED
