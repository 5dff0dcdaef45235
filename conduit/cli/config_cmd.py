"""`conduit config …`: commands about `conduit.toml`; `check` validates it and prints a summary.

Imports typer and `conduit.config` only.
"""

from __future__ import annotations

from pathlib import Path

import typer

from conduit.cli.errors import fail
from conduit.config.errors import ConfigError
from conduit.config.listen import format_listen
from conduit.config.loader import find_config_path, load_config
from conduit.config.schema import Config

app = typer.Typer(help="Check conduit.toml.", no_args_is_help=True)


@app.command("check")
def check(
    config: Path | None = typer.Option(
        None, "--config", "-c", help="The config file (default: $CONDUIT_CONFIG, else ./conduit.toml)."
    ),
) -> None:
    """Validate conduit.toml and print what it configures."""
    try:
        loaded = load_config(find_config_path(config))
    except ConfigError as err:
        fail(str(err))
    for line in summary(loaded):
        typer.echo(line)


def summary(config: Config) -> list[str]:
    """The lines `conduit config check` prints for a valid config."""
    lines = [
        f"ok: {config.path}",
        f"listen:    {format_listen(config.listen_host, config.listen_port)}",
        f"database:  {config.database}",
        "providers:",
    ]
    lines += [f"  {p.key} -> {p.upstream} ({p.api})" for p in config.providers.values()]
    lines.append(f"pricing overrides: {len(config.pricing)}")
    return lines
