"""`conduit dashboard`: open the live terminal dashboard on the usage database named by conduit.toml or --db.

textual (through `conduit.dashboard`) is imported inside the command, so `conduit --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.config.loader import find_config_path
from conduit.core.moments import moment_ms

DB_HELP = "Usage database to show (default: `database` from conduit.toml); works without a config file."
SINCE_HELP = "Look-back window: 7d, 12h, 90m, 2w, `today`, `all`, or a UTC date such as 2026-11-01."


def dashboard(
    config: Path | None = config_option(),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    since: str = typer.Option("7d", "--since", help=SINCE_HELP),
) -> None:
    """Live terminal dashboard: spend, budgets, governance, context rot and sessions (read-only)."""
    window = None if since.strip().lower() == "all" else since
    if window is not None:
        try:
            moment_ms(window, 0)
        except ValueError as exc:
            fail(f"--since {exc}" if str(exc).startswith("is ") else f"--since: {exc}")
    from conduit.core.pricing import PriceBook
    from conduit.dashboard import run_dashboard

    if db is not None and config is None and not find_config_path(None).is_file():
        run_dashboard(db, since=window)
        return
    cfg = load_or_exit(config)
    run_dashboard(
        db if db is not None else cfg.database,
        since=window,
        teams=cfg.teams,
        budget_settings=cfg.budget,
        prices=PriceBook.default(cfg.pricing),
    )
