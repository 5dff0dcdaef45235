"""The friendly full-screen message shown instead of the tabs when there is nothing to show yet (no database,
no events) or the database cannot be read (written by a newer Conduit, damaged).

Imports textual only.
"""

from __future__ import annotations

from textual.widgets import Static


class Notice(Static):
    """A bordered message with a title; hidden until `tell()` is called."""

    DEFAULT_CSS = """
    Notice { margin: 1 2; padding: 1 2; border: round $accent; height: auto; display: none; }
    Notice.-error { border: round $error; }
    """

    def tell(self, title: str, body: str, *, error: bool = False) -> None:
        """Show `title` and `body` (plain text, never markup)."""
        self.border_title = title
        self.set_class(error, "-error")
        self.update(body)
        self.display = True

    def hide(self) -> None:
        """Hide the message."""
        self.display = False
