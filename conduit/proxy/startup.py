"""Builds the proxy's access state before it serves: virtual keys, opened credentials (a wrong or missing
master key fails here, not at the first request) and budgets rebuilt from the recorded spend.

Runs synchronously at start-up and in a worker thread on reload; never on the event loop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

from conduit.config.schema import Config
from conduit.core.vkey import VirtualKey
from conduit.governance.scan import Governor
from conduit.store import credentials as credential_store
from conduit.store import keys as key_store
from conduit.store.connection import connect
from conduit.store.errors import StoreError
from conduit.store.master_key import load_master_key
from conduit.store.spend import spent_since

SpendLoader = Callable[[str, str | None, float], float]


def open_credentials(config: Config) -> Mapping[str, str]:
    """Every sealed credential, opened with the master key; empty when no provider uses virtual keys.

    Raises StoreError (or SealError) naming what is wrong, and for each virtual provider whose credential is
    missing, how to set it."""
    needed = {p.credential: key for key, p in config.providers.items() if p.auth == "virtual" and p.credential}
    if not needed:
        return {}
    assert config.master_key_file is not None
    master_key = load_master_key(config.master_key_file)
    opened = credential_store.open_all(config.database, master_key)
    for name, provider in needed.items():
        if name not in opened:
            raise StoreError(
                f"provider {provider!r} uses credential {name!r}, which is not set in {config.database}; "
                f"run `conduit credentials set {name} --provider {provider}`"
            )
    return opened


def build_governor(config: Config) -> Governor:
    """The governance scan for `config`, compiled (this takes a moment with many detectors and entities)."""
    governance = config.governance
    return Governor(governance.mode, governance.actions, governance.entities, engine=governance.engine)


def load_keys(db: Path) -> list[VirtualKey]:
    """All virtual keys in the database (revoked ones too)."""
    return key_store.load_all(db)


def spend_loader(conn: sqlite3.Connection) -> SpendLoader:
    """A loader the budget ledger calls to learn what a scope spent since its period started."""

    def load(kind: str, ident: str | None, since_s: float) -> float:
        return spent_since(conn, kind, ident, int(since_s * 1000))

    return load


def with_spend(db: Path, use: Callable[[SpendLoader], None]) -> None:
    """Run `use` with a spend loader over a short-lived connection to `db`."""
    conn = connect(db)
    try:
        use(spend_loader(conn))
    finally:
        conn.close()
