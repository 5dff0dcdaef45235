"""Runs the checks in their fixed order — rate limit, model allow-list, budget — and hands back either the
first denial or a pass holding every reservation, to be settled once when the request ends.

A check that raises denies the request (fail closed). Pure, in-memory.
"""

from __future__ import annotations

import logging

from conduit.checks.base import RELEASE, Actual, Deny, Subject, Ticket
from conduit.checks.budget import BudgetLedger
from conduit.checks.model_allowlist import check_model
from conduit.checks.rate_limit import RateLimiter
from conduit.core.status import Status

log = logging.getLogger("conduit.checks")
CHECK_FAILED = Deny(500, Status.PROXY_ERROR, "check_failed",
                    "Conduit could not evaluate its access checks for this request, so it was refused; see its log")


class Pass:
    """An admitted request's reservations; `settle` them once with what the request actually used."""

    __slots__ = ("_tickets",)

    def __init__(self, tickets: tuple[Ticket, ...]) -> None:
        self._tickets = tickets

    def settle(self, actual: Actual) -> None:
        """Settle every reservation (a second call does nothing)."""
        tickets, self._tickets = self._tickets, ()
        for ticket in tickets:
            try:
                ticket.settle(actual)
            except Exception as exc:
                log.error("settling a reservation failed: %s", type(exc).__name__)


class Gate:
    """The access checks for one proxy: a rate limiter and a budget ledger (the allow-list is stateless)."""

    __slots__ = ("limiter", "ledger")

    def __init__(self, limiter: RateLimiter, ledger: BudgetLedger) -> None:
        self.limiter = limiter
        self.ledger = ledger

    def admit(self, subject: Subject) -> Deny | Pass:
        """Deny, or admit with reservations held in the rate limiter and the budget ledger."""
        held: list[Ticket] = []
        try:
            limited = self.limiter.admit(subject)
            if isinstance(limited, Deny):
                return limited
            held.append(limited)
            blocked = check_model(subject)
            if blocked is not None:
                return self._deny(blocked, held)
            reserved = self.ledger.reserve(subject)
            if isinstance(reserved, Deny):
                return self._deny(reserved, held)
            held.append(reserved)
        except Exception as exc:
            log.error("an access check raised %s; the request is refused", type(exc).__name__)
            return self._deny(CHECK_FAILED, held)
        return Pass(tuple(held))

    @staticmethod
    def _deny(deny: Deny, held: list[Ticket]) -> Deny:
        """Release what earlier checks reserved, then deny."""
        Pass(tuple(held)).settle(RELEASE)
        return deny
