"""The budget ledger: a request is admitted only if its estimated cost fits every budget it falls under (key,
team, org), and is held there until it settles with its actual cost. Strict mode reserves the worst case, so a
limit is never passed; estimate mode can pass it by at most the sum, over requests in flight when it is reached,
of their actual cost minus their estimate. Pure: imports the standard library and `conduit.core`/`checks` only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping

from conduit.checks.base import ADMITTED, Actual, Deny, Subject, Ticket
from conduit.checks.budget_estimate import CostHistory, HistoryKey, first_guess_usd, history_key, strict_cost_usd
from conduit.checks.budget_scope import NANO, BudgetState, Scope, nano, nano_up
from conduit.core.policy import BudgetSettings, Team
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey

UNPRICED_CODE = "unpriced_model"
_MODEL_CHARS_SHOWN = 200
SpentSince = Callable[[str, str | None, float], float]
"""Loads what a scope spent since a time: (kind `org`/`team`/`key`, team name or key id, period start in s)."""


class _Reservation:
    """A request's reservation in each of its budgets; settling it once turns it into actual spend."""

    __slots__ = ("_history", "_holds", "_estimate", "_history_key", "_settled")

    def __init__(self, history: CostHistory, holds: tuple[tuple[Scope, float], ...], estimate: int,
                 key: HistoryKey | None) -> None:
        self._history = history
        self._holds = holds
        self._estimate = estimate
        self._history_key = key
        self._settled = False

    def settle(self, actual: Actual) -> None:
        """Free the reservation and count the actual cost in each budget whose period has not reset since."""
        if self._settled:
            return
        self._settled = True
        cost = nano(actual.cost_usd)
        for scope, start_s in self._holds:
            scope.reserved -= self._estimate
            if scope.start_s == start_s:
                scope.spent += cost
        if self._history_key is not None and actual.tokens > 0:
            self._history.record(self._history_key, actual.cost_usd)


