"""The JSON documents `conduit report … --json` prints: one object per report, with its window (or moment) in
ISO 8601 UTC and Unix ms, USD rounded to 6 decimals, and only metadata (labels, counts, sums).

Imports the standard library, `conduit.core.moments` and `conduit.store.queries` (types only) at module level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conduit.core.moments import iso_ms

if TYPE_CHECKING:
    from conduit.store.queries import (
        BudgetRow,
        GovernanceSummary,
        RotBucket,
        SpendRow,
        Window,
    )

USD_DIGITS = 6
RATE_DIGITS = 6


def iso(at_ms: int | None) -> str | None:
    """A Unix-ms moment as `2026-11-23T18:00:00.000Z` (None stays None)."""
    return None if at_ms is None else iso_ms(at_ms)


def usd(value: float) -> float:
    """USD rounded for a stable document."""
    return round(value, USD_DIGITS)


def window_json(window: Window, tz: str) -> dict[str, object]:
    """The window a report covers (`since`/`until` null when unbounded) and the timezone of its days."""
    return {"since": iso(window.since_ms), "until": iso(window.until_ms), "since_ms": window.since_ms,
            "until_ms": window.until_ms, "timezone": tz}


def spend_json(by: str, window: Window, tz: str, rows: Sequence[SpendRow], total: SpendRow) -> dict[str, object]:
    """`conduit report spend --json`."""
    return {"report": "spend", "by": by, "window": window_json(window, tz),
            "rows": [_spend_row(row) for row in rows], "total": _spend_row(total)}


def _spend_row(row: SpendRow) -> dict[str, object]:
    return {"label": row.label, "requests": row.requests, "input_tokens": row.input_tokens,
            "output_tokens": row.output_tokens, "cache_read_tokens": row.cache_read_tokens,
            "cache_write_tokens": row.cache_write_tokens, "cost_usd": usd(row.cost_usd), "errors": row.errors}


def budgets_json(now_ms: int, tz: str, rows: Sequence[BudgetRow]) -> dict[str, object]:
    """`conduit report budgets --json`."""
    return {"report": "budgets", "now": iso(now_ms), "now_ms": now_ms, "timezone": tz,
            "budgets": [_budget_row(row) for row in rows]}


def _budget_row(row: BudgetRow) -> dict[str, object]:
    return {
        "scope": row.scope, "name": row.name, "period": row.period, "limit_usd": usd(row.limit_usd),
        "spent_usd": usd(row.spent_usd), "remaining_usd": usd(max(0.0, row.limit_usd - row.spent_usd)),
        "used_share": round(row.spent_usd / row.limit_usd, RATE_DIGITS) if row.limit_usd > 0 else None,
        "period_start": iso(row.period_start_ms), "resets_at": iso(row.resets_at_ms),
        "burn_usd_per_hour": usd(row.burn_usd_per_hour), "exhausts_at": iso(row.exhausts_at_ms),
    }


def context_rot_json(window: Window, tz: str, buckets: Sequence[RotBucket], accuracy: float) -> dict[str, object]:
    """`conduit report context-rot --json`; `latency_accuracy` bounds the percentiles' relative error."""
    return {"report": "context-rot", "window": window_json(window, tz),
            "latency_accuracy": round(accuracy, RATE_DIGITS), "buckets": [_rot_row(b) for b in buckets]}


def _rot_row(bucket: RotBucket) -> dict[str, object]:
    return {
        "label": bucket.label, "low_tokens": bucket.low_tokens, "high_tokens": bucket.high_tokens,
        "requests": bucket.requests, "cost_usd": usd(bucket.cost_usd),
        "spend_share": round(bucket.spend_share, RATE_DIGITS), "avg_cost_usd": usd(bucket.avg_cost_usd),
        "error_rate": round(bucket.error_rate, RATE_DIGITS), "latency_p50_ms": _ms(bucket.latency_p50_ms),
        "latency_p95_ms": _ms(bucket.latency_p95_ms), "ttfb_p50_ms": _ms(bucket.ttfb_p50_ms),
        "ttfb_p95_ms": _ms(bucket.ttfb_p95_ms), "error_outpaces_cost": bucket.error_outpaces_cost,
    }


def governance_json(window: Window, tz: str, summary: GovernanceSummary) -> dict[str, object]:
    """`conduit report governance --json`: category names and counts only, never a matched value."""
    return {
        "report": "governance", "window": window_json(window, tz),
        "categories": [{"category": r.category, "action": r.action, "events": r.events, "first": r.first,
                        "repeats": r.repeats} for r in summary.rows],
        "by_engineer": [{"engineer": r.label, "events": r.requests, "cost_usd": usd(r.cost_usd)}
                        for r in summary.by_engineer],
        "days": [{"day": d.day, "category": d.category, "events": d.events} for d in summary.days],
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
