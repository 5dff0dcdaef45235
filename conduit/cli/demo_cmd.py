"""`conduit demo`: the simulated provider, the proxy and a small team's synthetic agent traffic, shown live in
the dashboard, or with `--headless` as progress lines and a closing summary table. No API key, loopback only.

Imports typer at module level; aiohttp, rich, textual and the demo itself only inside the command.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from conduit.cli.errors import fail

if TYPE_CHECKING:
    from conduit.core.pricing import PriceBook
    from conduit.demo.run import DemoOptions, Finished

T = TypeVar("T")

HEADLESS_DURATION_S = 30.0


def demo(
    headless: bool = typer.Option(False, "--headless", help="No dashboard: print progress and a summary table."),
    duration: float | None = typer.Option(
        None, "--duration", min=0.1, metavar="SECONDS",
        help="Stop the traffic after this many seconds (default: 30 headless, until you quit the dashboard).",
    ),
    requests: int | None = typer.Option(
        None, "--requests", min=1, metavar="N", help="Stop the traffic after this many requests."
    ),
    db: Path | None = typer.Option(
        None, "--db", metavar="PATH",
        help="Keep the demo's database at this path (default: a temporary folder removed at exit).",
    ),
    rate: float = typer.Option(3.0, "--rate", min=0.1, max=500, metavar="PER_SECOND", help="Requests per second."),
    seed: int = typer.Option(1, "--seed", metavar="SEED", help="Seed of the traffic, so runs repeat."),
) -> None:
    """See Conduit at work with no API key: a simulated provider, the proxy and a small team's agents."""
    from conduit.demo.run import DemoOptions
    from conduit.demo.traffic import TrafficPlan

    if not headless and not (sys.stdin.isatty() and sys.stdout.isatty()):
        _say("conduit demo: not a terminal, so no dashboard; running as with --headless")
        headless = True
    if headless and duration is None and requests is None:
        duration = HEADLESS_DURATION_S
    options = DemoOptions(db, TrafficPlan(rate, seed, duration, requests))
    finished = _headless(options) if headless else _interactive(options)
    _close(finished, summary=headless)


def _headless(options: DemoOptions) -> Finished:
    """Run in the foreground until the plan ends or Ctrl-C."""
    import asyncio

    from conduit.demo.run import run_headless

    return _guarded(lambda: asyncio.run(run_headless(options, _say)))


def _interactive(options: DemoOptions) -> Finished:
    """Run the demo on a background thread while the dashboard owns the terminal; quitting it stops the demo."""
    import logging

    from conduit.core.pricing import PriceBook
    from conduit.dashboard import run_dashboard
    from conduit.demo.run import BackgroundDemo, where

    for name in ("conduit", "aiohttp"):  # keep log records off the dashboard's screen
        logging.getLogger(name).addHandler(logging.NullHandler())
    background = BackgroundDemo(options)
    _say("conduit demo: starting the simulated provider and the proxy…")
    running = _guarded(background.start)
    _say(where(running))
    config = running.config
    try:
        run_dashboard(config.database, teams=config.teams, budget_settings=config.budget,
                      prices=PriceBook.default(config.pricing))
    finally:
        finished = _guarded(background.stop)
    _say(f"conduit demo: {finished.tally.done} requests answered ({finished.tally.summary()})")
    return finished


def _guarded(start: Callable[[], T]) -> T:
    """Run `start`, turning start-up failures into one-line errors."""
    from conduit.core.sealing import SealError
    from conduit.store.errors import StoreError

    try:
        return start()
    except (StoreError, SealError) as exc:
        fail(str(exc), 1)
    except OSError as exc:
        fail(f"the demo could not start: {exc.strerror or exc}", 1)


def _close(finished: Finished, summary: bool) -> None:
    """Print the summary (headless), then say where the database is, or remove the temporary folder."""
    from conduit.core.pricing import PriceBook
    from conduit.demo.setup import remove_home

    home = finished.home
    try:
        if summary:
            _print_summary(finished.config.database, PriceBook.default(finished.config.pricing))
    finally:
        remove_home(home)
    if home.temporary:
        _say("conduit demo: removed its temporary folder; keep the data next time with --db demo.db")
    else:
        _say(f"conduit demo: database kept at {home.database}; "
             f"open it again with `conduit dashboard --config {home.config_path}`")


def _print_summary(database: Path, prices: PriceBook) -> None:
    from rich.console import Console

    from conduit.demo.summary import print_summary

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 120)
    print_summary(database, prices, time.time_ns() // 1_000_000, console)


def _say(message: str) -> None:
    typer.echo(message, err=True)
