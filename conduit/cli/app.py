"""The `conduit` command: a typer app that wires one module per command group.

Command modules import their heavy dependencies (aiohttp, textual) inside the command, so `--help` stays fast.
"""

from __future__ import annotations

import typer

from conduit import __version__
from conduit.cli import (
    config_cmd,
    credentials_cmd,
    dashboard_cmd,
    demo_cmd,
    export_cmd,
    governance_cmd,
    init_cmd,
    keys_cmd,
    proxy_cmd,
    reload_cmd,
    report_cmd,
    sim_cmd,
)

app = typer.Typer(
    name="conduit",
    help="Meter, budget and govern what AI coding agents send to LLM providers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"conduit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
    ),
) -> None:
    """Meter, budget and govern what AI coding agents send to LLM providers."""


app.command("init")(init_cmd.init)
app.command("proxy")(proxy_cmd.proxy)
app.command("reload")(reload_cmd.reload)
app.add_typer(config_cmd.app, name="config")
app.command("sim")(sim_cmd.sim)
app.command("demo")(demo_cmd.demo)
app.command("dashboard")(dashboard_cmd.dashboard)
app.command("export")(export_cmd.export)
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(credentials_cmd.app, name="credentials")
app.add_typer(governance_cmd.app, name="governance")
app.add_typer(report_cmd.app, name="report")


def main() -> None:
    """Entry point of the `conduit` console script."""
    app()
