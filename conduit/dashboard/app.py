"""The dashboard app: the status line, the seven tabs (number keys), the notice shown instead of them when
there is nothing to show, and the once-a-second refresh of the visible tab only.

Imports textual and the dashboard's own modules; never the proxy.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, TabbedContent, TabPane

from conduit.dashboard.fetcher import StoreFetcher
from conduit.dashboard.formats import clock_time
from conduit.dashboard.screens.activity import ActivityView
from conduit.dashboard.screens.base import View, ViewContext, ViewData, ViewEmpty, ViewFailed
from conduit.dashboard.screens.budgets import BudgetsView
from conduit.dashboard.screens.context_rot import ContextRotView
from conduit.dashboard.screens.governance import GovernanceView
from conduit.dashboard.screens.help import HelpScreen, binding_rows
from conduit.dashboard.screens.overview import OverviewView
from conduit.dashboard.screens.sessions import SessionsView
from conduit.dashboard.screens.spend import SpendView
from conduit.dashboard.settings import DashboardSettings
from conduit.dashboard.widgets.notice import Notice
from conduit.dashboard.widgets.text_line import TextLine

VIEWS: tuple[tuple[str, type[View[Any]]], ...] = (
    ("overview", OverviewView), ("activity", ActivityView), ("spend", SpendView), ("budgets", BudgetsView),
    ("governance", GovernanceView), ("rot", ContextRotView), ("sessions", SessionsView),
)
EMPTY_TITLE = "No requests recorded yet"
EMPTY_BODY = (
    "Conduit has not recorded any request in {db} yet.\n\n"
    "Start the proxy:   conduit proxy\n"
    "Point an agent at it, e.g.   export ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic\n"
    "or see it all with simulated traffic:   conduit demo\n\n"
    "This screen updates by itself as soon as the first request is recorded."
)


class DashboardApp(App[None]):
    """Conduit's live terminal dashboard over one usage database (read-only)."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "Conduit"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"show_tab('{tab}')", view.TITLE, show=False) for n, (tab, view) in enumerate(VIEWS, 1)),
        Binding("question_mark", "help", "Keys", tooltip="show this list of keys"),
        Binding("r", "refresh_now", "Refresh", tooltip="refresh the visible tab now"),
        Binding("t", "toggle_theme", "Light/dark", tooltip="switch between the light and the dark theme"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, settings: DashboardSettings) -> None:
        super().__init__()
        self.settings = settings
        self.fetcher = StoreFetcher(settings.database)
        self.context = ViewContext(settings, self.fetcher)

    def compose(self) -> ComposeResult:
        """The status line, the notice, the tabs and the key footer."""
        yield TextLine(self._status_text("starting…"), id="status-line")
        yield Notice(id="notice", markup=False)
        with TabbedContent(id="tabs"):
            for number, (tab, view) in enumerate(VIEWS, 1):
                with TabPane(f"{number} {view.TITLE}", id=tab):
                    yield view(self.context, id=f"view-{tab}")
        yield Footer()

    def on_mount(self) -> None:
        """Start the refresh timer (unless turned off) and load the first tab."""
        if self.settings.refresh_s:
            self.set_interval(self.settings.refresh_s, self.refresh_visible)
        self.active_view.activate()

    def on_unmount(self) -> None:
        """Close the reader."""
        self.fetcher.close()

    @property
    def active_view(self) -> View[Any]:
        """The view of the visible tab."""
        tabs = self.query_one("#tabs", TabbedContent)
        return self.query_one(f"#view-{tabs.active or VIEWS[0][0]}", View)

    def view(self, tab: str) -> View[Any]:
        """The view of tab `tab` (`overview`, `activity`, …)."""
        return self.query_one(f"#view-{tab}", View)

    def refresh_visible(self) -> None:
        """Refresh the visible tab only."""
        self.active_view.refresh_data()

    def on_tabbed_content_tab_activated(self, message: TabbedContent.TabActivated) -> None:
        """A tab was chosen: focus it and load it at once (a late message for an older choice is ignored)."""
        if message.pane.id == self.query_one("#tabs", TabbedContent).active:
            self.active_view.activate()

    def action_show_tab(self, tab: str) -> None:
        """Switch to tab `tab`."""
        self.query_one("#tabs", TabbedContent).active = tab

    def action_help(self) -> None:
        """Show every key binding."""
        rows = [("1 … 7", "switch tab", "all")]
        rows += [row for row in binding_rows("all", self.BINDINGS) if not row[0].isdigit()]
        for _, view in VIEWS:
            rows += binding_rows(view.TITLE, view.BINDINGS)
        self.push_screen(HelpScreen(rows))

    def action_refresh_now(self) -> None:
        """Refresh the visible tab now."""
        self.refresh_visible()

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
        self.refresh_visible()

    def on_view_data(self, message: ViewData) -> None:
        """Data arrived: hide any notice and say when it was fetched."""
        self.query_one("#notice", Notice).hide()
        self.query_one("#tabs", TabbedContent).display = True
        self.query_one("#status-line", TextLine).show(
            self._status_text(f"updated {clock_time(message.now_ms, self.settings.tz)}")
        )

    def on_view_empty(self, message: ViewEmpty) -> None:
        """The database has no events yet: say how to start the proxy."""
        self._tell(EMPTY_TITLE, EMPTY_BODY.format(db=self.settings.database.name), error=False)

    def on_view_failed(self, message: ViewFailed) -> None:
        """The database is missing or unreadable: say so, and what to do."""
        if not self.settings.database.exists():
            body = f"{message.error}\n\n" + EMPTY_BODY.format(db=self.settings.database.name).split("\n\n", 1)[1]
            self._tell("No usage database yet", body, error=False)
        elif message.too_new:
            self._tell("Database from a newer Conduit", message.error, error=True)
        else:
            self._tell("Cannot read the usage database", message.error, error=True)

    def _tell(self, title: str, body: str, *, error: bool) -> None:
        self.query_one("#notice", Notice).tell(title, body, error=error)
        self.query_one("#tabs", TabbedContent).display = False
        self.query_one("#status-line", TextLine).show(self._status_text("waiting for data"))

    def _status_text(self, state: str) -> str:
        return f"Conduit · {self.settings.database.name} · {self.settings.window_label} · {state}"
