"""The budget ledger over time: period rollover (DST days included), and rebuilding, tracking and reconfiguring
budgets from a spend loader."""

from __future__ import annotations

from datetime import datetime

import pytest

from conduit.checks.base import Actual, Deny, Subject, Ticket
from conduit.checks.budget import BudgetLedger
from conduit.core.periods import period_bounds, zone
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.core.price import Price
from conduit.core.vkey import VirtualKey

PRICE = Price(input=3.0, output=15.0)  # 1000 input + 1000 output = $0.018 (strict, or estimate before history)
NOW = datetime(2026, 11, 15, 12, tzinfo=zone("UTC")).timestamp()


def at(local: str, tz: str) -> float:
    return datetime.fromisoformat(local).replace(tzinfo=zone(tz)).timestamp()


def vkey(ident: str = "k1", budget: Budget | None = Budget(10, "day"), name: str | None = None) -> VirtualKey:
    return VirtualKey(ident, name or f"eng-{ident}", "platform", "h", "vk_live_Ab…", budget=budget)


def ask(ledger: BudgetLedger, now_s: float, key: VirtualKey | None = None) -> Ticket:
    verdict = ledger.reserve(Subject(key, None, "m", True, 1000, 1000, PRICE, now_s))
    assert not isinstance(verdict, Deny), verdict
    return verdict


class Recorded:
    """A spend loader over fixed totals that remembers what it was asked."""

    def __init__(self, totals: dict[tuple[str, str | None], float]) -> None:
        self.totals = totals
        self.calls: list[tuple[str, str | None, float]] = []

    def __call__(self, kind: str, ident: str | None, since_s: float) -> float:
        self.calls.append((kind, ident, since_s))
        return self.totals.get((kind, ident), 0.0)


@pytest.mark.parametrize(("period", "tz", "first", "later", "rolled"), [
    ("day", "UTC", "2026-11-15 23:59", "2026-11-15 23:59:59", False),
    ("day", "UTC", "2026-11-15 23:59", "2026-11-16 00:00", True),
    # Berlin's 2026-03-29 lasts 23 hours and 2026-10-25 lasts 25
    ("day", "Europe/Berlin", "2026-03-29 00:30", "2026-03-29 23:59", False),
    ("day", "Europe/Berlin", "2026-03-29 00:30", "2026-03-30 00:00", True),
    ("day", "Europe/Berlin", "2026-10-25 00:30", "2026-10-25 23:59", False),
    ("day", "Europe/Berlin", "2026-10-25 00:30", "2026-10-26 00:00", True),
    ("week", "UTC", "2026-11-09 00:00", "2026-11-15 23:59", False),
    ("week", "UTC", "2026-11-15 23:00", "2026-11-16 00:00", True),
    ("month", "UTC", "2026-11-01 00:00", "2026-11-30 23:59", False),
    ("month", "Europe/Berlin", "2026-11-30 23:59", "2026-12-01 00:00", True),
])
def test_rollover(period: str, tz: str, first: str, later: str, rolled: bool) -> None:
    settings = BudgetSettings(org=Budget(100, period), timezone=tz, mode="strict")
    ledger = BudgetLedger(settings, {}, now_s=at(first, tz))
    straddler = ask(ledger, at(first, tz))
    ask(ledger, at(first, tz)).settle(Actual(cost_usd=1.0, tokens=1))
    ask(ledger, at(later, tz))
    assert ledger.spent_usd("org") == (0.0 if rolled else 1.0)
    assert ledger.reserved_usd() == pytest.approx(2 * 0.018)  # reservations carry over
    straddler.settle(Actual(cost_usd=5.0, tokens=1))
    # a request counts in the period it started in, so it is dropped from the new one
    assert ledger.spent_usd("org") == pytest.approx(0.0 if rolled else 6.0)
    (state,) = ledger.snapshot()
    assert (state.period_start_s, state.resets_at_s) == period_bounds(period, at(later, tz), tz)


def test_the_reset_time_is_shown_in_the_org_timezone() -> None:
    settings = BudgetSettings(org=Budget(0.01, "day"), timezone="Europe/Berlin")
    ledger = BudgetLedger(settings, {}, now_s=at("2026-03-29 12:00", "Europe/Berlin"))
    verdict = ledger.reserve(Subject(None, None, "m", True, 10**6, 0, PRICE, at("2026-03-29 12:00", "Europe/Berlin")))
    assert isinstance(verdict, Deny)
    assert verdict.message.endswith("it resets 2026-03-30 00:00 Europe/Berlin")


def test_snapshot_moves_budgets_into_the_current_period_when_asked() -> None:
    ledger = BudgetLedger(BudgetSettings(org=Budget(100, "day")), {}, now_s=NOW)
    ask(ledger, NOW).settle(Actual(cost_usd=2.0, tokens=1))
    assert ledger.snapshot()[0].spent_usd == 2.0
    (state,) = ledger.snapshot(now_s=NOW + 86_400)
    assert (state.kind, state.ident, state.name, state.limit_usd, state.period) == ("org", None, "org", 100, "day")
    assert (state.spent_usd, state.reserved_usd) == (0.0, 0.0)
    assert state.period_start_s == at("2026-11-16 00:00", "UTC")


