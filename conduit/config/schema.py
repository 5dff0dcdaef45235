"""The shape of a loaded `conduit.toml`: frozen values the rest of Conduit reads, never raw dicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conduit.core.price import Price

DEFAULT_LISTEN = "127.0.0.1:8080"
DEFAULT_DATABASE = "conduit.db"
DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024
DEFAULT_CONNECT_TIMEOUT_S = 10.0
DEFAULT_READ_TIMEOUT_S = 600.0
DEFAULT_SHUTDOWN_GRACE_S = 30.0
APIS = ("anthropic", "openai")
RESERVED_PROVIDER_KEYS = frozenset({"healthz", "readyz", "metrics", "conduit"})


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One `[providers.<key>]` table: where `/<key>/…` is forwarded and which wire format it speaks."""

    key: str
    upstream: str
    api: str
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S


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
