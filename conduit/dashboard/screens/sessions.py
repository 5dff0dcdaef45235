"""Sessions tab: agent sessions (Claude Code and Codex session ids), most recently active first, with the
engineer, client, turns, duration, cost and the largest context sent.

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3

from textual.app import ComposeResult

from conduit.dashboard.formats import count, date_time, duration_ms, tokens, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.live_table import LiveTable
from conduit.dashboard.widgets.text_line import TextBlock
from conduit.store.queries import SessionRow, sessions

LIMIT = 200
COLUMNS = (
    ("session", "session"), ("engineer", "engineer"), ("client", "client"), ("n_turns", "turns"),
    ("last", "last active"), ("n_duration", "duration"), ("n_cost", "cost"), ("n_context", "largest context"),
)


class SessionsView(View[list[SessionRow]]):
    """Agent sessions in the window."""

    TITLE = "Sessions"
    FOCUS = "#sessions"

    def compose(self) -> ComposeResult:
        """The table and a note when there are no sessions."""
        yield LiveTable(COLUMNS, id="sessions")
        yield TextBlock("", id="sessions-note")

    def build_query(self, now_ms: int) -> Query[list[SessionRow]]:
        """The most recently active sessions over the dashboard's window."""
        window = self.settings.window(now_ms)

        def query(conn: sqlite3.Connection) -> list[SessionRow]:
            return sessions(conn, window, limit=LIMIT)

        return query

    def show(self, payload: list[SessionRow], now_ms: int) -> bool:
        """One row per session."""
        tz = self.settings.tz
        self.query_one("#sessions", LiveTable).sync([
            (row.session_id, [
                plain(_short(row.session_id)),
                plain(row.engineer),
                plain(row.client),
                num(count(row.turns)),
                plain(date_time(row.ended_ms, tz)[5:16]),
                num(duration_ms(row.ended_ms - row.started_ms)),
                num(usd(row.cost_usd)),
                num(tokens(row.largest_context_tokens)),
            ])
            for row in payload
        ])
        note = "" if payload else "No agent sessions in this window (Claude Code and Codex send a session id)."
        self.query_one("#sessions-note", TextBlock).show(note)
        return True


def _short(session_id: str) -> str:
    """A session id cut to 13 characters, enough to tell sessions apart."""
    return session_id if len(session_id) <= 13 else session_id[:12] + "…"
