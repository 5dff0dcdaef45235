"""Helpers for tests of virtual-key mode: a config with sealed credentials, a master key, and keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from conduit.core.policy import Budget, RateLimit
from conduit.core.sealing import seal
from conduit.core.vkey import VirtualKey
from conduit.store import credentials, keys
from conduit.store.master_key import MASTER_KEY_ENV
from conduit.store.migrations import migrate

ANTHROPIC_SECRET = "sk-ant-api03-REAL-" + secrets.token_hex(12)
OPENAI_SECRET = "sk-proj-REAL-" + secrets.token_hex(12)


@dataclass
class Home:
    """A folder with conduit.toml, a migrated database, sealed credentials and a master key (in the env)."""

    path: Path
    master_key: bytes

    @property
    def config(self) -> Path:
        return self.path / "conduit.toml"

    @property
    def db(self) -> Path:
        return self.path / "conduit.db"

    def key(self, name: str, team: str | None = "platform", budget: Budget | None = None,
            models: tuple[str, ...] = (), rate_limit: RateLimit | None = None) -> tuple[VirtualKey, str]:
        """Create a virtual key; returns its record and the plain key."""
        return keys.create(self.db, name, team=team, budget=budget, models=models, rate_limit=rate_limit)


def virtual_home(path: Path, upstream: str, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> Home:
    """Write a virtual-mode conduit.toml for `upstream`, seal both providers' credentials, set the master key."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "conduit.toml").write_text(
        f"""listen = "127.0.0.1:0"
database = "conduit.db"
shutdown_grace_s = 5

[providers.anthropic]
upstream = "{upstream}"
api = "anthropic"
auth = "virtual"
credential = "anthropic-prod"

[providers.openai]
upstream = "{upstream}"
api = "openai"
auth = "virtual"
credential = "openai-prod"

[teams.platform]
{extra}
"""
    )
    master_key = secrets.token_bytes(32)
    monkeypatch.setenv(MASTER_KEY_ENV, master_key.hex())
    home = Home(path, master_key)
    migrate(home.db)
    credentials.put(home.db, "anthropic-prod", "anthropic", seal(master_key, "anthropic-prod", "anthropic",
                                                                 ANTHROPIC_SECRET))
    credentials.put(home.db, "openai-prod", "openai", seal(master_key, "openai-prod", "openai", OPENAI_SECRET))
    return home
