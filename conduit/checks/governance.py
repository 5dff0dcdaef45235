"""The governance check: scan what a request would send, stop it with a 451 when a blocking category is in
it (naming the category and where, never the value), and otherwise flag the event with the categories found
and how many are new to the agent session. Any failure of the scan blocks the request (fail closed).
Pure and in-memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from conduit.checks.base import Deny
from conduit.core.status import Status
from conduit.core.usage import RequestFacts
from conduit.governance.first_seen import FirstSeen
from conduit.governance.scan import Governor, Hit

log = logging.getLogger("conduit.checks")
SCAN_FAILED = Deny(500, Status.GOVERNANCE_BLOCKED, "governance_check_failed",
                   "Conduit could not scan this request for secrets, so it was not sent; see Conduit's log")


@dataclass(frozen=True, slots=True)
class Flags:
    """What an event records of a scan: category names, the action taken, and how many were first seen."""

    categories: str
    action: str
    first: int


class GovernanceCheck:
    """Runs the Governor over a request and remembers, per agent session, which values it already saw."""

    __slots__ = ("governor", "_first_seen")

    def __init__(self, governor: Governor) -> None:
        self.governor = governor
        self._first_seen = FirstSeen()

    def inspect(self, facts: RequestFacts, body: bytes, session: str) -> Deny | Flags | None:
        """A 451 for a blocking finding, flags for alerting ones, None for a clean request."""
        if not body:
            return None
        try:
            inspection = (self.governor.inspect_json(facts.document) if facts.json_ok and facts.document is not None
                          else self.governor.inspect_text(body))
            if not inspection.hits:
                return None
            first = self._first_seen.count_new(session, [(h.category, inspection.value(h)) for h in inspection.hits])
        except Exception as exc:
            log.error("the governance scan raised %s; the request is refused", type(exc).__name__)
            return SCAN_FAILED
        categories = "|".join(inspection.categories)
        blocking = inspection.blocking
        if blocking:
            return _blocked(blocking, categories, first)
        return Flags(categories, "alert", first)


@dataclass(frozen=True, slots=True)
class Blocked(Deny):
    """A governance denial that also carries the flags to record."""

    flags: Flags | None = None


def _blocked(blocking: tuple[Hit, ...], categories: str, first: int) -> Blocked:
    """The 451: every blocking category and the first place it was found, and how to recover."""
    places: dict[str, str] = {}
    for hit in blocking:
        places.setdefault(hit.category, hit.where)
    found = "; ".join(f"{category} in {where}" for category, where in places.items())
    message = (
        f"Conduit blocked this request before it left: it contains {found}. The value was not sent and is not "
        "shown here. Remove it from the conversation (for example /clear or /rewind in Claude Code, or edit "
        "the message or file it came from) and send again; secrets belong in a secret manager, not in a prompt"
    )
    return Blocked(451, Status.GOVERNANCE_BLOCKED, "governance_blocked", message,
                   flags=Flags(categories, "block", first))
