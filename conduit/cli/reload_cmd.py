"""`conduit reload`: check conduit.toml, then ask the running proxy to apply it (SIGHUP) and report the result.

Imports no aiohttp: it talks to the proxy through its lock file (pid) and the database (the outcome).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail

if TYPE_CHECKING:
    from conduit.store.reload_outcome import ReloadOutcome

WAIT_S = 10.0


def reload(
    config: Path | None = config_option(),
) -> None:
    """Apply conduit.toml to the running proxy without dropping open streams."""
    from conduit.store.policy_version import running_proxy_pid

    cfg = load_or_exit(config)
    pid = running_proxy_pid(cfg.database)
    if pid is None or pid <= 0:
        fail(f"no conduit proxy is running on {cfg.database}; start one with `conduit proxy`", 1)
    sent_ms = int(time.time() * 1000)
    os.kill(pid, signal.SIGHUP)
    outcome = _wait_outcome(cfg.database, sent_ms)
    if outcome is None:
        fail(f"sent SIGHUP to conduit proxy (pid {pid}) but it has not reported back; check its log", 1)
    if not outcome.ok:
        fail(outcome.message, 1)
    typer.echo(f"{outcome.message} (pid {pid})")


def _wait_outcome(db: Path, since_ms: int) -> ReloadOutcome | None:
    """The proxy's reload outcome recorded at or after `since_ms`, waiting up to WAIT_S."""
    from conduit.store.reload_outcome import latest

    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        outcome = latest(db)
        if outcome is not None and outcome.at_ms >= since_ms:
            return outcome
        time.sleep(0.05)
    return None
