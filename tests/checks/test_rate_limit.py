"""Rate limits as tables of (limits, requests over time) → verdicts, tpm corrections, and the bad-key throttle."""

from __future__ import annotations

import pytest

from conduit.checks.base import ADMITTED, RELEASE, Actual, Deny, Subject, Ticket
from conduit.checks.rate_limit import BadKeyThrottle, RateLimiter
from conduit.core.policy import RateLimit, Team
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey


def key(ident: str = "k1", limit: RateLimit | None = None, team: str | None = "platform") -> VirtualKey:
    return VirtualKey(ident, f"eng-{ident}", team, "h", "vk_live_Ab…", rate_limit=limit)


def ask(limiter: RateLimiter, now_s: float, vkey: VirtualKey | None, team: Team | None = None,
        tokens: int = 10, max_tokens: int | None = None) -> Deny | Ticket:
    return limiter.admit(Subject(vkey, team, "m", True, tokens, max_tokens, None, now_s))


def denied(verdict: Deny | Ticket) -> Deny:
    assert isinstance(verdict, Deny), verdict
    assert (verdict.http_status, verdict.status, verdict.code) == (429, Status.RATE_LIMITED, "rate_limited")
    return verdict


@pytest.mark.parametrize(("rpm", "times", "verdicts"), [
    # a burst of rpm passes, the next one waits for the oldest to leave the 60 s window
    (3, [0, 0, 0, 0], [None, None, None, 60]),
    (3, [0, 0, 0, 59.5], [None, None, None, 1]),
    (3, [0, 0, 0, 60], [None, None, None, None]),
    (3, [0, 10, 20, 30, 70, 71, 72], [None, None, None, 30, None, None, 8]),
    (1, [0, 30, 59, 60, 61], [None, 30, 1, None, 59]),
])
def test_rpm_sliding_window(rpm: int, times: list[float], verdicts: list[float | None]) -> None:
    limiter = RateLimiter()
    vkey = key(limit=RateLimit(rpm=rpm))
    got = []
    for now_s in times:
        verdict = ask(limiter, now_s, vkey)
        got.append(None if not isinstance(verdict, Deny) else denied(verdict).retry_after_s)
    assert got == verdicts


def test_no_more_than_rpm_in_any_minute_under_steady_pressure() -> None:
    limiter, vkey = RateLimiter(), key(limit=RateLimit(rpm=10))
    admitted = [t / 4 for t in range(4 * 300) if not isinstance(ask(limiter, t / 4, vkey), Deny)]
    assert len(admitted) >= 50
    for i, start in enumerate(admitted):
        assert sum(1 for t in admitted[i:] if t < start + 60) <= 10


def test_denial_names_scope_and_limit() -> None:
    verdict = denied(ask(RateLimiter(), 0, key(limit=RateLimit(rpm=0))))
    assert verdict.message == "rate limit reached: key 'eng-k1' allows 0 requests per minute; retry in 60 s"


def test_key_and_team_limits_both_apply_each_with_its_own_state() -> None:
    limiter, team = RateLimiter(), Team("platform", rate_limit=RateLimit(rpm=3))
    one, two = key("k1", RateLimit(rpm=2)), key("k2", RateLimit(rpm=2))
    assert not isinstance(ask(limiter, 0, one, team), Deny)
    assert not isinstance(ask(limiter, 0, one, team), Deny)
    assert "key 'eng-k1' allows 2" in denied(ask(limiter, 0, one, team)).message
    assert not isinstance(ask(limiter, 0, two, team), Deny)
    assert "team 'platform' allows 3" in denied(ask(limiter, 1, two, team)).message
    assert not isinstance(ask(limiter, 1, two, None), Deny)  # key k2 still has room of its own


def test_the_longest_wait_of_all_limits_is_reported() -> None:
    limiter, team = RateLimiter(), Team("platform", rate_limit=RateLimit(rpm=1))
    vkey = key(limit=RateLimit(rpm=1))
    ask(limiter, 0, key("k9"), team)
    ask(limiter, 30, vkey)
    verdict = denied(ask(limiter, 40, vkey, team))
    assert verdict.retry_after_s == 50 and "key 'eng-k1'" in verdict.message


def test_no_limits_admit_without_tracking_anything() -> None:
    limiter = RateLimiter()
    assert ask(limiter, 0, key()) is ADMITTED
    assert ask(limiter, 0, None, Team("platform")) is ADMITTED
    assert ask(limiter, 0, None) is ADMITTED
    assert limiter.tracked() == 0


