"""Activity tab: the live request feed, newest at the bottom. Follow mode keeps the cursor on the newest row;
`/` filters (free text, plus `status:<name>`); Enter opens one event's metadata. After the first screenful it
only asks for events newer than the last one seen.

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input

from conduit.dashboard.formats import duration_ms, feed_time, tokens, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.screens.event_detail import EventDetail
from conduit.dashboard.widgets.cells import num, plain, status
from conduit.dashboard.widgets.live_table import LiveTable
from conduit.dashboard.widgets.text_line import TextLine
from conduit.store.queries import EventRow, events_after, recent_events

FIRST_ROWS = 200
MAX_ROWS = 500
BATCH_ROWS = 1000
COLUMNS = (
    ("time", "time"), ("engineer", "engineer / key"), ("model", "model"), ("status", "status"),
    ("n_cost", "cost"), ("n_tokens", "tokens in→out"), ("n_latency", "latency"), ("client", "client"),
    ("flags", "governance"),
)


@dataclass(frozen=True, slots=True)
class Feed:
    """Events fetched for one filter version: a fresh screenful (`reset`) or the ones after the last seen."""

    version: int
    reset: bool
    rows: list[EventRow]
    newest_id: int


@dataclass(frozen=True, slots=True)
class Filter:
    """The feed's filter: free text and an optional exact status."""

    text: str = ""
    status: str | None = None

    @classmethod
    def parse(cls, value: str) -> Filter:
        """`status:rate_limited alice` → status `rate_limited`, text `alice`."""
        words, found = [], None
        for word in value.split():
            if word.lower().startswith("status:") and len(word) > len("status:"):
                found = word.split(":", 1)[1].lower()
            else:
                words.append(word)
        return cls(" ".join(words), found)


class ActivityView(View[Feed]):
    """The live feed of requests."""

    TITLE = "Activity"
    FOCUS = "#feed"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="filter the feed: text, and status:<name>"),
        Binding("f", "follow", "Follow", tooltip="follow the newest request on or off"),
        Binding("x", "clear_filter", "Clear filter", tooltip="clear the filter"),
        Binding("escape", "leave_filter", "Back to the feed", show=False),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.filter = Filter()
        self.following = True
        self._version = 0
        self._last_id: int | None = None
        self._events: dict[int, EventRow] = {}

    def compose(self) -> ComposeResult:
        """The filter box, the feed, and a one-line state."""
        box = Input(placeholder="/ filter: engineer, model, client, team…  status:rate_limited", id="filter")
        box.can_focus = False  # only `/` enters it, so keys typed while switching tabs never land in it
        yield box
        yield LiveTable(COLUMNS, id="feed")
        yield TextLine("", id="feed-state")

    def build_query(self, now_ms: int) -> Query[Feed]:
        """A fresh screenful after a filter change, else only the events after the last one seen."""
        version, last_id, text, wanted = self._version, self._last_id, self.filter.text, self.filter.status

        def query(conn: sqlite3.Connection) -> Feed:
            if last_id is None:
                rows = recent_events(conn, limit=FIRST_ROWS, text=text, status=wanted)[::-1]
                newest = rows[-1].id if rows else max((row.id for row in recent_events(conn, limit=1)), default=0)
                return Feed(version, True, rows, newest)
            rows = events_after(conn, last_id, limit=BATCH_ROWS, text=text, status=wanted)
            return Feed(version, False, rows, rows[-1].id if rows else last_id)

        return query

    def show(self, payload: Feed, now_ms: int) -> bool:
        """Append (or, after a filter change, replace) rows; in follow mode keep the newest row in view."""
        if payload.version != self._version:
            self.call_later(self.refresh_data)
            return False
        table = self.query_one("#feed", LiveTable)
        if payload.reset:
            table.clear()
            self._events.clear()
        for event in payload.rows:
            table.add_row(*self._cells(event, now_ms), key=str(event.id))
            self._events[event.id] = event
        while table.row_count > MAX_ROWS:
            oldest = min(self._events)
            table.remove_row(str(oldest))
            del self._events[oldest]
        self._last_id = payload.newest_id
        if self.following:
            self._follow(table)
        self._show_state()
        return True

    def _follow(self, table: LiveTable) -> None:
        """Put the cursor on the newest row and scroll to the end once the new rows are laid out."""
        if table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False, scroll=False)
            table.scroll_end(animate=False)

    def _cells(self, event: EventRow, now_ms: int) -> list[Text]:
        tz, palette = self.settings.tz, self.palette
        prompt = event.input_tokens + event.cache_read_tokens + event.cache_write_tokens
        flags = event.governance_categories or ""
        if flags and event.governance_action:
            flags = f"{event.governance_action}: {flags}"
        return [
            plain(feed_time(event.started_at_ms, now_ms, tz), palette.role("muted")),
            plain(event.key_name or event.key_prefix or "(unknown)"),
            plain(event.model),
            status(event.status, palette),
            num(usd(event.cost_usd)),
            num(f"{tokens(prompt)}→{tokens(event.output_tokens)}"),
            num(duration_ms(event.latency_ms)),
            plain(event.client),
            plain(flags, palette.role("warning") if flags else ""),
        ]

    def _show_state(self) -> None:
        parts = ["following" if self.following else "paused (f to follow)"]
        if self.filter.text or self.filter.status:
            status_part = f"status:{self.filter.status}" if self.filter.status else ""
            shown = " ".join(part for part in (self.filter.text, status_part) if part)
            parts.append(f"filter: {shown} (x clears)")
        parts.append(f"{len(self._events)} shown · Enter: details")
        self.query_one("#feed-state", TextLine).show(" · ".join(parts))

    def set_filter(self, value: str) -> None:
        """Show only events matching `value` (free text and `status:<name>`), starting from a fresh screenful."""
        self.filter = Filter.parse(value)
        self._version += 1
        self._last_id = None
        self.refresh_data()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        self.set_filter(message.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, message: Input.Submitted) -> None:
        self._to_feed()

    @on(DataTable.RowSelected, "#feed")
    def _row_selected(self, message: DataTable.RowSelected) -> None:
        event = self._events.get(int(str(message.row_key.value)))
        if event is not None:
            self.app.push_screen(EventDetail(event, self.settings.tz, self.palette))

    def action_filter(self) -> None:
        """Move to the filter box."""
        box = self.query_one("#filter", Input)
        box.can_focus = True
        box.focus()

    def action_leave_filter(self) -> None:
        """Back from the filter box to the feed, keeping the filter."""
        self._to_feed()

    def action_clear_filter(self) -> None:
        """Drop the filter."""
        self.query_one("#filter", Input).value = ""
        self._to_feed()

    def _to_feed(self) -> None:
        """Focus the feed; the filter box takes focus again only through `/`."""
        self.query_one("#feed", LiveTable).focus()
        self.query_one("#filter", Input).can_focus = False

    def action_follow(self) -> None:
        """Toggle follow mode."""
        self.following = not self.following
        if self.following:
            self._follow(self.query_one("#feed", LiveTable))
        self._show_state()
