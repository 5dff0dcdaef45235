"""What a running simulated provider remembers and exposes to tests: seen requests, hold/release, aborts.

Imports only the standard library and sim values (no aiohttp), so tests and benchmarks can read it freely.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from conduit.sim.knobs import Knobs, SimDefaults, default_knobs

MAX_SEEN_REQUESTS = 1024


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """One request as the sim received it (header names lower-cased); kept for tests that inspect upstream."""

    method: str
    path_qs: str
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True, eq=False)
class SimState:
    """The sim's mutable state: the last `MAX_SEEN_REQUESTS` requests, the hold/release and abort signals,
    and whether a WebSocket has closed."""

    defaults: SimDefaults = field(default_factory=SimDefaults)
    requests: list[SeenRequest] = field(default_factory=list, repr=False)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    streams_aborted: int = 0
    aborted: asyncio.Event = field(default_factory=asyncio.Event)
    socket_closed: asyncio.Event = field(default_factory=asyncio.Event)
    base_knobs: Knobs = field(init=False, repr=False)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_knobs = default_knobs(self.defaults)
        self.rng = random.Random(self.defaults.seed)

    def record(self, seen: SeenRequest) -> None:
        """Remember a request, forgetting the oldest beyond `MAX_SEEN_REQUESTS`."""
        self.requests.append(seen)
        if len(self.requests) > MAX_SEEN_REQUESTS:
            del self.requests[0]

    def mark_aborted(self) -> None:
        """Count a stream whose downstream went away before it ended, and wake anyone waiting on `aborted`."""
        self.streams_aborted += 1
        self.aborted.set()

    def draw_error(self) -> bool:
        """Whether the next generating request fails, drawn from the seeded generator at `error_rate`."""
        rate = self.defaults.error_rate
        return rate > 0 and self.rng.random() < rate
