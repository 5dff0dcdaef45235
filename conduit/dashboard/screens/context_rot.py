"""Context rot tab: requests bucketed by total input size (input plus cache tokens), with each bucket's share
of spend, average cost, error rate and latency percentiles, and a chart of cost against errors that marks the
buckets where the error rate climbs faster than the cost.

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3

from textual.app import ComposeResult
from textual.widgets import Static

from conduit.dashboard.formats import count, duration_ms, percent, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.live_table import LiveTable, Row
from conduit.dashboard.widgets.rot_chart import RotChart, RotLine
from conduit.store.queries import RotBucket, context_rot

COLUMNS = (
    ("bucket", "input size"), ("n_requests", "requests"), ("n_share", "spend share"), ("n_avg", "avg cost"),
    ("n_errors", "error rate"), ("n_p50", "p50"), ("n_p95", "p95"), ("n_ttfb50", "ttfb p50"),
    ("n_ttfb95", "ttfb p95"),
)
LEGEND = "▲ error rate climbs faster than cost from the bucket before"


class ContextRotView(View[list[RotBucket]]):
    """Cost and failure by context size."""

    TITLE = "Context rot"
    FOCUS = "#rot-table"

    def compose(self) -> ComposeResult:
        """The chart, its legend and the figures."""
        yield RotChart(id="rot-chart")
        yield Static(LEGEND, id="rot-legend", markup=False)
        yield LiveTable(COLUMNS, id="rot-table")

    def build_query(self, now_ms: int) -> Query[list[RotBucket]]:
        """The six buckets over the dashboard's window."""
        window = self.settings.window(now_ms)

        def query(conn: sqlite3.Connection) -> list[RotBucket]:
            return context_rot(conn, window)

        return query

    def show(self, payload: list[RotBucket], now_ms: int) -> bool:
        """Draw the chart and the table; outpacing buckets are in the warning colour."""
        palette = self.palette
        self.query_one("#rot-chart", RotChart).show(
            [RotLine(b.label, b.requests, b.avg_cost_usd, b.error_rate, b.error_outpaces_cost) for b in payload],
            palette,
        )
        rows: list[Row] = []
        for bucket in payload:
            style = palette.role("warning") if bucket.error_outpaces_cost else ""
            rows.append((bucket.label, [
                plain(bucket.label + (" ▲" if bucket.error_outpaces_cost else ""), style),
                num(count(bucket.requests)),
                num(percent(bucket.spend_share)),
                num(usd(bucket.avg_cost_usd)),
                num(percent(bucket.error_rate), style),
                num(duration_ms(bucket.latency_p50_ms)),
                num(duration_ms(bucket.latency_p95_ms)),
                num(duration_ms(bucket.ttfb_p50_ms)),
                num(duration_ms(bucket.ttfb_p95_ms)),
            ]))
        self.query_one("#rot-table", LiveTable).sync(rows)
        return True