@pytest.mark.parametrize(("steps", "verdicts"), [
    # (now_s, input tokens, max_tokens, tokens actually used or None to keep the ticket open)
    # estimate = input + max_tokens; the bucket of 1000 refills 1000/60 per second
    ([(0, 500, 100, None), (0, 500, 100, None)], [None, 12]),
    ([(0, 500, 100, 100), (0, 500, 100, None)], [None, None]),
    ([(0, 500, 100, 1000), (0, 100, 0, None)], [None, 6]),
    ([(0, 500, 100, 0), (0, 1000, 0, None)], [None, None]),
    # a single request bigger than the bucket passes when it is full, and leaves it in debt
    ([(0, 5000, None, None), (0, 10, None, None)], [None, 241]),
    ([(0, 5000, None, None), (30, 1000, None, None)], [None, 270]),
    ([(0, 5000, None, None), (360, 1000, None, None)], [None, None]),
    ([(0, 400, None, None), (0, 5000, None, None), (36, 5000, None, None)], [None, 24, None]),
])
def test_tpm_bucket(steps: list[tuple[float, int, int | None, int | None]], verdicts: list[float | None]) -> None:
    limiter, vkey = RateLimiter(), key(limit=RateLimit(tpm=1000))
    got = []
    for now_s, tokens, max_tokens, used in steps:
        verdict = ask(limiter, now_s, vkey, tokens=tokens, max_tokens=max_tokens)
        got.append(denied(verdict).retry_after_s if isinstance(verdict, Deny) else None)
        if used is not None and not isinstance(verdict, Deny):
            verdict.settle(Actual(tokens=used))
    assert got == verdicts


def test_release_refunds_the_estimate_and_settling_twice_changes_nothing() -> None:
    limiter, vkey = RateLimiter(), key(limit=RateLimit(tpm=1000))
    ticket = ask(limiter, 0, vkey, tokens=900)
    assert not isinstance(ticket, Deny)
    ticket.settle(RELEASE)
    ticket.settle(Actual(tokens=900))
    assert not isinstance(ask(limiter, 0, vkey, tokens=1000), Deny)
    assert denied(ask(limiter, 0, vkey, tokens=1)).retry_after_s == 1


def test_idle_scopes_are_forgotten_but_busy_ones_kept() -> None:
    limiter = RateLimiter()
    for n in range(100):
        ticket = ask(limiter, 0, key(f"k{n}", RateLimit(rpm=5, tpm=1000)))
        assert not isinstance(ticket, Deny)
        ticket.settle(Actual(tokens=10))
    open_ticket = ask(limiter, 0, key("busy", RateLimit(tpm=1000)))
    assert limiter.tracked() == 101
    ask(limiter, 61, key("k0", RateLimit(rpm=5, tpm=1000)))
    assert limiter.tracked() == 2  # k0 again, and "busy" whose ticket is still open
    assert not isinstance(open_ticket, Deny)
    open_ticket.settle(Actual(tokens=10))
    ask(limiter, 122, key("k0", RateLimit(rpm=5)))
    assert limiter.tracked() == 1


def bad_key_denied(verdict: Deny | None) -> Deny:
    assert verdict is not None
    assert (verdict.http_status, verdict.status, verdict.code) == (429, Status.RATE_LIMITED, "too_many_auth_failures")
    return verdict


def test_twenty_auth_failures_in_a_minute_block_the_client_until_the_window_frees() -> None:
    throttle = BadKeyThrottle()
    for n in range(19):
        throttle.record_failure("10.0.0.1", n)
        assert throttle.blocked("10.0.0.1", n) is None
    throttle.record_failure("10.0.0.1", 19)
    verdict = bad_key_denied(throttle.blocked("10.0.0.1", 19.5))
    assert verdict.retry_after_s == 41
    assert "20 in 60 s" in verdict.message and "10.0.0.1" not in verdict.message
    assert throttle.blocked("10.0.0.2", 19.5) is None
    assert bad_key_denied(throttle.blocked("10.0.0.1", 59.9)).retry_after_s == 1
    assert throttle.blocked("10.0.0.1", 60) is None


def test_failures_spread_over_more_than_a_minute_never_block() -> None:
    throttle = BadKeyThrottle()
    for n in range(100):
        throttle.record_failure("10.0.0.1", n * 4.0)
        assert throttle.blocked("10.0.0.1", n * 4.0) is None


def test_the_client_table_stays_bounded() -> None:
    throttle = BadKeyThrottle(failures=2, max_clients=100)
    for n in range(1000):
        throttle.record_failure(f"10.0.{n // 256}.{n % 256}", 0)
    assert throttle.tracked() == 100
    throttle.record_failure("10.9.9.9", 0)
    throttle.record_failure("10.9.9.9", 0)
    assert bad_key_denied(throttle.blocked("10.9.9.9", 1))
    for n in range(10):
        throttle.record_failure(f"10.8.0.{n}", 120)
    assert throttle.tracked() == 10  # everyone whose failures left the window was dropped
