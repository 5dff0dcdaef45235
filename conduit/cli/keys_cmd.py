"""`conduit keys …`: create, list, update, revoke and rotate virtual keys, one per engineer.

A plain key is printed once, by `create` or `rotate`, and never again; `update` changes limits, not the key.
Imports typer and `conduit.cli`, `conduit.config` and `conduit.core` at module level; the store and rich inside
the commands.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.cli.keys_view import (
    changes,
    key_json,
    new_key_json,
    plain_table,
    rich_table,
    table_rows,
)
from conduit.cli.proxy_sync import report_applied
from conduit.core.policy import PERIODS, Budget, RateLimit

if TYPE_CHECKING:
    from conduit.config.schema import Config
    from conduit.core.vkey import VirtualKey
    from conduit.store.keys import Keep

_T = TypeVar("_T")

app = typer.Typer(help="Create, list, update, revoke and rotate virtual keys (one per engineer).",
                  no_args_is_help=True)


def _json_option(what: str) -> bool:
    option: bool = typer.Option(False, "--json", help=f"Print {what} as JSON.")
    return option


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Who holds the key, e.g. alice or alice@example.com."),
    team: str | None = typer.Option(None, "--team", help="The team the key's spend counts towards."),
    budget: float | None = typer.Option(None, "--budget", help="Spending cap in USD per period."),
    period: str | None = typer.Option(None, "--period", help="Budget period: day, week or month (default month)."),
    models: str | None = typer.Option(
        None, "--models", help="Allowed model patterns, comma-separated, e.g. 'claude-sonnet-*' (default: any)."
    ),
    rpm: int | None = typer.Option(None, "--rpm", help="Requests per minute allowed."),
    tpm: int | None = typer.Option(None, "--tpm", help="Tokens per minute allowed."),
    expires: str | None = typer.Option(
        None, "--expires", help="30d, 12h, 90m, 2w, or a UTC date/time such as 2026-12-31 (default: never)."
    ),
    as_json: bool = _json_option("the new key"),
    config: Path | None = config_option(),
) -> None:
    """Create a virtual key and print it once."""
    from conduit.store import keys

    cfg = load_or_exit(config)
    now_ms = time.time_ns() // 1_000_000
    key_budget = _budget(budget, period)
    patterns = _patterns(models)
    limit = None if rpm is None and tpm is None else RateLimit(rpm, tpm)
    expires_at_ms = _expiry(expires, now_ms)
    _store(lambda: keys.check_values(name, team, key_budget, patterns, limit))
    _warn_unknown_team(cfg, team)
    db = _migrated(cfg)
    key, plain = _store(lambda: keys.create(db, name, team, key_budget, patterns, limit, expires_at_ms))
    _show_new_key(key, plain, as_json, f"created the key {key.name!r} ({_describe(key)})")
    report_applied(db)


@app.command("list")
def list_keys(
    as_json: bool = _json_option("the keys"),
    show_all: bool = typer.Option(False, "--all", help="Include revoked keys."),
    config: Path | None = config_option(),
) -> None:
    """List the virtual keys (never the keys themselves)."""
    from conduit.store import keys

    db = _migrated(load_or_exit(config))
    found = _store(lambda: keys.list_keys(db, include_revoked=show_all))
    now_ms = time.time_ns() // 1_000_000
    if as_json:
        typer.echo(json.dumps([key_json(key, now_ms) for key in found], indent=2, ensure_ascii=False))
    elif not found:
        typer.echo("no virtual keys yet; create one with `conduit keys create NAME`", err=True)
    elif sys.stdout.isatty():
        rich_table(table_rows(found, now_ms))
    else:
        for line in plain_table(table_rows(found, now_ms)):
            typer.echo(line)


@app.command("update")
def update(
    name: str = typer.Argument(..., help="The key's name."),
    team: str | None = typer.Option(None, "--team", help="The team the key's spend counts towards."),
    no_team: bool = typer.Option(False, "--no-team", help="Take the key out of its team."),
    budget: float | None = typer.Option(None, "--budget", help="Spending cap in USD per period."),
    period: str | None = typer.Option(
        None, "--period", help="Budget period: day, week or month (default: the key's period, else month)."
    ),
    no_budget: bool = typer.Option(False, "--no-budget", help="Remove the key's own budget."),
    models: str | None = typer.Option(None, "--models", help="Allowed model patterns, comma-separated."),
    any_model: bool = typer.Option(False, "--any-model", help="Remove the key's model allow-list."),
    rpm: int | None = typer.Option(None, "--rpm", help="Requests per minute allowed."),
    tpm: int | None = typer.Option(None, "--tpm", help="Tokens per minute allowed."),
    no_rate_limit: bool = typer.Option(False, "--no-rate-limit", help="Remove the key's rpm and tpm limits."),
    expires: str | None = typer.Option(None, "--expires", help="30d, 12h, 90m, 2w, or a UTC date/time."),
    never_expires: bool = typer.Option(False, "--never-expires", help="Remove the key's expiry."),
    as_json: bool = _json_option("the updated key"),
    config: Path | None = config_option(),
) -> None:
    """Change a key's team, budget, models, rate limits or expiry; the key itself stays the same."""
    from conduit.store import keys

    now_ms = time.time_ns() // 1_000_000
    edit = keys.KeyEdit(
        team=_set_or_clear(team, no_team, "--team or --no-team", None),
        budget_usd=_set_or_clear(budget, no_budget, "--budget or --no-budget", None),
        period=_new_period(period, no_budget),
        models=_set_or_clear(None if models is None else _patterns(models), any_model, "--models or --any-model", ()),
        rpm=_set_or_clear(rpm, no_rate_limit, "--rpm or --no-rate-limit", None),
        tpm=_set_or_clear(tpm, no_rate_limit, "--tpm or --no-rate-limit", None),
        expires_at_ms=_set_or_clear(_expiry(expires, now_ms), never_expires, "--expires or --never-expires", None),
    )
    if edit == keys.KeyEdit():
        fail("nothing to update: give an option such as --budget 50 (`conduit keys update --help` lists them)", 1)
    cfg = load_or_exit(config)
    db = _migrated(cfg)
    old, new = _store(lambda: keys.update(db, name, edit))
    if new == old:
        typer.echo(f"the key {name!r} already has these settings; nothing changed", err=True)
    else:
        typer.echo(f"updated the key {name!r}: {', '.join(changes(old, new))}", err=True)
    if new.team != old.team:
        _warn_unknown_team(cfg, new.team, "updated")
    if as_json:
        typer.echo(json.dumps(key_json(new, now_ms), indent=2, ensure_ascii=False))
    if new != old:
        report_applied(db)


