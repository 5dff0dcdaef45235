"""Rate limits per key and per team (both apply, each with its own state), and the throttle on clients that keep
presenting bad keys. rpm is an exact sliding window; tpm is a token bucket debited by an estimate before the
request and corrected by the real token count when its ticket is settled.
Pure: imports the standard library, `conduit.core` and `conduit.checks.base` only.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from dataclasses import dataclass

from conduit.checks.base import ADMITTED, Actual, Deny, Subject, Ticket
from conduit.core.policy import RateLimit
from conduit.core.status import Status

CODE = "rate_limited"
AUTH_CODE = "too_many_auth_failures"
WINDOW_S = 60.0
SWEEP_EVERY_S = 60.0
AUTH_FAILURES = 20
AUTH_WINDOW_S = 60.0
MAX_CLIENTS = 10_000


class _Usage:
    """One scope's live state: admission times inside the window and its token bucket."""

    __slots__ = ("times", "tokens", "updated_s", "tpm", "in_flight")

    def __init__(self, now_s: float) -> None:
        self.times: deque[float] = deque()
        self.tokens = math.inf  # a new bucket is full, whatever its capacity
        self.updated_s = now_s
        self.tpm: int | None = None
        self.in_flight = 0

    def rpm_wait_s(self, rpm: int, now_s: float) -> float:
        """Seconds until one more request fits in the last 60 s (0: it fits now)."""
        times = self.times
        cutoff = now_s - WINDOW_S
        while times and times[0] <= cutoff:
            times.popleft()
        if rpm <= 0:
            return WINDOW_S
        if len(times) < rpm:
            return 0.0
        return times[-rpm] + WINDOW_S - now_s

    def tpm_wait_s(self, tpm: int, estimate: int, now_s: float) -> float:
        """Seconds until the bucket holds `estimate` tokens (or is full, for an estimate above capacity)."""
        self.tpm = tpm
        if tpm <= 0:
            return WINDOW_S
        self._refill(tpm, now_s)
        need = min(estimate, tpm)
        if self.tokens >= need:
            return 0.0
        return (need - self.tokens) * WINDOW_S / tpm

    def idle(self, now_s: float) -> bool:
        """True when forgetting this state changes nothing: no request in the window, none in flight, bucket full."""
        if self.in_flight or self.rpm_wait_s(1, now_s) > 0:
            return False
        if self.tpm is None:
            return True
        self._refill(self.tpm, now_s)
        return self.tokens >= self.tpm

    def _refill(self, tpm: int, now_s: float) -> None:
        elapsed = max(0.0, now_s - self.updated_s)
        self.tokens = min(float(tpm), self.tokens + elapsed * tpm / WINDOW_S)
        self.updated_s = max(self.updated_s, now_s)


@dataclass(frozen=True, slots=True)
class _Scope:
    """A limit that applies to a request, the state it is counted in and whose limit it is."""

    usage: _Usage
    limit: RateLimit
    kind: str
    name: str

    @property
    def owner(self) -> str:
        """Whose limit this is, for a person: `key 'eng1'` or `team 'platform'`."""
        return f"{self.kind} '{self.name}'"


class _TokenTicket:
    """Holds a tpm debit; settling replaces the estimate with the request's real token count, once."""

    __slots__ = ("_buckets", "_estimate", "_settled")

    def __init__(self, buckets: tuple[tuple[_Usage, int], ...], estimate: int) -> None:
        self._buckets = buckets
        self._estimate = estimate
        self._settled = False

    def settle(self, actual: Actual) -> None:
        """Refund (or debit further) the difference between the estimate and the tokens really used."""
        if self._settled:
            return
        self._settled = True
        delta = self._estimate - actual.tokens
        for usage, tpm in self._buckets:
            usage.tokens = min(float(tpm), usage.tokens + delta)
            usage.in_flight -= 1


