"""The detail dialog of one event: every stored field (metadata only; Conduit stores no content), with times,
money and status written for a person. Escape or Enter closes it.

Imports textual and the dashboard's own modules.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from conduit.dashboard.formats import count, date_time, duration_ms, usd
from conduit.dashboard.widgets.palette import Palette
from conduit.store.queries import EventRow

_MONEY = ("cost_usd",)
_DURATIONS = ("latency_ms", "ttfb_ms")
_MOMENTS = ("started_at_ms",)
_FLAGS = ("streamed", "tokens_estimated", "priced", "governance_first")
_COUNTS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "request_bytes",
           "response_bytes")


class EventDetail(ModalScreen[None]):
    """All fields of one usage event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
    ]
    DEFAULT_CSS = """
    EventDetail { align: center middle; }
    EventDetail > Vertical { width: 80; max-width: 100%; height: auto; max-height: 100%;
                             border: round $accent; background: $surface; padding: 0 1; }
    EventDetail DataTable { height: auto; max-height: 30; }
    EventDetail .hint { color: $text-muted; }
    """

    def __init__(self, event: EventRow, tz: tzinfo, palette: Palette) -> None:
        super().__init__()
        self.event, self._tz, self._palette = event, tz, palette

    def compose(self) -> ComposeResult:
        """The field table and a hint line."""
        with Vertical() as box:
            box.border_title = f"Event {self.event.id}"
            yield DataTable(cursor_type="row", show_header=False, id="fields")
            yield Static("Metadata only: Conduit never stores prompts or completions.  Esc closes.", classes="hint")

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#fields", DataTable)
        table.add_columns("field", "value")
        for field in fields(self.event):
            value = getattr(self.event, field.name)
            table.add_row(Text(field.name, style="bold"), self._cell(field.name, value), key=field.name)
        table.focus()

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        """Enter closes the dialog too."""
        self.dismiss(None)

    def _cell(self, name: str, value: object) -> Text:
        if value is None:
            return Text("–", style=self._palette.role("muted"))
        if isinstance(value, bool) or name in _FLAGS:
            return Text("yes" if value else "no")
        if name == "status":
            return Text(str(value), style=self._palette.status(str(value)))
        if name in _MOMENTS and isinstance(value, int):
            return Text(f"{date_time(value, self._tz)}  ({value})")
        if name in _MONEY and isinstance(value, float | int):
            return Text(usd(float(value)))
        if name in _DURATIONS and isinstance(value, float | int):
            return Text(duration_ms(float(value)))
        if name in _COUNTS and isinstance(value, int):
            return Text(count(value))
        return Text(str(value))