def test_rebuild_loads_every_budget_from_its_period_start() -> None:
    settings = BudgetSettings(org=Budget(1000, "month"), timezone="Europe/Berlin")
    teams = {"platform": Team("platform", budget=Budget(500, "week")), "free": Team("free")}
    ledger = BudgetLedger(settings, teams, now_s=NOW)
    ledger.track_keys([vkey("k1"), vkey("k2", None)], now_s=NOW)
    held = ask(ledger, NOW, vkey("k1"))
    loader = Recorded({("org", None): 700.0, ("team", "platform"): 300.0, ("key", "k1"): 9.5})
    ledger.rebuild(loader, now_s=NOW)
    assert sorted(loader.calls) == sorted([
        ("org", None, at("2026-11-01 00:00", "Europe/Berlin")),
        ("team", "platform", at("2026-11-09 00:00", "Europe/Berlin")),
        ("key", "k1", at("2026-11-15 00:00", "Europe/Berlin")),
    ])
    assert (ledger.spent_usd("org"), ledger.spent_usd("team", "platform"), ledger.spent_usd("key", "k1")) == (
        700.0, 300.0, 9.5)
    assert ledger.reserved_usd() == pytest.approx(3 * 0.018)  # in-flight reservations survive a rebuild
    held.settle(Actual(cost_usd=0.4, tokens=1))
    assert ledger.spent_usd("key", "k1") == pytest.approx(9.9)
    verdict = ledger.reserve(Subject(vkey("k1"), None, "m", True, 1000, 1000, PRICE, NOW))  # estimate: $0.40
    assert isinstance(verdict, Deny) and verdict.message.startswith("budget exceeded: key 'eng-k1'")
    with pytest.raises(KeyError):
        ledger.spent_usd("key", "k2")


def test_track_keys_loads_new_and_changed_budgets_only() -> None:
    ledger = BudgetLedger(BudgetSettings(), {}, now_s=NOW)
    loader = Recorded({("key", "k1"): 4.0, ("key", "k2"): 1.0})
    ledger.track_keys([vkey("k1")], loader, now_s=NOW)
    assert ledger.spent_usd("key", "k1") == 4.0 and len(loader.calls) == 1
    ledger.track_keys([vkey("k1"), vkey("k2")], loader, now_s=NOW)
    assert [call[1] for call in loader.calls] == ["k1", "k2"]
    loader.totals[("key", "k1")] = 99.0
    ledger.track_keys([vkey("k1", Budget(20, "day"), name="renamed")], loader, now_s=NOW)  # limit only: kept
    assert ledger.spent_usd("key", "k1") == 4.0 and len(loader.calls) == 2
    assert [s.name for s in ledger.snapshot() if s.ident == "k1"] == ["key 'renamed'"]
    ledger.track_keys([vkey("k1", Budget(20, "month"))], loader, now_s=NOW)  # new period: loaded again
    assert ledger.spent_usd("key", "k1") == 99.0
    assert loader.calls[-1] == ("key", "k1", at("2026-11-01 00:00", "UTC"))
    ledger.track_keys([vkey("k2", None)], loader, now_s=NOW)  # its budget was removed
    with pytest.raises(KeyError):
        ledger.spent_usd("key", "k2")
    assert ledger.spent_usd("key", "k1") == 99.0  # keys not passed are kept


def test_a_key_the_ledger_was_not_told_about_is_counted_and_loaded_later() -> None:
    ledger = BudgetLedger(BudgetSettings(), {}, now_s=NOW)
    ask(ledger, NOW, vkey("k9")).settle(Actual(cost_usd=1.5, tokens=1))
    assert ledger.spent_usd("key", "k9") == 1.5
    ledger.track_keys([], Recorded({("key", "k9"): 6.0}), now_s=NOW)
    assert ledger.spent_usd("key", "k9") == 6.0


def test_reconfigure_keeps_spend_unless_the_period_or_timezone_changes() -> None:
    teams = {"platform": Team("platform", budget=Budget(500, "month")), "ops": Team("ops", budget=Budget(5, "day"))}
    ledger = BudgetLedger(BudgetSettings(org=Budget(1000, "month")), teams, now_s=NOW)
    ledger.track_keys([vkey("k1")], Recorded({("org", None): 10.0, ("team", "platform"): 8.0,
                                             ("team", "ops"): 1.0, ("key", "k1"): 2.0}), now_s=NOW)
    teams = {"platform": Team("platform", budget=Budget(900, "month")), "ops": Team("ops", budget=Budget(5, "week")),
             "new": Team("new", budget=Budget(5, "day"))}
    ledger.reconfigure(BudgetSettings(org=Budget(2000, "month")), teams, now_s=NOW)
    assert (ledger.spent_usd("org"), ledger.spent_usd("team", "platform"), ledger.spent_usd("key", "k1")) == (
        10.0, 8.0, 2.0)
    assert (ledger.spent_usd("team", "ops"), ledger.spent_usd("team", "new")) == (0.0, 0.0)
    loader = Recorded({("team", "ops"): 3.0, ("team", "new"): 0.5})
    ledger.load(loader)
    assert sorted(call[1] or "" for call in loader.calls) == ["new", "ops"]
    assert (ledger.spent_usd("team", "ops"), ledger.spent_usd("team", "new")) == (3.0, 0.5)
    assert {s.name: s.limit_usd for s in ledger.snapshot()}["team 'platform'"] == 900
    berlin = Recorded({("org", None): 11.0, ("team", "platform"): 9.0, ("key", "k1"): 2.5})
    ledger.reconfigure(BudgetSettings(org=Budget(2000, "month"), timezone="Europe/Berlin"), {}, berlin, now_s=NOW)
    assert {call[0] for call in berlin.calls} == {"org", "key"}
    assert (ledger.spent_usd("org"), ledger.spent_usd("key", "k1")) == (11.0, 2.5)
    with pytest.raises(KeyError):
        ledger.spent_usd("team", "platform")
    ledger.reconfigure(BudgetSettings(), {}, now_s=NOW)
    assert [s.kind for s in ledger.snapshot()] == ["key"]
