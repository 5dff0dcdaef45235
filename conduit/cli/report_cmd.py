"""`conduit report …`: spend, budgets, context rot and governance findings from the usage database, as Rich
tables on a terminal, plain text when piped, or JSON with `--json`; the same store queries as the dashboard.

$CONDUIT_NOW_MS (Unix ms) fixes "now" for reproducible reports. Imports typer and `conduit.cli` at module
level; the config, the store and rich inside the commands.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from conduit.cli.config_file import config_option
from conduit.cli.errors import fail

if TYPE_CHECKING:
    from conduit.config.schema import Config
    from conduit.store.queries import Window

NOW_ENV = "CONDUIT_NOW_MS"

app = typer.Typer(help="Reports on spend, budgets, context rot and governance findings.", no_args_is_help=True)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a report reads from: the database, the config (None with --db alone), now, and the timezone."""

    db: Path
    config: Config | None
    now_ms: int
    tz: str


def _db_opt() -> Path | None:
    option: Path | None = typer.Option(
        None, "--db", help="Usage database to read (default: `database` in conduit.toml).")
    return option


def _json_opt() -> bool:
    option: bool = typer.Option(False, "--json", help="Print a JSON document instead of a table.")
    return option


def _since_opt() -> str:
    option: str = typer.Option("30d", "--since", help="Start: 7d, 12h, 90m, 2w, today, or a UTC date/time.")
    return option


def _until_opt() -> str | None:
    option: str | None = typer.Option(None, "--until", help="End (exclusive), same forms as --since (default: now).")
    return option


@app.command("spend")
def spend(
    by: str = typer.Option("engineer", "--by", help="engineer, team, model, provider or day."),
    since: str = _since_opt(),
    until: str | None = _until_opt(),
    as_json: bool = _json_opt(),
    config: Path | None = config_option(),
    db: Path | None = _db_opt(),
) -> None:
    """Spend, tokens and errors per engineer, team, model, provider or day."""
    from conduit.cli import report_json, report_view
    from conduit.store.queries import SPEND_DIMENSIONS, spend_by
    from conduit.store.queries.spend_by import totals

    if by not in SPEND_DIMENSIONS:
        fail(f"--by {by!r} is not a breakdown; use one of {', '.join(SPEND_DIMENSIONS)}")
    src = _source(config, db)
    window = _window(since, until, src.now_ms)
    with _reading(src.db) as conn:
        rows = spend_by(conn, window, by, tz=_zone(src.tz))
        total = totals(conn, window)
    if as_json:
        _print_json(report_json.spend_json(by, window, src.tz, rows, total))
    else:
        report_view.show([report_view.spend_table(by, window, src.tz, rows, total)], sys.stdout.isatty())


@app.command("budgets")
def budgets(
    as_json: bool = _json_opt(),
    config: Path | None = config_option(),
    db: Path | None = _db_opt(),
) -> None:
    """Every budget's spend this period, burn rate and when it runs out (org and team budgets need the config)."""
    from conduit.cli import report_json, report_view
    from conduit.core.policy import BudgetSettings
    from conduit.store.queries import budget_status

    src = _source(config, db)
    settings = src.config.budget if src.config is not None else BudgetSettings()
    teams = src.config.teams if src.config is not None else {}
    if src.config is None:
        typer.echo("note: without a conduit.toml only virtual-key budgets are shown", err=True)
    with _reading(src.db) as conn:
        rows = budget_status(conn, teams=teams, settings=settings, now_ms=src.now_ms)
    if as_json:
        _print_json(report_json.budgets_json(src.now_ms, src.tz, rows))
    else:
        report_view.show([report_view.budgets_table(src.now_ms, src.tz, rows)], sys.stdout.isatty())


@app.command("context-rot")
def context_rot(
    since: str = _since_opt(),
    until: str | None = _until_opt(),
    as_json: bool = _json_opt(),
    config: Path | None = config_option(),
    db: Path | None = _db_opt(),
) -> None:
    """Cost, error rate and latency per context-size bucket: does a long conversation still pay off?"""
    from conduit.cli import report_json, report_view
    from conduit.store import queries

    src = _source(config, db)
    window = _window(since, until, src.now_ms)
    with _reading(src.db) as conn:
        buckets = queries.context_rot(conn, window)
    if as_json:
        _print_json(report_json.context_rot_json(window, src.tz, buckets, queries.LATENCY_ERROR))
    else:
        report_view.show([report_view.context_rot_table(window, src.tz, buckets)], sys.stdout.isatty())


@app.command("governance")
def governance(
    since: str = _since_opt(),
    until: str | None = _until_opt(),
    as_json: bool = _json_opt(),
    config: Path | None = config_option(),
    db: Path | None = _db_opt(),
) -> None:
    """Governance findings by category (first sightings and repeats) and by engineer; never a value."""
    from conduit.cli import report_json, report_view
    from conduit.store.queries import governance_summary

    src = _source(config, db)
    window = _window(since, until, src.now_ms)
    with _reading(src.db) as conn:
        summary = governance_summary(conn, window, tz=_zone(src.tz))
    if as_json:
        _print_json(report_json.governance_json(window, src.tz, summary))
    else:
        report_view.show(report_view.governance_tables(window, src.tz, summary), sys.stdout.isatty())


def _source(config: Path | None, db: Path | None) -> Source:
    """The database and config a report reads: --db alone needs no config; otherwise the config names it."""
    from conduit.cli.config_file import load_or_exit

    loaded = load_or_exit(config) if db is None or config is not None else None
    path = db if db is not None else loaded.database if loaded is not None else None
    assert path is not None
    tz = loaded.budget.timezone if loaded is not None else "UTC"
    return Source(path, loaded, _now_ms(), tz)


def _now_ms() -> int:
    """Now in Unix ms, or $CONDUIT_NOW_MS when set (for reproducible reports)."""
    fixed = os.environ.get(NOW_ENV, "").strip()
    if not fixed:
        return time.time_ns() // 1_000_000
    if not fixed.isdigit():
        fail(f"${NOW_ENV} must be a Unix time in milliseconds, not {fixed!r}; unset it to use the clock")
    return int(fixed)


def _window(since: str, until: str | None, now_ms: int) -> Window:
    """The report's window from --since/--until, or exit 2 naming the bad value."""
    from conduit.core.moments import window_ms
    from conduit.store.queries import Window

    try:
        since_ms, until_ms = window_ms(since, until, now_ms)
    except ValueError as exc:
        fail(f"--since/--until: {exc}")
    return Window(since_ms, until_ms)


def _zone(tz: str) -> tzinfo:
    """The tzinfo of an IANA name already validated by the config loader."""
    from conduit.core.periods import zone

    return zone(tz)


@contextmanager
def _reading(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to `db`, or exit 1 with the store's one-line reason."""
    from conduit.store.errors import StoreError
    from conduit.store.queries import open_reader

    try:
        conn = open_reader(db)
    except StoreError as exc:
        fail(str(exc), 1)
    try:
        yield conn
    except sqlite3.Error as exc:
        fail(f"could not read {db}: {exc}", 1)
    finally:
        conn.close()


def _print_json(document: dict[str, object]) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
