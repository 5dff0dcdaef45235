"""Governance tab: hits by category and action (first appearances vs repeats), hits per day as a chart, and
the engineers whose requests were flagged. Only category names are stored, never the matched values.

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from conduit.dashboard.formats import count
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.hour_chart import ColumnChart
from conduit.dashboard.widgets.live_table import LiveTable, Row
from conduit.store.queries import GovernanceSummary, governance_summary

CATEGORY_COLUMNS = (
    ("category", "category"), ("action", "action"), ("n_events", "hits"), ("n_first", "first seen"),
    ("n_repeats", "repeats"),
)
ENGINEER_COLUMNS = (("engineer", "engineer"), ("n_flagged", "flagged"))


class GovernanceView(View[GovernanceSummary]):
    """What governance caught, when, and whose requests carried it."""

    TITLE = "Governance"
    FOCUS = "#categories"

    def compose(self) -> ComposeResult:
        """The per-day chart, then the category and engineer tables side by side."""
        yield ColumnChart("Governance hits per day", id="gov-days")
        with Horizontal():
            with Vertical(classes="wide"):
                yield Static("By category and action", classes="caption")
                yield LiveTable(CATEGORY_COLUMNS, id="categories")
            with Vertical():
                yield Static("By engineer", classes="caption")
                yield LiveTable(ENGINEER_COLUMNS, id="gov-engineers")

    def build_query(self, now_ms: int) -> Query[GovernanceSummary]:
        """The governance summary over the dashboard's window."""
        window, tz = self.settings.window(now_ms), self.settings.tz

        def query(conn: sqlite3.Connection) -> GovernanceSummary:
            return governance_summary(conn, window, tz=tz)

        return query

    def show(self, payload: GovernanceSummary, now_ms: int) -> bool:
        """Fill the chart and the tables."""
        per_day: dict[str, int] = defaultdict(int)
        for day in payload.days:
            per_day[day.day] += day.events
        points = [(day[5:], float(events)) for day, events in sorted(per_day.items())]
        peak = max((value for _, value in points), default=0.0)
        self.query_one("#gov-days", ColumnChart).show(points, f"{count(int(peak))}/day", self.palette)
        palette = self.palette
        rows: list[Row] = [
            (
                f"{row.category}:{row.action}",
                [
                    plain(row.category),
                    plain(row.action, palette.role("error" if row.action == "block" else "warning")),
                    num(count(row.events)),
                    num(count(row.first)),
                    num(count(row.repeats)),
                ],
            )
            for row in payload.rows
        ]
        self.query_one("#categories", LiveTable).sync(rows)
        self.query_one("#gov-engineers", LiveTable).sync(
            [(item.label, [plain(item.label), num(count(item.requests))]) for item in payload.by_engineer]
        )
        return True
