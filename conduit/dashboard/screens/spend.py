"""Spend tab: spend by engineer/key, team, model, provider or day over a chosen window, with sortable columns.
`b` picks the dimension, `w` the window, `s` the sort column (or click a header), `S` flips the order.

Imports textual, `conduit.core`, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from conduit.core.moments import moment_ms
from conduit.dashboard.formats import count, percent, tokens, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.live_table import LiveTable, Row
from conduit.dashboard.widgets.text_line import TextLine
from conduit.store.queries import SPEND_DIMENSIONS, SpendRow, Window, spend_by

WINDOW_CHOICES = ("today", "24h", "7d", "30d", "")
SORTS: dict[str, tuple[str, Callable[[SpendRow], float | str]]] = {
    "label": ("name", lambda row: row.label.lower()),
    "n_cost": ("cost", lambda row: row.cost_usd),
    "n_requests": ("requests", lambda row: row.requests),
    "n_errors": ("errors", lambda row: row.errors),
    "n_input": ("tokens in", lambda row: row.input_tokens),
    "n_output": ("tokens out", lambda row: row.output_tokens),
    "n_cache_read": ("cache read", lambda row: row.cache_read_tokens),
    "n_cache_write": ("cache write", lambda row: row.cache_write_tokens),
}
COLUMNS = (
    ("label", "engineer  "), ("n_cost", "cost"), ("n_share", "share"), ("n_requests", "requests"),
    ("n_errors", "errors"), ("n_input", "tokens in"), ("n_output", "tokens out"), ("n_cache_read", "cache read"),
    ("n_cache_write", "cache write"),
)


def window_words(since: str) -> str:
    """A window choice in words."""
    return {"today": "today", "": "all time"}.get(since, f"last {since}")


class SpendView(View[list[SpendRow]]):
    """Spend broken down by one dimension."""

    TITLE = "Spend"
    FOCUS = "#spend"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "next_dimension", "By", tooltip="spend by engineer, team, model, provider or day"),
        Binding("w", "next_window", "Window", tooltip="window: today, 24h, 7 days, 30 days, all time"),
        Binding("s", "next_sort", "Sort", tooltip="sort by the next column (or click a header)"),
        Binding("S", "flip_sort", "Flip order", tooltip="flip the sort order"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        since = self.settings.since or ""
        self.windows = WINDOW_CHOICES if since in WINDOW_CHOICES else (since, *WINDOW_CHOICES)
        self.window_index = self.windows.index(since)
        self.by = SPEND_DIMENSIONS[0]
        self.sort_key, self.descending = "n_cost", True
        self._rows: list[SpendRow] = []

    def compose(self) -> ComposeResult:
        """A heading line and the table."""
        yield TextLine("", id="spend-heading")
        yield LiveTable(COLUMNS, id="spend")

    @property
    def since(self) -> str:
        """The chosen window, as a `--since` value (empty: all time)."""
        return self.windows[self.window_index]

    def build_query(self, now_ms: int) -> Query[list[SpendRow]]:
        """Spend by the chosen dimension over the chosen window."""
        window = Window(since_ms=moment_ms(self.since, now_ms) if self.since else None)
        by, tz = self.by, self.settings.tz

        def query(conn: sqlite3.Connection) -> list[SpendRow]:
            return spend_by(conn, window, by, tz=tz)

        return query

    def show(self, payload: list[SpendRow], now_ms: int) -> bool:
        """Keep the rows and draw them in the chosen order."""
        self._rows = payload
        self._draw()
        return True

    def _draw(self) -> None:
        rows = sorted(self._rows, key=SORTS[self.sort_key][1], reverse=self.descending)
        total = sum(row.cost_usd for row in rows)
        table = self.query_one("#spend", LiveTable)
        table.set_labels(self._labels())
        table.sync([_row(row, total) for row in rows])
        requests = sum(row.requests for row in rows)
        self.query_one("#spend-heading", TextLine).show(
            f"Spend by {self.by} · {window_words(self.since)} · {usd(total)} over {count(requests)} requests"
            f" · sorted by {SORTS[self.sort_key][0]}"
        )

    def _labels(self) -> dict[str, str]:
        """Column headers with the sort arrow; every header keeps room for one, so widths never change."""
        arrow = " ▼" if self.descending else " ▲"
        labels = {key: label + (arrow if key == self.sort_key else "  ") for key, label in COLUMNS}
        width = max(len(name) for name in SPEND_DIMENSIONS)
        labels["label"] = (self.by + (arrow if self.sort_key == "label" else "")).ljust(width + 2)
        return labels

    def action_next_dimension(self) -> None:
        """Break spend down by the next dimension (engineer, team, model, provider, day)."""
        self.by = SPEND_DIMENSIONS[(SPEND_DIMENSIONS.index(self.by) + 1) % len(SPEND_DIMENSIONS)]
        if self.by == "day":
            self.sort_key, self.descending = "label", False
        self.refresh_data()

    def action_next_window(self) -> None:
        """Switch to the next window (today, 24 hours, 7 days, 30 days, all time)."""
        self.window_index = (self.window_index + 1) % len(self.windows)
        self.refresh_data()

    def action_next_sort(self) -> None:
        """Sort by the next column."""
        keys = list(SORTS)
        self.sort_by(keys[(keys.index(self.sort_key) + 1) % len(keys)])

    def action_flip_sort(self) -> None:
        """Reverse the order."""
        self.descending = not self.descending
        self._draw()

    def sort_by(self, key: str) -> None:
        """Sort by column `key`: names ascending, numbers descending first."""
        self.sort_key, self.descending = key, key != "label"
        self._draw()

    @on(DataTable.HeaderSelected, "#spend")
    def _header_selected(self, message: DataTable.HeaderSelected) -> None:
        key = str(message.column_key.value)
        if key == self.sort_key:
            self.action_flip_sort()
        elif key in SORTS:
            self.sort_by(key)


def _row(row: SpendRow, total_usd: float) -> Row:
    return (
        row.label,
        [
            plain(row.label),
            num(usd(row.cost_usd)),
            num(percent(row.cost_usd / total_usd) if total_usd else "–"),
            num(count(row.requests)),
            num(count(row.errors)),
            num(tokens(row.input_tokens)),
            num(tokens(row.output_tokens)),
            num(tokens(row.cache_read_tokens)),
            num(tokens(row.cache_write_tokens)),
        ],
    )
