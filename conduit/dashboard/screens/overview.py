"""Overview tab: spend today / 7 days / 30 days, requests and tokens in the window, prompt-cache savings,
blocked requests by reason, spend per hour over the last day, top engineers and models.

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from conduit.dashboard.formats import count, tokens, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.hour_chart import ColumnChart
from conduit.dashboard.widgets.live_table import LiveTable, Row
from conduit.dashboard.widgets.text_line import TextBlock
from conduit.dashboard.widgets.tiles import Tile
from conduit.store.queries import Overview, Ranked, overview

TOP = 5
_RANK_COLUMNS = (("label", "name"), ("n_cost", "cost"), ("n_requests", "requests"))


class OverviewView(View[Overview]):
    """The headline numbers and the last day at a glance."""

    TITLE = "Overview"
    FOCUS = "#top-engineers"

    def compose(self) -> ComposeResult:
        """Tiles, the blocked line, the hourly chart, and the two top lists."""
        with VerticalScroll():
            with Horizontal(id="tiles"):
                yield Tile("Today", id="tile-today")
                yield Tile("7 days", id="tile-7d")
                yield Tile("30 days", id="tile-30d")
                yield Tile("Requests", id="tile-requests")
                yield Tile("Tokens in/out", id="tile-tokens")
                yield Tile("Cache saved", id="tile-cache")
            yield TextBlock("", id="blocked")
            yield ColumnChart("Spend per hour, last 24 hours", id="hourly")
            with Horizontal(id="tops"):
                with Vertical():
                    yield Static("Top engineers", classes="caption")
                    yield LiveTable(_RANK_COLUMNS, id="top-engineers")
                with Vertical():
                    yield Static("Top models", classes="caption")
                    yield LiveTable(_RANK_COLUMNS, id="top-models")

    def build_query(self, now_ms: int) -> Query[Overview]:
        """The overview over the dashboard's window."""
        window, prices, tz = self.settings.window(now_ms), self.settings.prices, self.settings.tz

        def query(conn: sqlite3.Connection) -> Overview:
            return overview(conn, window, now_ms, prices=prices, tz=tz, top=TOP)

        return query

    def show(self, payload: Overview, now_ms: int) -> bool:
        """Fill the tiles, the blocked line, the chart and the top lists."""
        data = payload
        self.query_one("#tile-today", Tile).show(usd(data.spend_today_usd))
        self.query_one("#tile-7d", Tile).show(usd(data.spend_7d_usd))
        self.query_one("#tile-30d", Tile).show(usd(data.spend_30d_usd))
        blocked = sum(data.blocked.values())
        self.query_one("#tile-requests", Tile).show(count(data.requests), f"{count(blocked)} blocked")
        self.query_one("#tile-tokens", Tile).show(
            f"{tokens(data.input_tokens)}/{tokens(data.output_tokens)}",
            f"+{tokens(data.cache_read_tokens + data.cache_write_tokens)} cache",
        )
        self.query_one("#tile-cache", Tile).show(usd(data.cache_savings_usd), f"{tokens(data.cache_read_tokens)} read")
        self.query_one("#blocked", TextBlock).show(self._blocked_text(data.blocked))
        self.query_one("#hourly", ColumnChart).show(
            [(self._hour_label(at_ms), cost) for at_ms, cost in data.spend_per_hour],
            f"{usd(max((cost for _, cost in data.spend_per_hour), default=0.0))}/h",
            self.palette,
        )
        self.query_one("#top-engineers", LiveTable).sync(_ranked_rows(data.top_engineers))
        self.query_one("#top-models", LiveTable).sync(_ranked_rows(data.top_models))
        return True

    def _blocked_text(self, blocked: dict[str, int]) -> Text:
        total = sum(blocked.values())
        text = Text("Blocked in window: ", style="bold")
        text.append(count(total), style=self.palette.role("error" if total else "success"))
        for status, number in blocked.items():
            text.append("   ")
            text.append(status, style=self.palette.status(status))
            text.append(f" {count(number)}")
        return text

    def _hour_label(self, at_ms: int) -> str:
        hour = datetime.fromtimestamp(at_ms / 1000, self.settings.tz).hour
        return f"{hour:02d}h" if hour % 6 == 0 else ""


def _ranked_rows(ranked: list[Ranked]) -> list[Row]:
    return [
        (item.label, [plain(item.label), num(usd(item.cost_usd)), num(count(item.requests))]) for item in ranked
    ]
