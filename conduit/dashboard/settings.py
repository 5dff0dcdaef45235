"""What the dashboard shows and how: the database, the look-back window, the policy and prices from conduit.toml,
the clock and the refresh interval. Frozen values, built once by `run_dashboard` or a test.

Imports the standard library, `conduit.core` and `conduit.store.queries` only (no textual).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from conduit.core.moments import moment_ms
from conduit.core.periods import zone
from conduit.core.policy import BudgetSettings, Team
from conduit.core.pricing import PriceBook
from conduit.store.queries import Window

DEFAULT_REFRESH_S = 1.0


def wall_clock_ms() -> int:
    """The current time in Unix milliseconds."""
    return time.time_ns() // 1_000_000


def _no_teams() -> Mapping[str, Team]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DashboardSettings:
    """Everything the dashboard needs besides the terminal; `since` is a `--since` value (None: all time),
    `clock` returns Unix ms, and `refresh_s` None turns the once-a-second refresh off (tests refresh by hand)."""

    database: Path
    since: str | None = None
    teams: Mapping[str, Team] = field(default_factory=_no_teams)
    budget: BudgetSettings = field(default_factory=BudgetSettings)
    prices: PriceBook = field(default_factory=PriceBook.default)
    clock: Callable[[], int] = wall_clock_ms
    refresh_s: float | None = DEFAULT_REFRESH_S

    def __post_init__(self) -> None:
        if self.since is not None:
            moment_ms(self.since, 0)

    @property
    def tz(self) -> ZoneInfo:
        """The timezone days, hours and reset times are shown in: the budget timezone from conduit.toml."""
        return zone(self.budget.timezone)

    def window(self, now_ms: int, since: str | None = None) -> Window:
        """The look-back window at `now_ms`: `since` if given, else the `--since` value (None: all time)."""
        text = since if since is not None else self.since
        return Window(since_ms=None if text is None else moment_ms(text, now_ms))

    @property
    def window_label(self) -> str:
        """The `--since` window in words, for the status line."""
        return "all time" if self.since is None else f"since {self.since}"
