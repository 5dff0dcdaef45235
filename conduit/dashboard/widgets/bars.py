"""Horizontal bars and progress bars drawn as Rich text with eighth-block characters, so they fit in a table
cell or a chart row at any width.

Imports rich and the dashboard's own palette only.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from conduit.dashboard.widgets.palette import Palette

EIGHTHS = " ▏▎▍▌▋▊▉█"
WARN_AT = 0.75
ALERT_AT = 0.9


def hbar(fraction: float, width: int, style: Style, track: Style | None = None) -> Text:
    """A bar `width` cells wide filled to `fraction` (clamped to 0..1), on an optional track."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = Text("█" * full, style=style)
    if part and full < width:
        text.append(EIGHTHS[part], style=style)
    rest = width - text.cell_len
    if rest > 0:
        text.append(("─" if track is not None else " ") * rest, style=track or Style())
    return text


def progress(fraction: float, width: int, palette: Palette) -> Text:
    """A budget bar: green, then amber from 75%, red from 90%; past 100% it is full and marked `!`."""
    if fraction >= ALERT_AT:
        style = palette.role("error")
    elif fraction >= WARN_AT:
        style = palette.role("warning")
    else:
        style = palette.role("success")
    bar = hbar(fraction, width, style, palette.role("muted"))
    bar.append(f" {min(fraction, 9.99) * 100:3.0f}%", style=style)
    if fraction > 1:
        bar.append("!", style=style + Style(bold=True))
    return bar
