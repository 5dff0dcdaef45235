"""The proxy's live access state: virtual keys, opened credentials, teams, checks and the bad-key throttle.

Built at start-up; keys and credentials are swapped in when the CLI changes them, teams and budgets when the
config is reloaded. Secrets live in memory only. Handlers read it; only the watcher and reload write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conduit.checks.auth import KeyRing
from conduit.checks.budget import BudgetLedger
from conduit.checks.gate import Gate
from conduit.checks.rate_limit import BadKeyThrottle, RateLimiter
from conduit.config.schema import Config
from conduit.core.policy import Team
from conduit.core.vkey import VirtualKey


class Access:
    """Everything the access checks read, replaced piecewise and never mutated in place by handlers."""

    __slots__ = ("keyring", "credentials", "teams", "gate", "throttle")

    def __init__(self, config: Config) -> None:
        self.keyring = KeyRing()
        self.credentials: Mapping[str, str] = {}
        self.teams: Mapping[str, Team] = config.teams
        self.gate = Gate(RateLimiter(), BudgetLedger(config.budget, config.teams))
        self.throttle = BadKeyThrottle()

    def team_of(self, key: VirtualKey | None) -> Team | None:
        """The configured team of a key, if any."""
        if key is None or key.team is None:
            return None
        return self.teams.get(key.team)

    def apply_keys(self, keys: Iterable[VirtualKey]) -> list[VirtualKey]:
        """Swap in a new key ring and let the ledger track the keys' budgets; returns the keys."""
        keys = list(keys)
        self.keyring = KeyRing(keys)
        self.gate.ledger.track_keys(keys)
        return keys

    def apply_config(self, config: Config) -> None:
        """Take new teams and budget settings from a reloaded config (spend already counted is kept)."""
        self.teams = config.teams
        self.gate.ledger.reconfigure(config.budget, config.teams)
