"""The store's read side: the queries behind the dashboard, `conduit report` and `conduit demo`. Every function
takes an open sqlite3 connection (see `open_reader`), runs synchronously and returns frozen values, never content.

Most answers come from hourly rollups kept by the writer, with the partial hours at a window's edges read from
`usage_events`, so they are exact for any window. Imports the standard library, `conduit.core` and `conduit.store`.
"""

from __future__ import annotations

from conduit.store.queries.activity import (
    EventRow,
    event_by_id,
    events_after,
    recent_events,
)
from conduit.store.queries.buckets import BUCKETS, LATENCY_ERROR
from conduit.store.queries.budget_status import BudgetRow, budget_status
from conduit.store.queries.context_rot import RotBucket, context_rot
from conduit.store.queries.governance_summary import (
    GovernanceDay,
    GovernanceRow,
    GovernanceSummary,
    governance_summary,
)
from conduit.store.queries.overview import Overview, Ranked, overview
from conduit.store.queries.reader import open_reader
from conduit.store.queries.sessions import SessionRow, sessions
from conduit.store.queries.spend_by import SPEND_DIMENSIONS, SpendRow, spend_by
from conduit.store.queries.window import Window

__all__ = [
    "BUCKETS",
    "LATENCY_ERROR",
    "SPEND_DIMENSIONS",
    "BudgetRow",
    "EventRow",
    "GovernanceDay",
    "GovernanceRow",
    "GovernanceSummary",
    "Overview",
    "Ranked",
    "RotBucket",
    "SessionRow",
    "SpendRow",
    "Window",
    "budget_status",
    "context_rot",
    "event_by_id",
    "events_after",
    "governance_summary",
    "open_reader",
    "overview",
    "recent_events",
    "sessions",
    "spend_by",
]
