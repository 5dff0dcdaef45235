"""A headline number with its caption, for the Overview's top row.

Imports textual and the dashboard's own widgets only.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from conduit.dashboard.widgets.text_line import TextLine


class Tile(Vertical):
    """A caption over a large value, e.g. `Today` / `$1,234.56`."""

    DEFAULT_CSS = """
    Tile { height: 3; width: 1fr; min-width: 10; padding: 0 1; background: $boost; margin-right: 1; }
    Tile > .tile--caption { color: $text-muted; }
    Tile > .tile--value { color: $text-accent; text-style: bold; }
    Tile > .tile--note { color: $text-muted; }
    """

    def __init__(self, caption: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._caption = caption

    def compose(self) -> ComposeResult:
        """The caption, the value and a one-line note."""
        yield TextLine(self._caption, classes="tile--caption")
        yield TextLine("…", classes="tile--value")
        yield TextLine("", classes="tile--note")

    def show(self, value: str, note: str = "") -> None:
        """Set the value and the note under it."""
        self.query_one(".tile--value", TextLine).show(value)
        self.query_one(".tile--note", TextLine).show(note)