class BudgetLedger:
    """Every budget's account, held in memory; rebuilt from recorded spend at start-up."""

    __slots__ = ("_settings", "_org", "_teams", "_keys", "_history")

    def __init__(self, settings: BudgetSettings, teams: Mapping[str, Team], *, now_s: float | None = None) -> None:
        self._settings = settings
        self._org: Scope | None = None
        self._teams: dict[str, Scope] = {}
        self._keys: dict[str, Scope] = {}
        self._history = CostHistory()
        self.reconfigure(settings, teams, now_s=now_s)

    def reserve(self, subject: Subject) -> Deny | Ticket:
        """Hold the request's estimated cost in all its budgets, or deny (402) if any of them lacks room."""
        scopes = self._scopes_of(subject)
        if not scopes:
            return ADMITTED
        estimate = self._estimate(subject)
        if isinstance(estimate, Deny):
            return estimate
        now_s = subject.now_s
        for scope in scopes:
            scope.roll(now_s)
            if scope.spent + scope.reserved + estimate > scope.limit:
                return scope.deny(estimate, self._hint(subject))
        for scope in scopes:
            scope.reserved += estimate
        key = history_key(subject) if subject.generating and subject.price is not None else None
        return _Reservation(self._history, tuple((scope, scope.start_s) for scope in scopes), estimate, key)

    def reserved_usd(self) -> float:
        """USD reserved by requests in flight, summed over every budget."""
        return sum(scope.reserved for scope in self._all()) / NANO

    def spent_usd(self, kind: str, ident: str | None = None) -> float:
        """USD settled in the current period of one budget (`org`, `team` + name, `key` + id); KeyError if none."""
        return self._scope(kind, ident).spent / NANO

    def snapshot(self, now_s: float | None = None) -> list[BudgetState]:
        """Every budget's account (org, teams, keys), first moved to the period containing `now_s` if given."""
        scopes = list(self._all())
        if now_s is not None:
            for scope in scopes:
                scope.roll(now_s)
        return [scope.state() for scope in scopes]

    def rebuild(self, spent_since: SpentSince, *, now_s: float | None = None) -> None:
        """Set every known budget's spend from the record: `spent_since(kind, ident, period_start_s)`."""
        now = _now(now_s)
        for scope in list(self._all()):
            scope.roll(now)
            scope.loaded = False
        self.load(spent_since)

    def track_keys(self, keys: Iterable[VirtualKey], spent_since: SpentSince | None = None, *,
                   now_s: float | None = None) -> None:
        """Follow the budgets of `keys` (new, changed, or removed when a key has none), then load what any
        budget not yet loaded has spent, when `spent_since` is given; keys not passed are kept."""
        now = _now(now_s)
        for key in keys:
            if key.budget is None:
                self._keys.pop(key.id, None)
            else:
                self._key_scope(key, now)
        if spent_since is not None:
            self.load(spent_since)

    def reconfigure(self, settings: BudgetSettings, teams: Mapping[str, Team],
                    spent_since: SpentSince | None = None, *, now_s: float | None = None) -> None:
        """Take new settings and teams; budgets that remain keep their spend unless their period or timezone
        changed (those are loaded again, now if `spent_since` is given, else on the next load)."""
        now, tz = _now(now_s), settings.timezone
        self._settings = settings
        org = settings.org
        if org is None:
            self._org = None
        elif self._org is None:
            self._org = Scope("org", None, "org", org, tz, now)
        else:
            self._org.change(org, tz, now)
        self._teams = {name: self._team_scope(name, team, tz, now)
                       for name, team in teams.items() if team.budget is not None}
        for scope in list(self._keys.values()):
            scope.change(scope.budget, tz, now)
        if spent_since is not None:
            self.load(spent_since)

    def load(self, spent_since: SpentSince) -> None:
        """Set the spend of every budget not loaded yet from the record (may run in a worker thread)."""
        for scope in list(self._all()):
            if not scope.loaded:
                start_s = scope.start_s
                spent = nano(spent_since(scope.kind, scope.ident, start_s))
                if scope.start_s == start_s:
                    scope.spent = spent
                    scope.loaded = True

    def _team_scope(self, name: str, team: Team, tz: str, now_s: float) -> Scope:
        assert team.budget is not None
        scope = self._teams.get(name)
        if scope is None:
            return Scope("team", name, name, team.budget, tz, now_s)
        scope.change(team.budget, tz, now_s)
        return scope

    def _key_scope(self, key: VirtualKey, now_s: float) -> Scope:
        """The key's account, created or brought up to date with the key's budget."""
        assert key.budget is not None
        scope = self._keys.get(key.id)
        if scope is None:
            scope = self._keys.setdefault(
                key.id, Scope("key", key.id, key.name, key.budget, self._settings.timezone, now_s))
        elif scope.budget != key.budget or scope.name != key.name:
            scope.change(key.budget, scope.tz, now_s)
            scope.name = key.name
        return scope

    def _scopes_of(self, subject: Subject) -> list[Scope]:
        scopes: list[Scope] = []
        key = subject.key
        if key is not None:
            if key.budget is not None:
                scopes.append(self._key_scope(key, subject.now_s))
            team = key.team
        else:
            team = None if subject.team is None else subject.team.name
        if team is not None:
            team_scope = self._teams.get(team)
            if team_scope is not None:
                scopes.append(team_scope)
        if self._org is not None:
            scopes.append(self._org)
        return scopes

    def _estimate(self, subject: Subject) -> int | Deny:
        """The reservation for a request in nano-USD, or the denial of a generating request on an unpriced model."""
        if not subject.generating:
            return 0
        price = subject.price
        if price is None:
            return 0 if self._settings.unpriced == "allow" else _unpriced(subject.model)
        if self._settings.mode == "strict":
            return nano_up(strict_cost_usd(subject, price))
        average = self._history.average_usd(history_key(subject))
        return nano_up(first_guess_usd(subject, price) if average is None else average)

    def _hint(self, subject: Subject) -> str:
        if self._settings.mode == "strict" and subject.generating and subject.max_tokens is None:
            return " (strict mode holds the worst case; a request that sets max_tokens holds less)"
        return ""

    def _scope(self, kind: str, ident: str | None) -> Scope:
        found = {"org": self._org, "team": self._teams.get(ident or ""), "key": self._keys.get(ident or "")}
        scope = found.get(kind)
        if scope is None:
            raise KeyError(f"no {kind} budget {ident!r}" if ident else f"no {kind} budget")
        return scope

    def _all(self) -> Iterator[Scope]:
        if self._org is not None:
            yield self._org
        yield from list(self._teams.values())
        yield from list(self._keys.values())


def _unpriced(model: str | None) -> Deny:
    if model is None:
        what, fix = "the request names no model, so", ""
    else:
        model = model[:_MODEL_CHARS_SHOWN]
        what = f"model '{model}' has no price in the pricing book, so"
        fix = f'add [pricing."{model}"] to conduit.toml or '
    return Deny(402, Status.BUDGET_EXCEEDED, UNPRICED_CODE,
                f"{what} its cost cannot be held against a budget; {fix}set [budget] unpriced = \"allow\"")


def _now(now_s: float | None) -> float:
    return time.time() if now_s is None else now_s
