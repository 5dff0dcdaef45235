"""`conduit init`: write a commented `conduit.toml` and a 0600 master key file next to it, then the next steps.

Imports typer and `conduit.config` at module level; `conduit.store.master_key` inside the command.
"""

from __future__ import annotations

from pathlib import Path

import typer

from conduit.cli.errors import fail
from conduit.config.loader import DEFAULT_CONFIG_NAME
from conduit.config.template import TEMPLATE


def init(
    path: Path = typer.Option(Path(DEFAULT_CONFIG_NAME), "--path", help="Where to write the config file."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it already exists."),
) -> None:
    """Write a commented conduit.toml to start from, and a master key file unless one exists."""
    from conduit.store.master_key import default_key_file

    key_file = default_key_file(path)
    created = _create_key(key_file)
    if path.is_file() and not force:
        kept = f" (the missing master key {key_file} was created)" if created else ""
        fail(f"{path} already exists; use --force to overwrite it{kept}", 1)
    written = [_write_new(path, TEMPLATE, force)]
    if created:
        written.append(key_file)
    for file in written:
        typer.echo(f"wrote {file}")
    _print_key_notice(key_file, created)
    _print_next_steps(path)


def _create_key(path: Path) -> bool:
    """Create the master key file (0600); False when one already exists, which is never replaced."""
    from conduit.store.master_key import MasterKeyError, create_key_file

    try:
        return create_key_file(path)
    except MasterKeyError as err:
        fail(str(err), 1)


def _print_key_notice(key_file: Path, created: bool) -> None:
    if not created:
        typer.echo(f"kept the existing master key {key_file}")
    typer.echo("")
    typer.echo(f"{key_file} is the master key that seals provider credentials (mode 0600).")
    typer.echo("Back it up somewhere safe and keep it out of version control: without it, sealed")
    typer.echo("credentials cannot be opened. CONDUIT_MASTER_KEY, when set, is used instead.")


def _write_new(path: Path, text: str, force: bool) -> Path:
    """Write `text` to `path`, refusing to replace an existing file unless `force`."""
    if path.is_dir():
        fail(f"{path} is a folder; pass --path with a file name, e.g. --path {path / DEFAULT_CONFIG_NAME}", 1)
    try:
        with path.open("w" if force else "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        fail(f"{path} already exists; use --force to overwrite it", 1)
    except OSError as err:
        fail(f"cannot write {path} ({err.strerror})", 1)
    return path


def _print_next_steps(path: Path) -> None:
    config_flag = "" if path == Path(DEFAULT_CONFIG_NAME) else f" --config {path}"
    typer.echo("")
    typer.echo("Next steps:")
    typer.echo(f"  1. Review {path}: listen address, database and providers.")
    typer.echo(f"  2. Check it:        conduit config check{config_flag}")
    typer.echo(f"  3. Start the proxy: conduit proxy{config_flag}")
    typer.echo("  4. Point your agents at it:")
    typer.echo("       export ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic")
    typer.echo("       export OPENAI_BASE_URL=http://127.0.0.1:8080/openai/v1")