class RateLimiter:
    """Admits requests within their key's and their team's rpm and tpm; limits are read from each Subject."""

    __slots__ = ("_usage", "_swept_s")

    def __init__(self) -> None:
        self._usage: dict[tuple[str, str], _Usage] = {}
        self._swept_s = -math.inf

    def admit(self, subject: Subject) -> Deny | Ticket:
        """A ticket when every limit has room (settle it with the real tokens), else a 429 with retry-after."""
        now_s = subject.now_s
        if now_s - self._swept_s >= SWEEP_EVERY_S:
            self._sweep(now_s)
        scopes = self._scopes_of(subject)
        if not scopes:
            return ADMITTED
        estimate = subject.input_tokens + (subject.max_tokens or 0)
        denial: Deny | None = None
        for scope in scopes:
            found = _verdict(scope, estimate, now_s)
            if found is not None and (denial is None or _wait(found) > _wait(denial)):
                denial = found
        if denial is not None:
            return denial
        buckets: list[tuple[_Usage, int]] = []
        for scope in scopes:
            if scope.limit.rpm is not None:
                scope.usage.times.append(now_s)
            if scope.limit.tpm is not None:
                scope.usage.tokens -= estimate
                scope.usage.in_flight += 1
                buckets.append((scope.usage, scope.limit.tpm))
        return _TokenTicket(tuple(buckets), estimate) if buckets else ADMITTED

    def tracked(self) -> int:
        """How many scopes currently hold state (memory stays bounded by dropping idle ones)."""
        return len(self._usage)

    def _scopes_of(self, subject: Subject) -> list[_Scope]:
        scopes: list[_Scope] = []
        key, team = subject.key, subject.team
        if key is not None and _limits(key.rate_limit):
            assert key.rate_limit is not None
            usage = self._usage_of(("key", key.id), subject.now_s)
            scopes.append(_Scope(usage, key.rate_limit, "key", key.name))
        if team is not None and _limits(team.rate_limit):
            assert team.rate_limit is not None
            usage = self._usage_of(("team", team.name), subject.now_s)
            scopes.append(_Scope(usage, team.rate_limit, "team", team.name))
        return scopes

    def _usage_of(self, scope: tuple[str, str], now_s: float) -> _Usage:
        usage = self._usage.get(scope)
        if usage is None:
            usage = self._usage[scope] = _Usage(now_s)
        return usage

    def _sweep(self, now_s: float) -> None:
        self._swept_s = now_s
        for scope in [scope for scope, usage in self._usage.items() if usage.idle(now_s)]:
            del self._usage[scope]


def _limits(limit: RateLimit | None) -> bool:
    return limit is not None and (limit.rpm is not None or limit.tpm is not None)


def _verdict(scope: _Scope, estimate: int, now_s: float) -> Deny | None:
    """The 429 for the first limit of `scope` the request does not fit, or None."""
    rpm, tpm = scope.limit.rpm, scope.limit.tpm
    if rpm is not None:
        wait_s = scope.usage.rpm_wait_s(rpm, now_s)
        if wait_s > 0:
            return _deny(f"{scope.owner} allows {rpm} requests per minute", wait_s)
    if tpm is not None:
        wait_s = scope.usage.tpm_wait_s(tpm, estimate, now_s)
        if wait_s > 0:
            what = f"{scope.owner} allows {tpm} tokens per minute (this request may use up to {estimate})"
            return _deny(what, wait_s)
    return None


def _deny(what: str, wait_s: float) -> Deny:
    retry_s = float(max(1, math.ceil(wait_s)))
    return Deny(429, Status.RATE_LIMITED, CODE, f"rate limit reached: {what}; retry in {retry_s:.0f} s", retry_s)


def _wait(deny: Deny) -> float:
    return deny.retry_after_s or 0.0


class BadKeyThrottle:
    """Refuses a client address, before any key lookup, once it failed authentication too often in a minute.

    The table keeps at most `max_clients` addresses, least recently failing first out.
    """

    __slots__ = ("_clients", "_failures", "_window_s", "_max_clients")

    def __init__(
        self, failures: int = AUTH_FAILURES, window_s: float = AUTH_WINDOW_S, max_clients: int = MAX_CLIENTS
    ) -> None:
        self._clients: OrderedDict[str, deque[float]] = OrderedDict()
        self._failures = failures
        self._window_s = window_s
        self._max_clients = max(1, max_clients)

    def record_failure(self, client: str, now_s: float) -> None:
        """Count one failed authentication from `client` at `now_s`."""
        times = self._clients.get(client)
        if times is None:
            self._make_room(now_s)
            times = self._clients[client] = deque(maxlen=self._failures)
        else:
            self._clients.move_to_end(client)
        times.append(now_s)

    def blocked(self, client: str, now_s: float) -> Deny | None:
        """A 429 while `client` has `failures` failed authentications inside the window, else None."""
        times = self._clients.get(client)
        if times is None or len(times) < self._failures:
            return None
        wait_s = times[0] + self._window_s - now_s
        if wait_s <= 0:
            return None
        retry_s = float(max(1, math.ceil(wait_s)))
        message = (
            f"too many failed authentications from this address ({self._failures} in {self._window_s:.0f} s); "
            f"check the key and retry in {retry_s:.0f} s"
        )
        return Deny(429, Status.RATE_LIMITED, AUTH_CODE, message, retry_s)

    def tracked(self) -> int:
        """How many client addresses the table holds."""
        return len(self._clients)

    def _make_room(self, now_s: float) -> None:
        """Drop clients whose last failure left the window, and the least recent one while the table is full."""
        clients = self._clients
        while clients:
            oldest = next(iter(clients.values()))
            if len(clients) < self._max_clients and oldest[-1] + self._window_s > now_s:
                return
            clients.popitem(last=False)
