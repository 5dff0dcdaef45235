"""The [teams.<name>] and [budget] tables: exact values when good, a ConfigError naming line and key when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from conduit.config.errors import ConfigError
from conduit.config.loader import load_config
from conduit.core.policy import Budget, BudgetSettings, RateLimit, Team

ANTHROPIC = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conduit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_tables_means_no_teams_and_default_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC))
    assert dict(config.teams) == {}
    assert config.budget == BudgetSettings(org=None, timezone="UTC", mode="estimate", unpriced="deny")


def test_teams_and_org_budget(tmp_path: Path) -> None:
    text = ANTHROPIC + """
[teams.platform]
budget = { usd = 500, period = "week" }
models = ["claude-*", "gpt-5*"]
rate_limit = { rpm = 600, tpm = 4_000_000 }

[teams.ml-research_2]
budget = { usd = 12.5 }
rate_limit = { tpm = 1000 }

[teams.ops]
models = []

[teams.data.budget]
usd = 3
period = "day"

[budget]
usd = 5000
period = "week"
timezone = "America/New_York"
mode = "strict"
unpriced = "allow"
"""
    config = load_config(write(tmp_path, text))
    assert list(config.teams) == ["platform", "ml-research_2", "ops", "data"]
    assert config.teams["platform"] == Team(
        "platform", Budget(500.0, "week"), ("claude-*", "gpt-5*"), RateLimit(rpm=600, tpm=4_000_000)
    )
    assert config.teams["ml-research_2"] == Team("ml-research_2", Budget(12.5, "month"), (), RateLimit(tpm=1000))
    assert config.teams["ops"] == Team("ops")
    assert config.teams["data"] == Team("data", Budget(3.0, "day"))
    budget = config.teams["platform"].budget
    assert budget is not None and isinstance(budget.usd, float)
    assert config.budget == BudgetSettings(Budget(5000.0, "week"), "America/New_York", "strict", "allow")


def test_budget_without_usd_sets_only_the_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC + '[budget]\ntimezone = "Asia/Tokyo"\nmode = "strict"\n'))
    assert config.budget == BudgetSettings(org=None, timezone="Asia/Tokyo", mode="strict", unpriced="deny")


def test_org_budget_period_defaults_to_month(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC + "[budget]\nusd = 0.5\n"))
    assert config.budget.org == Budget(0.5, "month")


def test_teams_are_read_only(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC + "[teams.a]\n"))
    with pytest.raises(TypeError):
        config.teams["b"] = Team("b")  # type: ignore[index]


# (file text, or the text after the provider table when it has none; line; key; words the message contains)
BAD = [
    ('teams = "platform"\n' + ANTHROPIC, 1, "teams", "must be a table, not a string"),
    ("budget = 5000\n" + ANTHROPIC, 1, "budget", "must be a table, not an integer"),
    ("[teams.Platform]\n", 3, "teams.Platform", "lowercase letters"),
    ('[teams."my team"]\n', 3, 'teams."my team"', "lowercase letters"),
    ("[teams._x]\n", 3, "teams._x", "starting with a letter or digit"),
    ("[teams]\nplatform = 1\n", 4, "teams.platform", "must be a table, not an integer"),
    ("[teams.a]\nbudgit = 1\n", 4, "teams.a.budgit", "did you mean `budget`?"),
    ("[teams.a]\nbudget = 500\n", 4, "teams.a.budget", "must be a table, not an integer"),
    ("[teams.a]\nbudget = { period = 'day' }\n", 4, "teams.a.budget", "has no usd"),
    ("[teams.a]\nbudget = { usd = 5, perod = 'day' }\n", 4, "teams.a.budget.perod", "did you mean `period`?"),
    ("[teams.a]\nbudget = { usd = 0 }\n", 4, "teams.a.budget.usd", "more than zero USD"),
    ("[teams.a]\nbudget = { usd = -5 }\n", 4, "teams.a.budget.usd", "more than zero USD"),
    ("[teams.a]\nbudget = { usd = inf }\n", 4, "teams.a.budget.usd", "more than zero USD"),
    ("[teams.a]\nbudget = { usd = '500' }\n", 4, "teams.a.budget.usd", "must be a number, not a string"),
    ("[teams.a]\nbudget = { usd = true }\n", 4, "teams.a.budget.usd", "must be a number, not a boolean"),
    ("[teams.a]\nbudget = { usd = 5, period = 'monthly' }\n", 4, "teams.a.budget.period", 'did you mean "month"?'),
    ("[teams.a]\nbudget = { usd = 5, period = 'year' }\n", 4, "teams.a.budget.period",
     'unknown value "year"; use "day", "week" or "month"'),
    ("[teams.a]\nbudget = { usd = 5, period = 7 }\n", 4, "teams.a.budget.period", "must be a string"),
    ("[teams.a.budget]\nusd = 5\n\nperiod = 'hour'\n", 6, "teams.a.budget.period", "use \"day\""),
    ("[teams.a]\nmodels = 'claude-*'\n", 4, "teams.a.models", "must be an array, not a string"),
    ("[teams.a]\nmodels = ['claude-*', '']\n", 4, "teams.a.models", "item 2 must be a model name pattern"),
    ("[teams.a]\nmodels = ['  ']\n", 4, "teams.a.models", "not an empty string"),
    ("[teams.a]\nmodels = [3]\n", 4, "teams.a.models", "such as \"claude-*\", not an integer"),
    ("[teams.a]\nrate_limit = 600\n", 4, "teams.a.rate_limit", "must be a table, not an integer"),
    ("[teams.a]\nrate_limit = {}\n", 4, "teams.a.rate_limit", "sets no limit"),
    ("[teams.a]\nrate_limit = { rps = 1 }\n", 4, "teams.a.rate_limit.rps", "did you mean `rpm`?"),
    ("[teams.a]\nrate_limit = { rpm = 0 }\n", 4, "teams.a.rate_limit.rpm", "positive whole number of requests"),
    ("[teams.a]\nrate_limit = { tpm = -1 }\n", 4, "teams.a.rate_limit.tpm", "positive whole number of tokens"),
    ("[teams.a]\nrate_limit = { rpm = 1.5 }\n", 4, "teams.a.rate_limit.rpm", "must be an integer, not a float"),
    ("[teams.a]\nrate_limit = { tpm = '1M' }\n", 4, "teams.a.rate_limit.tpm", "must be an integer, not a string"),
    ("[budget]\ncap = 5000\n", 4, "budget.cap", "allowed keys here: usd, period, timezone, mode, unpriced"),
    ("[budget]\nusd = 0\n", 4, "budget.usd", "more than zero USD"),
    ("[budget]\nusd = nan\n", 4, "budget.usd", "more than zero USD"),
    ("[budget]\nperiod = 'day'\n", 4, "budget.period", "no usd; add usd = 5000"),
    ("[budget]\nusd = 1\nperiod = 'days'\n", 5, "budget.period", 'did you mean "day"?'),
    ("[budget]\ntimezone = 'Mars/Olympus'\n", 4, "budget.timezone", 'unknown time zone "Mars/Olympus"'),
    ("[budget]\ntimezone = 'Europe/Berln'\n", 4, "budget.timezone", 'did you mean "Europe/Berlin"?'),
    ("[budget]\ntimezone = '../etc/passwd'\n", 4, "budget.timezone", "use an IANA zone name"),
    ("[budget]\ntimezone = ''\n", 4, "budget.timezone", "must not be empty"),
    ("[budget]\ntimezone = 0\n", 4, "budget.timezone", "must be a string"),
    ("[budget]\nmode = 'exact'\n", 4, "budget.mode", 'use "estimate" or "strict"'),
    ("[budget]\nmode = 'strikt'\n", 4, "budget.mode", 'did you mean "strict"?'),
    ("[budget]\nunpriced = 'block'\n", 4, "budget.unpriced", 'use "deny" or "allow"'),
    ("[budget]\nunpriced = true\n", 4, "budget.unpriced", "must be a string, not a boolean"),
]


@pytest.mark.parametrize(("text", "line", "key", "says"), BAD)
def test_bad_value_is_located(tmp_path: Path, text: str, line: int, key: str, says: str) -> None:
    path = write(tmp_path, text if "[providers." in text else ANTHROPIC + text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    err = caught.value
    assert (err.path, err.line, err.key) == (path, line, key)
    assert says in err.message
    assert str(err) == f"{path}:{line}: {key}: {err.message}"
