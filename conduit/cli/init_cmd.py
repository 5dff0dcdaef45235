"""`conduit init`: write a commented `conduit.toml` and print the next steps.

Imports typer and `conduit.config` only.
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
    """Write a commented conduit.toml to start from."""
    written = [_write_new(path, TEMPLATE, force)]
    for file in written:
        typer.echo(f"wrote {file}")
    _print_next_steps(path)


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
