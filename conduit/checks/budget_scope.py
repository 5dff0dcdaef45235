"""One budget's running account (a key's, a team's or the org's): its current period, what was spent in it and
what is reserved by requests in flight, in whole nano-USD so reservations add and cancel exactly.
Pure: imports the standard library, `conduit.core` and `conduit.checks.base` only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from conduit.checks.base import Deny
from conduit.core.periods import local_time_text, period_bounds
from conduit.core.policy import Budget
from conduit.core.status import Status

CODE = "budget_exceeded"
NANO = 1_000_000_000
_THIS = {"day": "today", "week": "this week", "month": "this month"}


def nano_up(usd: float) -> int:
    """USD as whole nano-USD, rounded up (for reservations, so they never understate)."""
    return max(0, math.ceil(usd * NANO))


def nano(usd: float) -> int:
    """USD as whole nano-USD, rounded to nearest (for settled costs)."""
    return max(0, round(usd * NANO))


def usd_text(amount_nano: int) -> str:
    """An amount for a person: `$1,234.50`, or four decimals under a dollar (`$0.0042`)."""
    usd = amount_nano / NANO
    return f"${usd:,.2f}" if usd >= 1 or usd == 0 else f"${usd:.4f}"


@dataclass(frozen=True, slots=True)
class BudgetState:
    """A budget's account at one moment, for dashboards and metrics."""

    kind: str
    ident: str | None
    name: str
    limit_usd: float
    period: str
    spent_usd: float
    reserved_usd: float
    period_start_s: float
    resets_at_s: float


class Scope:
    """The live account of one budget; the ledger owns it, tickets hold it until they settle."""

    __slots__ = ("kind", "ident", "name", "budget", "limit", "tz", "start_s", "end_s", "spent", "reserved",
                 "loaded")

    def __init__(self, kind: str, ident: str | None, name: str, budget: Budget, tz: str, now_s: float) -> None:
        self.kind = kind
        self.ident = ident
        self.name = name
        self.budget = budget
        self.limit = nano(budget.usd)
        self.tz = tz
        self.start_s, self.end_s = period_bounds(budget.period, now_s, tz)
        self.spent = 0
        self.reserved = 0
        self.loaded = False

    @property
    def label(self) -> str:
        """Whose budget this is, for a person: `key 'eng1'`, `team 'platform'` or `org`."""
        return "org" if self.kind == "org" else f"{self.kind} '{self.name}'"

    def roll(self, now_s: float) -> None:
        """Start a new period when `now_s` is past the current one: spent restarts at 0, reservations carry."""
        if now_s >= self.end_s:
            self.start_s, self.end_s = period_bounds(self.budget.period, now_s, self.tz)
            self.spent = 0

    def change(self, budget: Budget, tz: str, now_s: float) -> None:
        """Take a new budget or timezone; spent is kept unless the period boundaries move (then it needs loading)."""
        if budget.period != self.budget.period or tz != self.tz:
            self.tz = tz
            self.start_s, self.end_s = period_bounds(budget.period, now_s, tz)
            self.spent = 0
            self.loaded = False
        self.budget = budget
        self.limit = nano(budget.usd)

    def state(self) -> BudgetState:
        """This account as a value."""
        return BudgetState(self.kind, self.ident, self.label, self.budget.usd, self.budget.period,
                           self.spent / NANO, self.reserved / NANO, self.start_s, self.end_s)

    def deny(self, estimate: int, hint: str = "") -> Deny:
        """The 402 for a request estimated at `estimate` nano-USD that does not fit this budget."""
        so_far = usd_text(self.spent + self.reserved)
        in_flight = f" (incl. {usd_text(self.reserved)} in flight)" if self.reserved else ""
        message = (
            f"budget exceeded: {self.label} has a {usd_text(self.limit)} per {self.budget.period} budget; "
            f"{so_far} spent {_THIS.get(self.budget.period, 'this period')}{in_flight}, and this request is "
            f"estimated at {usd_text(estimate)}{hint}; it resets {local_time_text(self.end_s, self.tz)}"
        )
        return Deny(402, Status.BUDGET_EXCEEDED, CODE, message)
