"""The spending and access policy as values: budgets, rate limits, teams, and the org-wide budget settings.

Read from conduit.toml (teams, org budget) and from the virtual-keys table (per-key settings). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

PERIODS = ("day", "week", "month")
BUDGET_MODES = ("estimate", "strict")
UNPRICED_ACTIONS = ("deny", "allow")


@dataclass(frozen=True, slots=True)
class Budget:
    """A spending cap in USD for one period (`day`, `week` or `month`, in the org's timezone)."""

    usd: float
    period: str


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Requests per minute and tokens per minute; None means no limit of that kind."""

    rpm: int | None = None
    tpm: int | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """A `[teams.<name>]` table: its budget, allowed model patterns (empty: any) and rate limit."""

    name: str
    budget: Budget | None = None
    models: tuple[str, ...] = ()
    rate_limit: RateLimit | None = None


@dataclass(frozen=True, slots=True)
class BudgetSettings:
    """The `[budget]` table: the org-wide budget, the timezone periods are counted in, how requests are
    reserved (`estimate`: a realistic cost; `strict`: the worst case) and what happens to unpriced models."""

    org: Budget | None = None
    timezone: str = "UTC"
    mode: str = "estimate"
    unpriced: str = "deny"
