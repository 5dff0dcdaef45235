"""Read the `[teams.<name>]` and `[budget]` tables of `conduit.toml` into policy values, or raise a ConfigError.

Every bad value names its file, line and key and says how to fix it. Imports the standard library,
`conduit.config` and `conduit.core` only.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Mapping
from types import MappingProxyType

from conduit.config.schema import DEFAULT_PERIOD
from conduit.config.source import Source, closest, type_name
from conduit.core.policy import (
    BUDGET_MODES,
    PERIODS,
    UNPRICED_ACTIONS,
    Budget,
    BudgetSettings,
    RateLimit,
    Team,
)

_TEAM_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TEAM_KEYS = ("budget", "models", "rate_limit")
_BUDGET_KEYS = ("usd", "period")
_RATE_LIMIT_KEYS = ("rpm", "tpm")
_ORG_KEYS = ("usd", "period", "timezone", "mode", "unpriced")
_BUDGET_EXAMPLE = 'budget = { usd = 500, period = "month" }'
_RATE_LIMIT_EXAMPLE = "rate_limit = { rpm = 600, tpm = 4000000 }"
_MODELS_EXAMPLE = '["claude-*", "gpt-5*"]'


def parse_teams(src: Source, value: object) -> Mapping[str, Team]:
    """The `[teams.<name>]` tables as Teams by name; raise ConfigError for a bad name or value."""
    tables = src.table(("teams",), value, f"[teams.platform] with {_BUDGET_EXAMPLE}")
    return MappingProxyType({name: _team(src, name, table) for name, table in tables.items()})


def parse_budget_settings(src: Source, value: object) -> BudgetSettings:
    """The `[budget]` table: the org-wide budget (when `usd` is set) and how budgets are counted and enforced."""
    keys = ("budget",)
    table = src.table(keys, value, '[budget] with usd = 5000 and period = "month"')
    src.check_keys(keys, table, _ORG_KEYS)
    if "period" in table and "usd" not in table:
        raise src.error((*keys, "period"), "is the period of an org budget, but [budget] has no usd; "
                                           "add usd = 5000 (the cap in USD) or remove period")
    defaults = BudgetSettings()
    return BudgetSettings(
        org=_budget(src, keys, table) if "usd" in table else None,
        timezone=_timezone(src, (*keys, "timezone"), table.get("timezone", defaults.timezone)),
        mode=src.choice((*keys, "mode"), table.get("mode", defaults.mode), BUDGET_MODES),
        unpriced=src.choice((*keys, "unpriced"), table.get("unpriced", defaults.unpriced), UNPRICED_ACTIONS),
    )


def _team(src: Source, name: str, value: object) -> Team:
    keys = ("teams", name)
    if not _TEAM_NAME.fullmatch(name):
        raise src.error(keys, "team names use lowercase letters, digits, '-' and '_', starting with a letter "
                              "or digit; rename the table, e.g. [teams.platform]")
    table = src.table(keys, value, f"[teams.{name}] with {_BUDGET_EXAMPLE}")
    src.check_keys(keys, table, _TEAM_KEYS)
    budget, limit = table.get("budget"), table.get("rate_limit")
    return Team(
        name=name,
        budget=None if budget is None else _team_budget(src, (*keys, "budget"), budget),
        models=_models(src, (*keys, "models"), table.get("models", [])),
        rate_limit=None if limit is None else _rate_limit(src, (*keys, "rate_limit"), limit),
    )


def _team_budget(src: Source, keys: tuple[str, ...], value: object) -> Budget:
    table = src.table(keys, value, _BUDGET_EXAMPLE)
    src.check_keys(keys, table, _BUDGET_KEYS)
    if "usd" not in table:
        raise src.error(keys, f"has no usd (the cap in USD); write {_BUDGET_EXAMPLE}")
    return _budget(src, keys, table)


def _budget(src: Source, keys: tuple[str, ...], table: Mapping[str, object]) -> Budget:
    usd_keys = (*keys, "usd")
    usd = table["usd"]
    src.typed(usd_keys, usd, float, "500")
    assert isinstance(usd, (int, float))
    if not math.isfinite(usd) or usd <= 0:
        raise src.error(usd_keys, f"must be more than zero USD, not {usd}; for no cap, remove the budget")
    period = src.choice((*keys, "period"), table.get("period", DEFAULT_PERIOD), PERIODS)
    return Budget(usd=float(usd), period=period)


def _models(src: Source, keys: tuple[str, ...], value: object) -> tuple[str, ...]:
    src.typed(keys, value, list, _MODELS_EXAMPLE)
    assert isinstance(value, list)
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            got = "an empty string" if isinstance(item, str) else type_name(item)
            raise src.error(keys, f"item {number} must be a model name pattern such as \"claude-*\", not {got}; "
                                  f"for example models = {_MODELS_EXAMPLE}")
    return tuple(value)


def _rate_limit(src: Source, keys: tuple[str, ...], value: object) -> RateLimit:
    table = src.table(keys, value, _RATE_LIMIT_EXAMPLE)
    src.check_keys(keys, table, _RATE_LIMIT_KEYS)
    if not table:
        raise src.error(keys, f"sets no limit; write {_RATE_LIMIT_EXAMPLE} (either may be left out) or remove it")
    rpm, tpm = table.get("rpm"), table.get("tpm")
    return RateLimit(
        rpm=None if rpm is None else src.positive_int((*keys, "rpm"), rpm, "600", "requests per minute"),
        tpm=None if tpm is None else src.positive_int((*keys, "tpm"), tpm, "4000000", "tokens per minute"),
    )


def _timezone(src: Source, keys: tuple[str, ...], value: object) -> str:
    name = src.string(keys, value, '"UTC"')
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        close = closest(name, sorted(zoneinfo.available_timezones()))
        hint = f'did you mean "{close}"? ' if close else ""
        raise src.error(keys, f'unknown time zone "{name}"; {hint}use an IANA zone name such as "UTC" or '
                              '"Europe/Berlin"') from None
    return name
