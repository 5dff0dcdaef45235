"""How a CLI command reports a user's mistake: one `error: …` line on stderr and a non-zero exit.

Imports typer only.
"""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: {message}` to stderr and exit with `code`, without a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