@app.command("revoke")
def revoke(
    name: str = typer.Argument(..., help="The key's name."),
    config: Path | None = config_option(),
) -> None:
    """Revoke a virtual key for good."""
    from conduit.store import keys

    db = _migrated(load_or_exit(config))
    key = _store(lambda: keys.revoke(db, name))
    typer.echo(f"revoked the key {key.name!r} ({key.id}, {key.key_prefix})")
    report_applied(db)


@app.command("rotate")
def rotate(
    name: str = typer.Argument(..., help="The key's name."),
    as_json: bool = _json_option("the new key"),
    config: Path | None = config_option(),
) -> None:
    """Replace a virtual key's secret (same id and limits) and print the new key once."""
    from conduit.store import keys

    db = _migrated(load_or_exit(config))
    key, plain = _store(lambda: keys.rotate(db, name))
    _show_new_key(key, plain, as_json, f"rotated the key {key.name!r} ({key.id}); the previous key no longer works")
    report_applied(db)


def _migrated(cfg: Config) -> Path:
    """The config's database, brought up to the latest schema."""
    from conduit.store.migrations import migrate

    _store(lambda: migrate(cfg.database))
    return cfg.database


def _store(call: Callable[[], _T]) -> _T:
    """Run a store call, turning a StoreError (including KeyStoreError) into one line and exit 1."""
    from conduit.store.errors import StoreError

    try:
        return call()
    except StoreError as exc:
        fail(str(exc), 1)


def _budget(usd: float | None, period: str | None) -> Budget | None:
    if usd is None:
        if period is not None:
            fail("--period needs --budget (for example --budget 50 --period week)", 1)
        return None
    if period is not None and period not in PERIODS:
        fail(f"--period must be one of {', '.join(PERIODS)}, not {period!r}", 1)
    return Budget(usd, period or "month")


def _set_or_clear(value: _T | None, clear: bool, options: str, cleared: _T) -> _T | Keep:
    """`value` when given, `cleared` when the clearing option is, else KEEP; both at once is a mistake."""
    from conduit.store.keys import KEEP

    if value is not None and clear:
        fail(f"give {options}, not both", 1)
    if clear:
        return cleared
    return KEEP if value is None else value


def _new_period(period: str | None, no_budget: bool) -> str | Keep:
    from conduit.store.keys import KEEP

    if period is None:
        return KEEP
    if no_budget:
        fail("--period cannot be used with --no-budget", 1)
    if period not in PERIODS:
        fail(f"--period must be one of {', '.join(PERIODS)}, not {period!r}", 1)
    return period


def _patterns(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    patterns = tuple(piece.strip() for piece in text.split(","))
    if not all(patterns):
        fail(f"--models {text!r} has an empty pattern; write patterns like 'claude-sonnet-*,claude-haiku-*'", 1)
    return patterns


def _expiry(text: str | None, now_ms: int) -> int | None:
    from conduit.cli.durations import parse_expiry

    if text is None:
        return None
    try:
        return parse_expiry(text, now_ms)
    except ValueError as exc:
        fail(f"--expires: {exc}", 1)


def _warn_unknown_team(cfg: Config, team: str | None, done: str = "created") -> None:
    """Warn (without refusing) when `team` is not a `[teams.<name>]` table of conduit.toml."""
    teams = getattr(cfg, "teams", {})
    if team is None or team in teams:
        return
    known = f"configured teams: {', '.join(sorted(teams))}" if teams else "no teams are configured"
    typer.echo(f"warning: team {team!r} is not in {cfg.path} ({known}); the key is {done} anyway", err=True)


def _describe(key: VirtualKey) -> str:
    parts = [key.id]
    if key.team is not None:
        parts.append(f"team {key.team}")
    if key.budget is not None:
        parts.append(f"${key.budget.usd:g} per {key.budget.period}")
    return ", ".join(parts)


def _show_new_key(key: VirtualKey, plain: str, as_json: bool, done: str) -> None:
    """Print the plain key once on stdout (alone, or in one JSON object), with notes on stderr."""
    if as_json:
        typer.echo(json.dumps(new_key_json(key, plain), ensure_ascii=False))
    else:
        typer.echo(done, err=True)
        typer.echo(plain)
    typer.echo("This key is shown only once and cannot be shown again: store it now.", err=True)


