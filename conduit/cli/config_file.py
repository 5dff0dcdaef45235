"""The `--config` option every command shares, and loading it with a one-line error (exit 2) on a mistake.

Imports typer and `conduit.config` only, so commands stay light to import.
"""

from __future__ import annotations

from pathlib import Path

import typer

from conduit.cli.errors import fail
from conduit.config.errors import ConfigError
from conduit.config.loader import find_config_path, load_config
from conduit.config.schema import Config

CONFIG_HELP = "conduit.toml to use (default: $CONDUIT_CONFIG, then ./conduit.toml)."


def config_option() -> Path | None:
    """The `--config/-c` option, as a typer default."""
    return typer.Option(None, "--config", "-c", help=CONFIG_HELP)  # type: ignore[no-any-return]


def load_or_exit(path: Path | None) -> Config:
    """The config from `--config`, $CONDUIT_CONFIG or ./conduit.toml, or exit 2 with its one-line error."""
    try:
        return load_config(find_config_path(path))
    except ConfigError as exc:
        fail(str(exc))
