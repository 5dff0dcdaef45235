"""The shape every tab shares: a View builds a query (on the event loop, from its current choices), a worker
runs it on the reader thread, and the result comes back as a message whose handler alone changes widgets.

Imports textual, `conduit.store` and the dashboard's own modules.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import App
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import TabbedContent

from conduit.dashboard.fetcher import StoreFetcher
from conduit.dashboard.settings import DashboardSettings
from conduit.dashboard.widgets.palette import Palette
from conduit.store.errors import SchemaTooNewError, StoreError
from conduit.store.queries import recent_events

P = TypeVar("P")
Query = Callable[[sqlite3.Connection], P]


@dataclass
class ViewContext:
    """What every view shares: the settings, the reader, and the palette of the current theme."""

    settings: DashboardSettings
    fetcher: StoreFetcher
    _palettes: dict[str, Palette] = field(default_factory=dict)

    def palette(self, app: App[object]) -> Palette:
        """The palette of the app's current theme (resolved once per theme)."""
        palette = self._palettes.get(app.theme)
        if palette is None:
            palette = self._palettes[app.theme] = Palette.from_variables(app.get_css_variables())
        return palette


class ViewData(Message):
    """A view's query finished with data (bubbles to the app, which marks the dashboard live)."""

    def __init__(self, view: View[Any], payload: object, now_ms: int) -> None:
        super().__init__()
        self.view, self.payload, self.now_ms = view, payload, now_ms


class ViewEmpty(Message):
    """The database holds no events yet (bubbles to the app, which shows how to start the proxy)."""


class ViewFailed(Message):
    """The database could not be read; `too_new` when it was written by a newer Conduit."""

    def __init__(self, error: str, *, too_new: bool) -> None:
        super().__init__()
        self.error, self.too_new = error, too_new


class View(Vertical, Generic[P]):
    """One tab: subclasses give `TITLE`, `build_query()` and `show()`, and may name a widget to focus."""

    TITLE: ClassVar[str] = ""
    FOCUS: ClassVar[str | None] = None

    def __init__(self, context: ViewContext, *, id: str) -> None:
        super().__init__(id=id)
        self.context = context
        self.settings = context.settings
        self.updates = 0
        self._loading = False
        self._updated = asyncio.Event()

    def build_query(self, now_ms: int) -> Query[P]:
        """The query to run for this refresh, closed over the view's current choices (runs off the loop)."""
        raise NotImplementedError

    def show(self, payload: P, now_ms: int) -> bool:
        """Draw fresh data and say whether it was drawn (False: stale, dropped); called only from the data
        message handler."""
        raise NotImplementedError

    @property
    def fetching(self) -> bool:
        """True while a fetch is running."""
        return self._loading

    @property
    def palette(self) -> Palette:
        """Colours of the current theme."""
        return self.context.palette(self.app)

    def activate(self) -> None:
        """The tab became visible: focus its main widget (unless focus is already inside) and fetch at once."""
        self.call_later(self._focus_if_shown)
        self.refresh_data()

    def _focus_if_shown(self) -> None:
        """Focus the main widget, if this tab is still the one shown (focus inside a tab also selects it)."""
        pane = self.parent
        tabs = pane.parent.parent if pane is not None and pane.parent is not None else None
        if self.FOCUS is None or not isinstance(tabs, TabbedContent) or tabs.active != getattr(pane, "id", None):
            return
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self.query_one(self.FOCUS, Widget).focus(scroll_visible=False)

    def refresh_data(self) -> None:
        """Start a fetch unless one is already running (a slow query is never stacked up)."""
        if self._loading:
            return
        self._loading = True
        now_ms = self.settings.clock()
        query = self.build_query(now_ms)
        self.run_worker(self._fetch(query, now_ms), group=f"fetch-{self.id}", exit_on_error=False)

    async def wait_for_update(self, after: int) -> int:
        """Return the update count once data newer than update number `after` has been drawn."""
        while self.updates <= after:
            await self._updated.wait()
        return self.updates

    async def _fetch(self, query: Query[P], now_ms: int) -> None:
        try:
            future = self.context.fetcher.submit(lambda conn: _unless_empty(conn, query))
            payload = await asyncio.wrap_future(future)
        except SchemaTooNewError as exc:
            self.post_message(ViewFailed(str(exc), too_new=True))
        except StoreError as exc:
            self.post_message(ViewFailed(str(exc), too_new=False))
        else:
            self.post_message(ViewEmpty() if payload is _EMPTY else ViewData(self, payload, now_ms))
        finally:
            self._loading = False

    def on_view_data(self, message: ViewData) -> None:
        """Draw the data, count the update, and let the message bubble on to the app."""
        if message.view is self:
            if self.show(message.payload, message.now_ms):  # type: ignore[arg-type]
                self._count()

    def on_view_empty(self, message: ViewEmpty) -> None:
        """Count the outcome; the app shows the empty state."""
        self._count()

    def on_view_failed(self, message: ViewFailed) -> None:
        """Count the outcome; the app shows the problem."""
        self._count()

    def _count(self) -> None:
        self.updates += 1
        self._updated.set()
        self._updated = asyncio.Event()


_EMPTY = object()


def _unless_empty(conn: sqlite3.Connection, query: Query[P]) -> P | object:
    """Run `query`, or return the empty marker when no event has been recorded yet."""
    if not recent_events(conn, limit=1):
        return _EMPTY
    return query(conn)
