"""The budget ledger: which budgets a request falls under, estimates, admission, settlement and its messages."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from conduit.checks.base import ADMITTED, RELEASE, Actual, Deny, Subject, Ticket
from conduit.checks.budget import BudgetLedger
from conduit.core.periods import zone
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.core.price import Price
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey

PRICE = Price(input=3.0, output=15.0, cache_read=0.3, cache_write=3.75)


def at(local: str, tz: str = "UTC") -> float:
    return datetime.fromisoformat(local).replace(tzinfo=zone(tz)).timestamp()


NOW = at("2026-11-15 12:00")


def vkey(ident: str = "k1", budget: Budget | None = None, team: str | None = "platform") -> VirtualKey:
    return VirtualKey(ident, f"eng-{ident}", team, "h", "vk_live_Ab…", budget=budget)


def make(org: Budget | None = None, teams: dict[str, Budget] | None = None, mode: str = "estimate",
         unpriced: str = "deny", tz: str = "UTC", now_s: float = NOW) -> BudgetLedger:
    settings = BudgetSettings(org=org, timezone=tz, mode=mode, unpriced=unpriced)
    return BudgetLedger(settings, {n: Team(n, budget=b) for n, b in (teams or {}).items()}, now_s=now_s)


def ask(ledger: BudgetLedger, key: VirtualKey | None = None, *, model: str | None = "claude-x",
        input_tokens: int = 1000, max_tokens: int | None = 1000, price: Price | None = PRICE,
        generating: bool = True, now_s: float = NOW) -> Deny | Ticket:
    return ledger.reserve(Subject(key, None, model, generating, input_tokens, max_tokens, price, now_s))


def held(verdict: Deny | Ticket) -> Ticket:
    assert not isinstance(verdict, Deny), verdict
    return verdict


def over(verdict: Deny | Ticket, code: str = "budget_exceeded") -> Deny:
    assert isinstance(verdict, Deny), verdict
    assert (verdict.http_status, verdict.status, verdict.code) == (402, Status.BUDGET_EXCEEDED, code)
    return verdict


@pytest.mark.parametrize(("key_budget", "team_budget", "org_budget", "kinds"), [
    (None, None, None, []),
    (Budget(10, "day"), None, None, ["key"]),
    (None, Budget(10, "week"), None, ["team"]),
    (None, None, Budget(10, "month"), ["org"]),
    (Budget(10, "day"), Budget(10, "week"), Budget(10, "month"), ["org", "team", "key"]),
])
def test_a_request_is_held_in_every_budget_it_falls_under(key_budget: Budget | None, team_budget: Budget | None,
                                                          org_budget: Budget | None, kinds: list[str]) -> None:
    ledger = make(org=org_budget, teams={"platform": team_budget} if team_budget else None)
    verdict = ask(ledger, vkey(budget=key_budget), model="no-price", price=None)
    if not kinds:
        assert verdict is ADMITTED  # nothing to track, so even an unpriced model passes
        return
    over(verdict, "unpriced_model")
    held(ask(ledger, vkey(budget=key_budget)))
    assert [state.kind for state in ledger.snapshot()] == kinds
    assert all(state.reserved_usd == pytest.approx(0.018) for state in ledger.snapshot())


@pytest.mark.parametrize(("mode", "input_tokens", "max_tokens", "usd"), [
    # strict: input at max(input 3, cache write 3.75), output at 15, per million; 64,000 output when unset
    ("strict", 1000, 1000, 0.01875),
    ("strict", 1000, None, 0.00375 + 0.96),
    ("strict", 0, 10, 0.00015),
    # estimate (no history yet): input at 3, and at most 1024 output tokens
    ("estimate", 1000, 1000, 0.018),
    ("estimate", 1000, None, 0.003 + 0.01536),
    ("estimate", 1000, 200_000, 0.003 + 0.01536),
    ("estimate", 1000, 10, 0.00315),
])
def test_estimates(mode: str, input_tokens: int, max_tokens: int | None, usd: float) -> None:
    ledger = make(org=Budget(100, "month"), mode=mode)
    held(ask(ledger, input_tokens=input_tokens, max_tokens=max_tokens))
    assert ledger.reserved_usd() == pytest.approx(usd, abs=1e-9)


def test_estimate_mode_learns_each_keys_cost_per_model() -> None:
    ledger = make(org=Budget(100, "month"))
    one, two = vkey("k1"), vkey("k2")
    held(ask(ledger, one)).settle(Actual(cost_usd=0.10, tokens=5000))
    held(ask(ledger, one)).settle(Actual(cost_usd=0.20, tokens=9000))
    held(ask(ledger, one)).settle(RELEASE)  # an error or abort teaches nothing
    for key, model, expected in [(one, "claude-x", 0.13), (one, "claude-y", 0.018), (two, "claude-x", 0.018)]:
        ticket = held(ask(ledger, key, model=model))
        assert ledger.reserved_usd() == pytest.approx(expected, abs=1e-9)
        ticket.settle(RELEASE)


def test_strict_mode_never_lets_settled_spend_pass_the_limit() -> None:
    rng = random.Random(7)
    ledger = make(org=Budget(1.0, "day"), teams={"platform": Budget(0.6, "day")}, mode="strict")
    keys = [vkey(f"k{n}", Budget(0.3, "day")) for n in range(5)]
    estimates: dict[int, float] = {}
    for _ in range(40):
        open_tickets: list[Ticket] = []
        for _ in range(50):
            before = ledger.reserved_usd()
            verdict = ask(ledger, rng.choice(keys), input_tokens=rng.randrange(100, 20_000),
                          max_tokens=rng.randrange(100, 8000))
            if not isinstance(verdict, Deny):
                open_tickets.append(verdict)
                estimates[id(verdict)] = (ledger.reserved_usd() - before) / 3
        rng.shuffle(open_tickets)
        for ticket in open_tickets:
            ticket.settle(Actual(cost_usd=estimates[id(ticket)] * rng.random(), tokens=1))
            for state in ledger.snapshot():
                assert state.spent_usd + state.reserved_usd <= state.limit_usd + 1e-9
    assert ledger.spent_usd("org") > 0.5
    assert ledger.reserved_usd() == 0


def test_estimate_mode_overshoots_by_at_most_what_in_flight_requests_underestimated() -> None:
    rng = random.Random(11)
    ledger = make(org=Budget(2.0, "day"))
    settled = 0.0
    for _ in range(100):
        in_flight: list[tuple[Ticket, float]] = []
        for _ in range(5000):
            before = ledger.reserved_usd()
            verdict = ask(ledger, vkey(), input_tokens=rng.randrange(100, 5000), max_tokens=2000)
            if isinstance(verdict, Deny):
                break
            in_flight.append((verdict, ledger.reserved_usd() - before))
        else:
            pytest.fail("the budget never filled up")
        if not in_flight:
            break
        costs = [estimate * rng.uniform(0.2, 3.0) for _, estimate in in_flight]
        excess = sum(max(0.0, cost - estimate) for cost, (_, estimate) in zip(costs, in_flight))
        for (ticket, _), cost in zip(in_flight, costs):
            ticket.settle(Actual(cost_usd=cost, tokens=1))
        settled += sum(costs)
        assert settled <= 2.0 + excess + 1e-9
    else:
        pytest.fail("the budget never closed")
    assert settled > 2.0  # underestimates really did push it over, within the bound
    assert ledger.spent_usd("org") == pytest.approx(settled)


def test_reservations_return_to_zero_after_every_settle_and_release() -> None:
    rng = random.Random(3)
    ledger = make(org=Budget(1000, "month"), teams={"platform": Budget(500, "week")}, mode="strict")
    keys = [vkey(f"k{n}", Budget(100, "day")) for n in range(4)] + [vkey("nb", None, None)]
    tickets = [held(ask(ledger, rng.choice(keys), input_tokens=rng.randrange(10**5), max_tokens=rng.choice(
        [None, 10, 5000]))) for _ in range(200)]
    assert ledger.reserved_usd() > 0
    rng.shuffle(tickets)
    for n, ticket in enumerate(tickets):
        ticket.settle(RELEASE if n % 3 == 0 else Actual(cost_usd=0.001, tokens=10))
        ticket.settle(Actual(cost_usd=1.0, tokens=10))  # a second settle is a no-op
    assert ledger.reserved_usd() == 0
    assert all(state.reserved_usd == 0 for state in ledger.snapshot())
    assert ledger.spent_usd("org") == pytest.approx(0.001 * (200 - 67))


def test_the_denial_names_the_budget_its_spend_and_when_it_resets() -> None:
    ledger = make(teams={"platform": Budget(50, "month")})
    held(ask(ledger, vkey(), generating=False)).settle(Actual(cost_usd=48.5, tokens=10))
    held(ask(ledger, vkey(), input_tokens=300_000, max_tokens=100))  # $0.9015 in flight
    verdict = over(ask(ledger, vkey(), input_tokens=200_000, max_tokens=100))
    assert verdict.message == (
        "budget exceeded: team 'platform' has a $50.00 per month budget; $49.40 spent this month "
        "(incl. $0.9015 in flight), and this request is estimated at $0.6015; it resets 2026-12-01 00:00 UTC"
    )


@pytest.mark.parametrize(("org", "team", "key", "names"), [
    (Budget(0.01, "day"), None, None, "org has a $0.0100 per day budget; $0.00 spent today"),
    (None, None, Budget(0.01, "week"), "key 'eng-k1' has a $0.0100 per week budget; $0.00 spent this week"),
    # the narrowest budget that lacks room is named
    (Budget(0.01, "day"), Budget(0.01, "day"), Budget(0.01, "day"), "key 'eng-k1' has"),
    (Budget(0.01, "day"), Budget(0.01, "day"), Budget(1, "day"), "team 'platform' has"),
])
def test_denial_names_whose_budget(org: Budget | None, team: Budget | None, key: Budget | None,
                                   names: str) -> None:
    ledger = make(org=org, teams={"platform": team} if team else None, mode="strict")
    verdict = over(ask(ledger, vkey(budget=key)))
    assert names in verdict.message
    assert "max_tokens" not in verdict.message
    assert "a request that sets max_tokens holds less" in over(ask(ledger, vkey(budget=key), max_tokens=None)).message


def test_all_or_nothing_a_denial_reserves_nowhere() -> None:
    ledger = make(org=Budget(100, "day"), teams={"platform": Budget(0.01, "day")})
    over(ask(ledger, vkey()))
    assert ledger.reserved_usd() == 0


@pytest.mark.parametrize(("unpriced", "model", "verdict"), [
    ("deny", "my-finetune", "model 'my-finetune' has no price in the pricing book, so its cost cannot be held "
                            "against a budget; add [pricing.\"my-finetune\"] to conduit.toml or set [budget] "
                            "unpriced = \"allow\""),
    ("deny", None, "the request names no model, so its cost cannot be held against a budget; set [budget] "
                   "unpriced = \"allow\""),
    ("allow", "my-finetune", None),
])
def test_unpriced_models(unpriced: str, model: str | None, verdict: str | None) -> None:
    ledger = make(org=Budget(1, "day"), unpriced=unpriced)
    got = ask(ledger, model=model, price=None)
    if verdict is not None:
        assert over(got, "unpriced_model").message == verdict
        return
    assert ledger.reserved_usd() == 0
    held(got).settle(Actual(cost_usd=0.0, tokens=500))
    assert ledger.spent_usd("org") == 0


def test_non_generating_requests_reserve_nothing_but_their_cost_counts() -> None:
    ledger = make(org=Budget(1, "day"))
    ticket = held(ask(ledger, model=None, price=None, generating=False, input_tokens=10**6))
    assert ledger.reserved_usd() == 0
    ticket.settle(Actual(cost_usd=0.02, tokens=10**6))
    assert ledger.spent_usd("org") == pytest.approx(0.02)
    ticket.settle(Actual(cost_usd=0.02, tokens=10**6))
    assert ledger.spent_usd("org") == pytest.approx(0.02)


def test_an_exhausted_budget_refuses_even_free_requests_once_over() -> None:
    ledger = make(org=Budget(0.05, "day"))
    held(ask(ledger, max_tokens=1)).settle(Actual(cost_usd=0.06, tokens=1))
    over(ask(ledger, model=None, price=None, generating=False))
    held(ask(ledger, model=None, price=None, generating=False, now_s=NOW + 86_400))
