"""Keeps the running proxy in step with `conduit keys` and `conduit credentials`: polls the policy version
the CLI bumps, swaps in the new keys and credentials, and acknowledges with `policy_applied`, so a revoke or
rotate applies on the next request without a restart. A change that cannot be applied is logged and the
previous keys and credentials stay in force.
"""

from __future__ import annotations

import asyncio
import logging

import aiosqlite

from conduit.proxy.startup import load_keys, open_credentials, with_spend
from conduit.proxy.state import ProxyState
from conduit.store import policy_version
from conduit.store.connection import connect_async

log = logging.getLogger("conduit.proxy")
POLL_INTERVAL_S = 0.1


async def open_watch_connection(state: ProxyState) -> aiosqlite.Connection:
    """The watcher's own connection, opened before its task starts so a stop never interrupts the opening."""
    return await connect_async(state.config.database)


async def watch_policy(state: ProxyState, seen: int, conn: aiosqlite.Connection) -> None:
    """Poll for policy changes on `conn` until cancelled; `seen` is the version already loaded at start-up."""
    while True:
        await asyncio.sleep(POLL_INTERVAL_S)
        try:
            version = await policy_version.read_async(conn)
            if version != seen:
                await _apply(state, version)
                seen = version
        except Exception as exc:
            log.error("could not apply a change to keys or credentials (%s: %s); the previous ones stay in "
                      "force", type(exc).__name__, exc)
            await asyncio.sleep(1.0)


async def _apply(state: ProxyState, version: int) -> None:
    """Load keys and credentials off the loop, swap them in on it, then acknowledge `version`."""
    config = state.config
    keys = await asyncio.to_thread(load_keys, config.database)
    credentials = await asyncio.to_thread(open_credentials, config)
    access = state.access
    access.credentials = credentials
    ledger = access.gate.ledger
    access.apply_keys(keys)
    await asyncio.to_thread(with_spend, config.database, ledger.load)
    await asyncio.to_thread(policy_version.mark_applied, config.database, version)
    log.info("applied key/credential change (policy version %d): %d keys", version, len(keys))
