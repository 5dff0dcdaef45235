"""The shape of a loaded `conduit.toml`: frozen values the rest of Conduit reads, never raw dicts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from conduit.core.policy import BudgetSettings, Team
from conduit.core.price import Price

DEFAULT_LISTEN = "127.0.0.1:8080"
DEFAULT_DATABASE = "conduit.db"
DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024
DEFAULT_CONNECT_TIMEOUT_S = 10.0
DEFAULT_READ_TIMEOUT_S = 600.0
DEFAULT_SHUTDOWN_GRACE_S = 30.0
DEFAULT_MASTER_KEY_FILE = "conduit.key"
DEFAULT_PERIOD = "month"
APIS = ("anthropic", "openai")
RESERVED_PROVIDER_KEYS = frozenset({"healthz", "readyz", "metrics", "conduit"})
AUTH_MODES = ("passthrough", "virtual")
CREDENTIAL_HEADERS = ("x-api-key", "authorization", "api-key")
CREDENTIAL_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
GOVERNANCE_ACTIONS = ("off", "alert", "block")
GOVERNANCE_ENGINES = ("auto", "hyperscan", "python")


def _no_teams() -> Mapping[str, Team]:
    return MappingProxyType({})


def _no_actions() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One `[providers.<key>]` table: where `/<key>/…` is forwarded, which wire format it speaks, and who
    holds the provider key (`passthrough`: the client; `virtual`: the sealed `credential`, sent in
    `credential_header`, a lower-case header name that is "authorization" for a Bearer token)."""

    key: str
    upstream: str
    api: str
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S
    auth: str = "passthrough"
    credential: str | None = None
    credential_header: str = ""


@dataclass(frozen=True, slots=True)
class GovernanceConfig:
    """The `[governance]` table: the action of every category not listed in `actions`, the operator's entity
    names (kept out of the repr), and the scan engine."""

    mode: str = "alert"
    actions: Mapping[str, str] = field(default_factory=_no_actions)
    entities: tuple[str, ...] = field(default=(), repr=False)
    engine: str = "auto"

    def action_for(self, category: str) -> str:
        """`off`, `alert` or `block` for `category` under this table."""
        return self.actions.get(category, self.mode)


@dataclass(frozen=True, slots=True)
class Config:
    """A whole, validated `conduit.toml`; `path` is the file it came from."""

    path: Path
    listen_host: str
    listen_port: int
    database: Path
    providers: Mapping[str, ProviderConfig]
    pricing: Mapping[str, Price]
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    shutdown_grace_s: float = DEFAULT_SHUTDOWN_GRACE_S
    teams: Mapping[str, Team] = field(default_factory=_no_teams)
    budget: BudgetSettings = field(default_factory=BudgetSettings)
    master_key_file: Path | None = None
    governance: GovernanceConfig = field(default_factory=GovernanceConfig)
