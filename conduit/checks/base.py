"""The contract between the request pipeline and its checks (rate limit, model allow-list, budget).

A check looks at a `Subject` and answers with a `Deny` (a value, not an exception) or a `Ticket` that must be
settled exactly once when the request ends, with what it actually cost (zero to release on errors and aborts).
Checks are pure and in-memory: no I/O, no aiohttp. Any exception inside a check denies the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from conduit.core.policy import Team
from conduit.core.price import Price
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey


@dataclass(frozen=True, slots=True)
class Deny:
    """Why a request is refused: HTTP status, stored status, stable code, a message naming the limit, and
    (for rate limits) how many seconds to wait."""

    http_status: int
    status: Status
    code: str
    message: str
    retry_after_s: float | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    """Who asks for what: the virtual key and its team (None in passthrough mode), the model, whether the
    endpoint generates tokens, estimates made before forwarding, the model's price and the wall-clock time."""

    key: VirtualKey | None
    team: Team | None
    model: str | None
    generating: bool
    input_tokens: int
    max_tokens: int | None
    price: Price | None
    now_s: float


@dataclass(frozen=True, slots=True)
class Actual:
    """What a request really used, known after the response: its cost and its tokens (all kinds)."""

    cost_usd: float = 0.0
    tokens: int = 0


RELEASE = Actual()


class Ticket(Protocol):
    """An admission that holds a reservation until it is settled."""

    def settle(self, actual: Actual) -> None:
        """Replace the reservation with what the request actually used (RELEASE frees it)."""


class Admitted:
    """A ticket that holds nothing (for checks that only say yes or no)."""

    __slots__ = ()

    def settle(self, actual: Actual) -> None:
        """Nothing to settle."""


ADMITTED = Admitted()
