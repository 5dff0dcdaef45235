"""A DataTable that takes whole new contents every refresh and changes only what differs, in place: no blank
frame between refreshes, and the cursor stays on the same row (by key) when rows move.

Imports rich and textual only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

Cell = Text | str
Row = tuple[str, Sequence[Cell]]


class LiveTable(DataTable[Cell]):
    """A row-cursor table fed with `sync(rows)`, where each row is `(key, cells)`."""

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._column_spec = tuple(columns)

    def on_mount(self) -> None:
        """Add the columns given at construction."""
        for key, label in self._column_spec:
            self.add_column(_label(key, label), key=key)

    def set_labels(self, labels: dict[str, str]) -> None:
        """Rename columns (by key) without touching their rows; keep each label's width, since column widths
        are not recomputed for a new label."""
        for key, label in labels.items():
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None and column.label.plain != label:
                column.label = _label(key, label)
                self.refresh()

    def sync(self, rows: Sequence[Row]) -> None:
        """Make the table show exactly `rows`, in order, updating changed cells in place."""
        keys = [key for key, _ in rows]
        current = [row.key.value for row in self.ordered_rows]
        if keys == current:
            self._update_cells(rows)
            return
        selected = self._cursor_key()
        scroll_y = self.scroll_y
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if selected is not None and selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False, scroll=False)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def _update_cells(self, rows: Sequence[Row]) -> None:
        column_keys = [column.key for column in self.ordered_columns]
        for key, cells in rows:
            for column_key, cell in zip(column_keys, cells, strict=False):
                if self.get_cell(key, column_key) != cell:
                    self.update_cell(key, column_key, cell, update_width=True)

    def _cursor_key(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value


def _label(key: str, label: str) -> Text:
    """Column headers of numeric columns (keys starting with `n_`) are right-aligned like their cells."""
    return Text(label, justify="right" if key.startswith("n_") else "left")
