"""`conduit credentials …`: seal a provider's API key under the master key, list credentials, delete one.

A secret comes from stdin or a hidden prompt, never from the command line, and is never printed. Imports typer
and `conduit.config` at module level; the store and sealing only inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.cli.proxy_sync import report_applied
from conduit.config.schema import CREDENTIAL_NAME, Config

app = typer.Typer(help="Sealed provider credentials (their secrets are never shown).", no_args_is_help=True)



@app.command("set")
def set_credential(
    name: str = typer.Argument(..., help="The credential's name: lowercase letters, digits, '.', '-' and '_'."),
    provider: str = typer.Option(..., "--provider", "-p", help="The provider key in conduit.toml it is for."),
    config: Path | None = config_option(),
) -> None:
    """Seal a provider API key, read from stdin or typed twice at a hidden prompt, and store it."""
    from conduit.core.sealing import SealError, seal
    from conduit.store import credentials
    from conduit.store.errors import StoreError
    from conduit.store.master_key import load_master_key
    from conduit.store.migrations import migrate

    if not CREDENTIAL_NAME.fullmatch(name):
        fail("a credential name uses lowercase letters, digits, '.', '-' and '_', starting with a letter or digit", 1)
    cfg = load_or_exit(config)
    if provider not in cfg.providers:
        known = ", ".join(cfg.providers)
        fail(f"unknown provider {provider!r}: {cfg.path} configures {known}; pass one of them to --provider", 1)
    try:
        master_key = load_master_key(master_key_file(cfg))
        migrate(cfg.database)
        credentials.open_all(cfg.database, master_key)
    except SealError as err:
        fail(f"{err}; nothing was stored (all credentials of a database must share one master key)", 1)
    except StoreError as err:
        fail(str(err), 1)
    sealed = seal(master_key, name, provider, _read_secret(name))
    try:
        version = credentials.put(cfg.database, name, provider, sealed)
    except StoreError as err:
        fail(str(err), 1)
    typer.echo(f"sealed credential {name} for provider {provider}")
    report_applied(cfg.database, version)


@app.command("list")
def list_credentials(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array instead of a table."),
    config: Path | None = config_option(),
) -> None:
    """List credentials: names, providers and dates, never their secrets."""
    import json

    from conduit.store import credentials
    from conduit.store.errors import StoreError
    from conduit.store.migrations import migrate

    cfg = load_or_exit(config)
    try:
        migrate(cfg.database)
        infos = credentials.list_all(cfg.database)
    except StoreError as err:
        fail(str(err), 1)
    rows = [(info.name, info.provider, _utc(info.created_at_ms), _utc(info.updated_at_ms)) for info in infos]
    if as_json:
        keys = ("name", "provider", "created_at", "updated_at")
        typer.echo(json.dumps([dict(zip(keys, row)) for row in rows], indent=2))
    elif not rows:
        typer.echo("no credentials yet; add one with `conduit credentials set NAME --provider KEY`")
    else:
        for line in _table([("NAME", "PROVIDER", "CREATED", "UPDATED"), *rows]):
            typer.echo(line)


@app.command("delete")
def delete_credential(
    name: str = typer.Argument(..., help="The credential to delete."),
    config: Path | None = config_option(),
) -> None:
    """Delete a credential."""
    from conduit.store import credentials
    from conduit.store.errors import StoreError
    from conduit.store.migrations import migrate

    cfg = load_or_exit(config)
    try:
        migrate(cfg.database)
        version = credentials.delete(cfg.database, name)
    except StoreError as err:
        fail(str(err), 1)
    if version is None:
        fail(f"there is no credential named {name!r}; `conduit credentials list` shows them", 1)
    typer.echo(f"deleted credential {name}")
    report_applied(cfg.database, version)


def master_key_file(config: Config) -> Path:
    """The master key file `config` names, else `conduit.key` next to the config file."""
    from conduit.store.master_key import default_key_file

    return config.master_key_file or default_key_file(config.path)


def _read_secret(name: str) -> str:
    """The secret from stdin when it is not a terminal, else typed twice at a hidden prompt."""
    secret = _read_stdin() if not sys.stdin.isatty() else _prompt_twice(name)
    if not secret:
        fail("the secret is empty; pipe the provider's API key to stdin, or run this in a terminal to type it", 1)
    if any(char < " " or char == "\x7f" for char in secret):
        fail("the secret contains a line break or another control character; give it as one line", 1)
    return secret


def _read_stdin() -> str:
    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError:
        fail("the secret on stdin is not UTF-8 text", 1)
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def _prompt_twice(name: str) -> str:
    import getpass

    try:
        first = getpass.getpass(f"Secret for {name}: ")
        second = getpass.getpass("Repeat it: ")
    except EOFError:
        fail("no secret was entered; nothing was stored", 1)
    if first != second:
        fail("the two entries differ; nothing was stored", 1)
    return first


def _utc(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
