"""The demo's traffic: the scripted opening, then engineers picked by weight, sent through the proxy at a steady
pace until the duration, the request cap or a stop. Each engineer may run a few agent sessions at once.

Only metadata is kept about each answer (its HTTP status and whether it streamed). Imports aiohttp and the
demo's own modules.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import aiohttp

from conduit.demo.scenario import (
    BLOCKED_MODEL,
    CLAUDE_CODE,
    CODEX,
    ENTITY,
    NORMAL,
    SECRET,
    Beat,
    Scenario,
    fake_aws_key,
)
from conduit.demo.shapes import AgentSession, Turn, new_session, next_turn

MAX_SESSIONS_PER_ENGINEER = 3
MAX_IN_FLIGHT = 48
_INCIDENTS = {CLAUDE_CODE: (SECRET, 0.03), CODEX: (ENTITY, 0.05), BLOCKED_MODEL: (BLOCKED_MODEL, 0.08)}
_OUTCOMES = {200: "success", 401: "auth_failed", 402: "budget_exceeded", 403: "model_blocked",
             429: "rate_limited", 451: "governance_blocked"}


@dataclass(frozen=True, slots=True)
class TrafficPlan:
    """How much traffic to send: requests per second, and when to stop (None: not by that measure)."""

    rate_per_s: float
    seed: int
    duration_s: float | None = None
    max_requests: int | None = None


@dataclass(slots=True)
class Tally:
    """What the traffic has seen so far, by outcome (from the HTTP status alone)."""

    sent: int = 0
    done: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """The outcomes so far, e.g. `budget_exceeded 2, success 40`."""
        return ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items())) or "none yet"

    def line(self, elapsed_s: float) -> str:
        """A one-line progress report."""
        return f"{elapsed_s:5.1f}s  {self.done} requests answered ({self.summary()})"


def outcome_of(status: int) -> str:
    """The outcome name for the HTTP status a client got."""
    return _OUTCOMES.get(status, "upstream_error" if status < 500 else "error")


class Traffic:
    """Sends the scenario's requests to the proxy at `proxy_url` with each engineer's virtual key."""

    def __init__(self, scenario: Scenario, keys: dict[str, str], proxy_url: str, plan: TrafficPlan) -> None:
        self._scenario = scenario
        self._keys = keys
        self._url = proxy_url
        self._plan = plan
        self._rng = random.Random(plan.seed)
        self._secret = fake_aws_key(plan.seed)
        self._free: dict[str, list[AgentSession]] = {person.name: [] for person in scenario.engineers}
        self._open: Counter[str] = Counter()
        self.tally = Tally()

    async def run(self, stop: asyncio.Event) -> Tally:
        """Send until the plan says stop or `stop` is set; then wait for the answers still coming."""
        loop = asyncio.get_running_loop()
        deadline = None if self._plan.duration_s is None else loop.time() + self._plan.duration_s
        interval_s = 1.0 / self._plan.rate_per_s
        pending: set[asyncio.Task[None]] = set()
        limit = asyncio.Semaphore(MAX_IN_FLIGHT)
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout, auto_decompress=False, trust_env=False) as client:
            for beat in self._beats():
                if stop.is_set() or self._finished(deadline, loop.time()):
                    break
                turn = self._take_turn(beat)
                if turn is not None:
                    await limit.acquire()
                    task = asyncio.create_task(self._send(client, *turn, limit), name="conduit-demo-request")
                    pending.add(task)
                    task.add_done_callback(pending.discard)
                try:
                    await asyncio.wait_for(stop.wait(), interval_s)
                except TimeoutError:
                    pass
            if pending:
                await asyncio.wait(pending)
        return self.tally

    def _finished(self, deadline: float | None, now: float) -> bool:
        cap = self._plan.max_requests
        return (deadline is not None and now >= deadline) or (cap is not None and self.tally.sent >= cap)

    def _beats(self) -> Iterator[Beat]:
        """The scripted opening, then engineers drawn by weight, for ever, now and then with an incident."""
        yield from self._scenario.opening
        people = self._scenario.engineers
        weights = [person.weight for person in people]
        while True:
            person = self._rng.choices(people, weights)[0]
            incident = _INCIDENTS.get(BLOCKED_MODEL if person.blocked_model else person.client)
            if incident is not None and self._rng.random() < incident[1]:
                yield Beat(person.name, incident[0])
            else:
                yield Beat(person.name)

    def _take_turn(self, beat: Beat) -> tuple[AgentSession, Turn] | None:
        """A free (or new) session of the beat's engineer and its next request; None when all are busy."""
        person = self._scenario.engineer(beat.engineer)
        free = self._free[person.name]
        if free:
            session = free.pop()
        elif self._open[person.name] < MAX_SESSIONS_PER_ENGINEER or beat.kind != NORMAL:
            session = new_session(person, self._rng)
            self._open[person.name] += 1
        else:
            return None
        turn = next_turn(session, self._keys[person.name], self._rng, beat.kind, self._secret)
        self.tally.sent += 1
        return session, turn

    async def _send(
        self, client: aiohttp.ClientSession, session: AgentSession, turn: Turn, limit: asyncio.Semaphore
    ) -> None:
        """Send one request, read its answer to the end, and move the session on if it succeeded."""
        request = turn.request
        url = f"{self._url}/{request.provider}{request.path}"
        status = 0
        try:
            async with client.post(url, data=request.body, headers=dict(request.headers)) as response:
                status = response.status
                async for _ in response.content.iter_any():
                    pass
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        finally:
            limit.release()
        self.tally.done += 1
        self.tally.outcomes["client_error" if status == 0 else outcome_of(status)] += 1
        self._finish_turn(session, turn, status == 200)

    def _finish_turn(self, session: AgentSession, turn: Turn, keep: bool) -> None:
        """Keep the turn's history when it went through; end the session after its planned length."""
        if keep:
            session.history = turn.history
            session.turns += 1
        if session.turns >= session.length:
            self._open[session.engineer.name] -= 1
            return
        self._free[session.engineer.name].append(session)
