"""`conduit config …`: commands about `conduit.toml`; `check` validates it and prints a summary.

Imports typer, `conduit.config` and `conduit.core.policy` only.
"""

from __future__ import annotations

from pathlib import Path

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.config.listen import format_listen
from conduit.config.schema import GOVERNANCE_ACTIONS, Config, GovernanceConfig, ProviderConfig
from conduit.core.policy import Budget, BudgetSettings, RateLimit, Team

app = typer.Typer(help="Check conduit.toml.", no_args_is_help=True)


@app.command("check")
def check(
    config: Path | None = config_option(),
) -> None:
    """Validate conduit.toml and print what it configures."""
    for line in summary(load_or_exit(config)):
        typer.echo(line)


def summary(config: Config) -> list[str]:
    """The lines `conduit config check` prints for a valid config."""
    lines = [
        f"ok: {config.path}",
        f"listen:    {format_listen(config.listen_host, config.listen_port)}",
        f"database:  {config.database}",
        f"master key file: {config.master_key_file}",
        "providers:",
    ]
    lines += [_provider_line(p) for p in config.providers.values()]
    lines.append(f"pricing overrides: {len(config.pricing)}")
    lines.append(_governance_line(config.governance))
    lines.append(f"teams: {len(config.teams)}")
    lines += [_team_line(team) for team in config.teams.values()]
    lines.append(_budget_line(config.budget))
    return lines


def _provider_line(provider: ProviderConfig) -> str:
    line = f"  {provider.key} -> {provider.upstream} ({provider.api}), auth {provider.auth}"
    if provider.auth == "virtual":
        line += f' with credential "{provider.credential}" in {provider.credential_header}'
    return line


def _team_line(team: Team) -> str:
    budget = "no budget" if team.budget is None else f"budget {_budget(team.budget)}"
    models = "models " + ", ".join(team.models) if team.models else "any model"
    return f"  {team.name}: {budget}; {models}; {_rate_limit(team.rate_limit)}"


def _budget_line(settings: BudgetSettings) -> str:
    org = "no org budget" if settings.org is None else f"org {_budget(settings.org)}"
    return f"budget: {org}; timezone {settings.timezone}; mode {settings.mode}; unpriced models {settings.unpriced}"


def _governance_line(settings: GovernanceConfig) -> str:
    parts = [f"default {settings.mode}"]
    for action in reversed(GOVERNANCE_ACTIONS):
        names = [name for name, chosen in settings.actions.items() if chosen == action]
        if names:
            parts.append(f"{action} " + ", ".join(names))
    count = len(settings.entities)
    parts += [f"{count:,} {'entity' if count == 1 else 'entities'}", f"engine {settings.engine}"]
    return "governance: " + "; ".join(parts)


def _budget(budget: Budget) -> str:
    return f"${budget.usd:,.2f} per {budget.period}"


def _rate_limit(limit: RateLimit | None) -> str:
    if limit is None:
        return "no rate limit"
    parts = [f"{value:,} {unit}" for value, unit in ((limit.rpm, "rpm"), (limit.tpm, "tpm")) if value is not None]
    return "rate limit " + ", ".join(parts)
