"""The `?` dialog: every key the dashboard answers to, global and per tab, read from the bindings themselves
so it cannot drift from them.

Imports textual only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

MOVING = (
    ("↑ ↓ PgUp PgDn Home End", "move in a table", "all"),
    ("Tab / Shift+Tab", "move between widgets", "all"),
    ("Enter", "details of the selected event", "Activity"),
    ("Esc", "close a dialog, leave the filter box", "all"),
    ("Ctrl+P", "command palette (themes, quit)", "all"),
)


def binding_rows(where: str, bindings: Sequence[BindingType]) -> list[tuple[str, str, str]]:
    """`(key, what it does, where)` rows for the bindings that have a description."""
    rows = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            key = {"question_mark": "?", "slash": "/", "escape": "Esc"}.get(binding.key, binding.key)
            rows.append((key, binding.tooltip or binding.description, where))
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of all key bindings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
                            border: round $accent; background: $surface; padding: 0 1; }
    HelpScreen DataTable { height: auto; max-height: 40; }
    HelpScreen .hint { color: $text-muted; }
    """

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = [*rows, *MOVING]

    def compose(self) -> ComposeResult:
        """The key table and a hint."""
        with Vertical() as box:
            box.border_title = "Keys"
            yield DataTable(cursor_type="row", id="keys")
            yield Static("Esc closes.", classes="hint")

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#keys", DataTable)
        table.add_columns("key", "does", "where")
        for row in self._rows:
            table.add_row(*row)
        table.focus()

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
