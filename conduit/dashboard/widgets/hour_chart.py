"""A column chart of a series (spend per hour), several rows tall, drawn with eighth blocks, with a scale
label and a few axis labels. It fills the width it is given.

Imports rich, textual and the dashboard's own palette only.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from conduit.dashboard.widgets.palette import Palette

BLOCKS = " ▁▂▃▄▅▆▇█"


class ColumnChart(Widget):
    """Columns for `(axis_label, value)` points; the top line shows `caption` and the largest value."""

    DEFAULT_CSS = """
    ColumnChart { height: 7; }
    """

    def __init__(self, caption: str, *, max_step: int = 8, id: str | None = None) -> None:
        super().__init__(id=id)
        self._caption = caption
        self._max_step = max_step
        self._points: tuple[tuple[str, float], ...] = ()
        self._scale_text = ""
        self._palette: Palette | None = None

    def show(self, points: Sequence[tuple[str, float]], scale_text: str, palette: Palette) -> None:
        """Draw `points`; `scale_text` describes the tallest column (e.g. `$12.30/h`). Unchanged input is not
        redrawn."""
        if (tuple(points), scale_text, palette) != (self._points, self._scale_text, self._palette):
            self._points, self._scale_text, self._palette = tuple(points), scale_text, palette
            self.refresh()

    def render(self) -> Text:
        """The caption line, the columns, and the axis labels."""
        width, height = self.size.width, max(self.size.height, 3)
        text = Text(f"{self._caption}  (max {self._scale_text})" if self._points else self._caption, style="bold")
        if not self._points or self._palette is None:
            return text
        step = min(max(1, width // len(self._points)), self._max_step)
        bar_width = max(1, step - 1) if step > 2 else step
        top = max(value for _, value in self._points) or 1.0
        rows = height - 2
        style = self._palette.role("bar")
        gap = " " * (step - bar_width)
        for row in range(rows, 0, -1):
            line = "".join(
                BLOCKS[min(max(round(value / top * rows * 8) - (row - 1) * 8, 0), 8)] * bar_width + gap
                for _, value in self._points
            )
            text.append("\n")
            text.append(line, style=style)
        text.append("\n")
        text.append(self._axis(step), style=self._palette.role("muted"))
        return text

    def _axis(self, step: int) -> str:
        """Axis labels under every column that has room for one."""
        line = ""
        for index, (label, _) in enumerate(self._points):
            at = index * step
            if label and len(line) <= at and at + len(label) <= self.size.width:
                line = line.ljust(at) + label
        return line
