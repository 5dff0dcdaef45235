"""Cell renderers shared by the screens: right-aligned numbers, status words in their colour, muted text.

Imports rich and the dashboard's own palette only.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from conduit.dashboard.widgets.palette import Palette


def num(text: str, style: Style | str = "") -> Text:
    """A right-aligned numeric cell."""
    return Text(text, style=style, justify="right")


def plain(text: str | None, style: Style | str = "") -> Text:
    """A left-aligned text cell; None shows as a dash. Never parsed as markup."""
    return Text("–" if text is None else text, style=style)


def status(value: str, palette: Palette) -> Text:
    """A status word in its own colour."""
    return Text(value, style=palette.status(value))
