"""After a command changes keys or credentials: wait for a proxy running on the same database to apply the
change, and say so on stderr (or warn that it has not yet).

Imports typer and `conduit.store` lazily.
"""

from __future__ import annotations

from pathlib import Path

import typer


def report_applied(db: Path, version: int | None = None) -> None:
    """If a proxy runs on `db`, wait until it enforces policy `version` (default: the current one) and tell
    the user whether it does."""
    from conduit.store import policy_version
    from conduit.store.errors import StoreError

    pid = policy_version.running_proxy_pid(db)
    if pid is None:
        return
    if version is None:
        version = policy_version.current_policy_version(db)
    who = f"the running proxy (pid {pid})" if pid > 0 else "the running proxy"
    try:
        applied = policy_version.wait_applied(db, version)
    except StoreError:
        applied = False
    if applied:
        typer.echo(f"applied by {who}", err=True)
    else:
        typer.echo(f"warning: {who} has not applied this change yet; it will within seconds", err=True)
