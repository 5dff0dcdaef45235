"""Budgets tab: every org, team and key budget with a progress bar, spent and limit, when it resets, the burn
rate, and when it runs out at that rate ("Thu 14:00").

Imports textual, `conduit.store.queries` and the dashboard's own modules.
"""

from __future__ import annotations

import sqlite3

from textual.app import ComposeResult

from conduit.dashboard.formats import short_moment, usd
from conduit.dashboard.screens.base import Query, View
from conduit.dashboard.widgets.bars import progress
from conduit.dashboard.widgets.cells import num, plain
from conduit.dashboard.widgets.live_table import LiveTable, Row
from conduit.dashboard.widgets.text_line import TextBlock
from conduit.store.queries import BudgetRow, budget_status

BAR_CELLS = 12
COLUMNS = (
    ("budget", "budget"), ("used", "used"), ("n_spent", "spent"), ("n_limit", "limit"),
    ("runs_out", "at this rate"), ("resets", "resets"), ("n_burn", "burn/h"),
)
NO_BUDGETS = (
    "No budgets are set. Add `[budget] usd = …` or `[teams.<name>] budget = …` to conduit.toml, "
    "or give a key one with `conduit keys create NAME --budget 20 --period day`."
)


class BudgetsView(View[list[BudgetRow]]):
    """All budgets and how fast they are being used."""

    TITLE = "Budgets"
    FOCUS = "#budgets"

    def compose(self) -> ComposeResult:
        """The table and a line for when there is nothing to show."""
        yield LiveTable(COLUMNS, id="budgets")
        yield TextBlock("", id="budgets-note")

    def build_query(self, now_ms: int) -> Query[list[BudgetRow]]:
        """Budget status at `now_ms`."""
        teams, budget = self.settings.teams, self.settings.budget

        def query(conn: sqlite3.Connection) -> list[BudgetRow]:
            return budget_status(conn, teams=teams, settings=budget, now_ms=now_ms)

        return query

    def show(self, payload: list[BudgetRow], now_ms: int) -> bool:
        """Draw one row per budget."""
        self.query_one("#budgets", LiveTable).sync([self._row(row, now_ms) for row in payload])
        self.query_one("#budgets-note", TextBlock).show("" if payload else NO_BUDGETS)
        return True

    def _row(self, row: BudgetRow, now_ms: int) -> Row:
        tz, palette = self.settings.tz, self.palette
        fraction = row.spent_usd / row.limit_usd if row.limit_usd > 0 else 1.0
        if row.exhausts_at_ms is None:
            runs_out = plain("–", palette.role("muted"))
        elif row.exhausts_at_ms <= now_ms:
            runs_out = plain("exhausted", palette.role("error"))
        else:
            style = palette.role("error" if row.exhausts_at_ms < row.resets_at_ms else "muted")
            runs_out = plain(short_moment(row.exhausts_at_ms, now_ms, tz), style)
        return (
            f"{row.scope}:{row.name}",
            [
                plain(_name(row)),
                progress(fraction, BAR_CELLS, palette),
                num(usd(row.spent_usd)),
                num(usd(row.limit_usd)),
                runs_out,
                plain(short_moment(row.resets_at_ms, now_ms, tz)),
                num(usd(row.burn_usd_per_hour)),
            ],
        )


def _name(row: BudgetRow) -> str:
    """`org · month`, `team platform · day`, `key alice · week`."""
    who = row.scope if row.scope == "org" else f"{row.scope} {row.name}"
    return f"{who} · {row.period}"
