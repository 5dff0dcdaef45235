"""Where every budget stands: the org and team budgets of conduit.toml and the active virtual keys' budgets,
each with its spend this period (counted exactly as the proxy's budget ledger counts it), burn rate and the
moment it runs out at that rate.

Imports the standard library, `conduit.core` and `conduit.store.queries` siblings only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from conduit.core.periods import period_bounds
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.store.queries.buckets import DAY_MS, HOUR_MS
from conduit.store.queries.window import Window, summed


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One budget: its scope (`org`, `team`, `key`) and name, limit, spend since the period started, when the
    period resets, the burn rate over the last 24 hours of the period, and when it runs out at that rate."""

    scope: str
    name: str
    period: str
    limit_usd: float
    spent_usd: float
    period_start_ms: int
    resets_at_ms: int
    burn_usd_per_hour: float
    exhausts_at_ms: int | None


def budget_status(conn: sqlite3.Connection, *, teams: Mapping[str, Team], settings: BudgetSettings,
                  now_ms: int) -> list[BudgetRow]:
    """The org budget, then team budgets by name, then active key budgets by name."""
    ledger = _Ledger(conn)
    rows: list[BudgetRow] = []
    if settings.org is not None:
        rows.append(_row(ledger, "org", "org", "", settings.org, settings.timezone, now_ms))
    for name in sorted(teams):
        budget = teams[name].budget
        if budget is not None:
            rows.append(_row(ledger, "team", name, name, budget, settings.timezone, now_ms))
    for key_id, name, usd, period in _key_budgets(conn, now_ms):
        rows.append(_row(ledger, "key", name, key_id, Budget(usd, period), settings.timezone, now_ms))
    return rows


class _Ledger:
    """Spend since a moment per org, team and key, read once per distinct moment."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._since: dict[int, dict[tuple[str, str], float]] = {}

    def spent(self, scope: str, ident: str, since_ms: int) -> float:
        """USD spent by the org, the team named `ident` or the key with id `ident` since `since_ms`."""
        spend = self._since.get(since_ms)
        if spend is None:
            spend = self._since[since_ms] = self._read(since_ms)
        if scope == "org":
            return sum(spend.values())
        position = 0 if scope == "team" else 1
        return sum(cost for key, cost in spend.items() if key[position] == ident)

    def _read(self, since_ms: int) -> dict[tuple[str, str], float]:
        sums = summed(self._conn, Window(since_ms, None), "usage_hourly", ("team", "key_id", "cost_usd"),
                      ("team", "key_id"), ("TOTAL(cost_usd)",))
        return {(str(team), str(key_id)): float(cost[0]) for (team, key_id), cost in sums.items()}


def _key_budgets(conn: sqlite3.Connection, now_ms: int) -> list[tuple[str, str, float, str]]:
    """(id, name, budget_usd, period) of each active (not revoked, not expired) key with a budget."""
    rows = conn.execute(
        "SELECT id, name, budget_usd, budget_period FROM virtual_keys WHERE revoked_at_ms IS NULL "
        "AND budget_usd IS NOT NULL AND budget_period IS NOT NULL AND (expires_at_ms IS NULL OR expires_at_ms > ?) "
        "ORDER BY name, created_at_ms, id",
        (now_ms,),
    ).fetchall()
    return [(str(key_id), str(name), float(usd), str(period)) for key_id, name, usd, period in rows]


def _row(ledger: _Ledger, scope: str, name: str, ident: str, budget: Budget, tz: str, now_ms: int) -> BudgetRow:
    """One budget's standing; spend is every event since the period start, as the proxy rebuilds it."""
    start_s, end_s = period_bounds(budget.period, now_ms / 1000, tz)
    start_ms, resets_ms = int(start_s * 1000), int(end_s * 1000)
    spent = ledger.spent(scope, ident, start_ms)
    burn_since = max(start_ms, now_ms - DAY_MS)
    burn_hours = max(1.0, (now_ms - burn_since) / HOUR_MS)
    burn = ledger.spent(scope, ident, burn_since) / burn_hours
    return BudgetRow(scope, name, budget.period, budget.usd, spent, start_ms, resets_ms, burn,
                     _exhausts_at(budget.usd, spent, burn, now_ms, resets_ms))


def _exhausts_at(limit_usd: float, spent_usd: float, burn_usd_per_hour: float, now_ms: int,
                 resets_ms: int) -> int | None:
    """When spend reaches the limit at the current burn rate: now if it already has, None if not this period."""
    if spent_usd >= limit_usd:
        return now_ms
    if burn_usd_per_hour <= 0:
        return None
    at_ms = now_ms + int((limit_usd - spent_usd) / burn_usd_per_hour * HOUR_MS)
    return at_ms if at_ms < resets_ms else None
