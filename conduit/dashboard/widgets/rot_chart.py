"""The context-rot chart: one line per input-size bucket with its average cost and its error rate as bars side
by side, so the cost curve and the error curve read at a glance; buckets whose error rate climbs faster than
their cost are marked.

Imports rich, textual and the dashboard's own modules only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from conduit.dashboard.formats import percent, usd
from conduit.dashboard.widgets.bars import hbar
from conduit.dashboard.widgets.palette import Palette

LABEL_CELLS = 11
COST_CELLS = 9
RATE_CELLS = 7
MARK = " ▲"


@dataclass(frozen=True, slots=True)
class RotLine:
    """One bucket as the chart needs it."""

    label: str
    requests: int
    avg_cost_usd: float
    error_rate: float
    outpaces: bool


class RotChart(Widget):
    """Average cost and error rate per context-size bucket, as paired bars."""

    DEFAULT_CSS = """
    RotChart { height: 8; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: tuple[RotLine, ...] = ()
        self._palette: Palette | None = None

    def show(self, lines: Sequence[RotLine], palette: Palette) -> None:
        """Draw the buckets (unchanged input is not redrawn)."""
        if (tuple(lines), palette) != (self._lines, self._palette):
            self._lines, self._palette = tuple(lines), palette
            self.refresh()

    def render(self) -> Text:
        """A header line, then one line per bucket."""
        palette = self._palette
        bar_cells = max(4, (self.size.width - LABEL_CELLS - COST_CELLS - RATE_CELLS - len(MARK) - 3) // 2)
        text = Text("input size".ljust(LABEL_CELLS) + "avg cost per request".ljust(bar_cells + COST_CELLS + 1)
                    + " error rate", style="bold")
        if palette is None:
            return text
        top_cost = max((line.avg_cost_usd for line in self._lines), default=0.0) or 1.0
        top_rate = max((line.error_rate for line in self._lines), default=0.0) or 1.0
        track = palette.role("muted")
        for line in self._lines:
            text.append("\n")
            text.append(line.label.ljust(LABEL_CELLS), style=palette.role("warning") if line.outpaces else Style())
            if line.requests == 0:
                text.append("no requests", style=track)
                continue
            text.append_text(hbar(line.avg_cost_usd / top_cost, bar_cells, palette.role("bar"), track))
            text.append(usd(line.avg_cost_usd).rjust(COST_CELLS) + "  ")
            text.append_text(hbar(line.error_rate / top_rate, bar_cells, palette.role("bar-bad"), track))
            text.append(percent(line.error_rate).rjust(RATE_CELLS))
            if line.outpaces:
                text.append(MARK, style=palette.role("warning") + Style(bold=True))
        return text
