"""The fixed buckets the usage rollups are keyed by: the hour, the context-size bucket and the latency bin, plus
the status groups the queries count. Shared by the writer, the rollup rebuild and the queries, so all agree.

Pure: standard library only.
"""

from __future__ import annotations

import math

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS

# (label, low_tokens, high_tokens), low inclusive: see `context_tokens` for a request's size.
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("<8K", 0, 8_000),
    ("8–32K", 8_000, 32_000),
    ("32–64K", 32_000, 64_000),
    ("64–128K", 64_000, 128_000),
    ("128–200K", 128_000, 200_000),
    (">200K", 200_000, None),
)

# Latency histogram: bin b holds values in [RATIO**b, RATIO**(b+1)) ms; a percentile is reported as the bin's
# geometric midpoint, so it is within ±LATENCY_ERROR of the exact nearest-rank value.
RATIO = 1.1
LOG_RATIO = math.log(RATIO)
LATENCY_ERROR = math.sqrt(RATIO) - 1.0
METRIC_LATENCY = 0
METRIC_TTFB = 1

STATUSES = (
    "success", "upstream_error", "auth_failed", "rate_limited", "model_blocked", "budget_exceeded",
    "governance_blocked", "client_aborted", "proxy_error",
)
BLOCKED_STATUSES = ("auth_failed", "rate_limited", "model_blocked", "budget_exceeded", "governance_blocked")
ERROR_STATUSES = ("upstream_error", "proxy_error")
FORWARDED_STATUSES = ("success", "upstream_error", "client_aborted", "proxy_error")


def hour_of(at_ms: int) -> int:
    """The start (Unix ms) of the UTC hour holding `at_ms`."""
    return at_ms - at_ms % HOUR_MS


def context_tokens(input_tokens: int, cache_read_tokens: int, cache_write_tokens: int, request_bytes: int) -> int:
    """A request's context size: every prompt token, cached or not; when the provider reported none (a failed
    or denied request), one token per four bytes of the request body, Conduit's usual estimate."""
    tokens = input_tokens + cache_read_tokens + cache_write_tokens
    return tokens if tokens > 0 else (request_bytes + 3) // 4


# `context_tokens` over `usage_events` columns, in SQL.
CONTEXT_TOKENS_SQL = (
    "(CASE WHEN input_tokens + cache_read_tokens + cache_write_tokens > 0 "
    "THEN input_tokens + cache_read_tokens + cache_write_tokens ELSE (request_bytes + 3) / 4 END)"
)


def bucket_of(size_tokens: int) -> int:
    """The index in BUCKETS of a context size."""
    for index, (_, _, high) in enumerate(BUCKETS):
        if high is None or size_tokens < high:
            return index
    return len(BUCKETS) - 1


def bucket_sql(size_sql: str) -> str:
    """A SQL CASE expression giving the BUCKETS index of the size expression `size_sql`."""
    arms = " ".join(f"WHEN {size_sql} < {high} THEN {i}" for i, (_, _, high) in enumerate(BUCKETS) if high is not None)
    return f"(CASE {arms} ELSE {len(BUCKETS) - 1} END)"


def latency_bin(value_ms: float) -> int:
    """The histogram bin of a latency or time to first byte (values under 1 ms share bin 0)."""
    if value_ms <= 1.0:
        return 0
    return math.floor(math.log(value_ms) / LOG_RATIO)


def bin_value_ms(latency_bin_index: int) -> float:
    """The value a bin stands for: its geometric midpoint (1 ms for bin 0's sub-millisecond values)."""
    if latency_bin_index <= 0:
        return 1.0
    return float(RATIO ** (latency_bin_index + 0.5))


def statuses_sql(statuses: tuple[str, ...]) -> str:
    """A SQL list literal of status names, e.g. `('a', 'b')` (names are constants, never user input)."""
    return "(" + ", ".join(f"'{status}'" for status in statuses) + ")"
