"""Conduit's terminal dashboard (the only Textual code): a live, read-only view of the usage database.

`run_dashboard` is the entry point for `conduit dashboard` and `conduit demo`; textual loads only when it runs.
Never imports the proxy.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from conduit.core.policy import BudgetSettings, Team
from conduit.core.pricing import PriceBook


def run_dashboard(
    database: Path,
    *,
    since: str | None = None,
    teams: Mapping[str, Team] | None = None,
    budget_settings: BudgetSettings | None = None,
    prices: PriceBook | None = None,
) -> None:
    """Run the dashboard on `database` in this terminal until the user quits; `since` is a look-back such as
    `7d` (None: all time). Raises ValueError for a bad `since`."""
    from conduit.dashboard.app import DashboardApp
    from conduit.dashboard.settings import DashboardSettings

    settings = DashboardSettings(
        database=database,
        since=since,
        teams=teams if teams is not None else {},
        budget=budget_settings if budget_settings is not None else BudgetSettings(),
        prices=prices if prices is not None else PriceBook.default(),
    )
    DashboardApp(settings).run()
