"""Applies a changed conduit.toml to the running proxy (SIGHUP or `conduit reload`) without dropping open
streams: in-flight requests keep what they already read, new ones see the new config. An invalid file is
rejected with a logged message and the running config stays in force; the outcome is recorded for the CLI.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import aiohttp

from conduit.config.errors import ConfigError
from conduit.config.loader import load_config
from conduit.config.schema import Config
from conduit.core.pricing import PriceBook
from conduit.core.sealing import SealError
from conduit.providers import adapter_for
from conduit.proxy.routing import Router
from conduit.proxy.startup import build_governor, open_credentials, with_spend
from conduit.proxy.state import ProxyState
from conduit.store import reload_outcome
from conduit.store.errors import StoreError

log = logging.getLogger("conduit.proxy")
_NEEDS_RESTART = ("listen_host", "listen_port", "database", "master_key_file")


async def reload_config(state: ProxyState) -> bool:
    """Load the config file again and apply it; False (old config kept) if it is invalid."""
    old = state.config
    try:
        new = await asyncio.to_thread(load_config, old.path)
        credentials = await asyncio.to_thread(open_credentials, new)
        governor = await asyncio.to_thread(build_governor, new)
    except (ConfigError, StoreError, SealError, ValueError) as exc:
        message = f"reload rejected, the running configuration stays in force: {exc}"
        log.error("%s", message)
        await asyncio.to_thread(reload_outcome.record, old.database, False, message)
        return False
    ignored = [name for name in _NEEDS_RESTART if getattr(new, name) != getattr(old, name)]
    new = dataclasses.replace(new, **{name: getattr(old, name) for name in ignored})
    _apply(state, new)
    state.access.credentials = credentials
    state.governance.governor = governor
    await asyncio.to_thread(with_spend, new.database, state.access.gate.ledger.load)
    message = f"reloaded {new.path}: {len(new.providers)} providers, {len(new.teams)} teams"
    if ignored:
        message += f"; restart to apply changes to {', '.join(ignored)}"
    log.info("%s", message)
    await asyncio.to_thread(reload_outcome.record, new.database, True, message)
    return True


def _apply(state: ProxyState, config: Config) -> None:
    """Swap the config-derived parts of the state (each assignment is atomic for the handlers)."""
    state.router = Router(config.providers)
    state.adapters = {key: adapter_for(p.api) for key, p in config.providers.items()}
    state.timeouts = {
        key: aiohttp.ClientTimeout(total=None, sock_connect=p.connect_timeout_s, sock_read=p.read_timeout_s)
        for key, p in config.providers.items()
    }
    state.prices = PriceBook.default(config.pricing)
    state.access.apply_config(config)
    state.config = config
