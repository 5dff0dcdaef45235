"""Text widgets that redraw only when their text changes: a one-line TextLine that never asks for a new layout,
so a value that changes every second (a clock, a running total) costs one line of drawing, not a relayout of the
screen; and a TextBlock that may wrap.

Imports rich and textual only.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


class TextLine(Widget):
    """One line of plain text (never parsed as markup) or Rich text."""

    DEFAULT_CSS = """
    TextLine { height: 1; }
    """

    def __init__(self, text: str | Text = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text: str | Text = text

    @property
    def text(self) -> str:
        """The text shown, as plain text."""
        return self._text.plain if isinstance(self._text, Text) else self._text

    def show(self, text: str | Text) -> None:
        """Show `text`, repainting only if it differs from what is shown."""
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        """The text, cut at the widget's width."""
        text = self._text if isinstance(self._text, Text) else Text(self._text)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text


class TextBlock(Static):
    """Plain or Rich text that may wrap over several lines; re-laid out only when the text changes."""

    def __init__(self, text: str | Text = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(text, id=id, classes=classes, markup=False)
        self._text: str | Text = text

    def show(self, text: str | Text) -> None:
        """Show `text` if it differs from what is shown."""
        if text != self._text:
            self._text = text
            self.update(text)
