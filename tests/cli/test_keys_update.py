"""`conduit keys update`, run as a user runs it: each option changes its one setting and never the key itself,
a change is one line on stderr, and mistakes and no-ops are one line that leave the database as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conduit.core.policy import Budget, RateLimit
from conduit.core.vkey import hash_key
from conduit.store import keys
from conduit.store.migrations import migrate
from conduit.store.policy_version import current_policy_version
from tests.cli.test_keys_cmd import CONFIG, keys_cli, stored

FAR_FUTURE_MS = 4_070_908_800_000  # 2099-01-01


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "conduit.toml").write_text(CONFIG, encoding="utf-8")
    migrate(tmp_path / "conduit.db")
    return tmp_path


def create(home: Path, name: str, **settings: object) -> str:
    """Store a key (as `conduit keys create` would) and return the plain key."""
    _, plain = keys.create(home / "conduit.db", name, **settings)  # type: ignore[arg-type]
    return plain


def listed(home: Path, show_all: bool = False) -> list[dict[str, object]]:
    result = keys_cli(home, "list", "--json", *(["--all"] if show_all else []))
    assert result.returncode == 0, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


FULL = {"team": "platform", "budget": Budget(20, "day"), "models": ("claude-*",), "rate_limit": RateLimit(60, 1000),
        "expires_at_ms": FAR_FUTURE_MS}
UPDATES = [
    (("--team", "data"), {"team": "data"}, "team platform -> data"),
    (("--no-team",), {"team": None}, "team platform -> none"),
    (("--budget", "50"), {"budget": {"usd": 50.0, "period": "day"}}, "budget $20 per day -> $50 per day"),
    (("--budget", "50", "--period", "week"), {"budget": {"usd": 50.0, "period": "week"}},
     "budget $20 per day -> $50 per week"),
    (("--period", "month"), {"budget": {"usd": 20.0, "period": "month"}}, "budget $20 per day -> $20 per month"),
    (("--no-budget",), {"budget": None}, "budget $20 per day -> none"),
    (("--models", "claude-sonnet-*, gpt-5*"), {"models": ["claude-sonnet-*", "gpt-5*"]},
     "models claude-* -> claude-sonnet-*,gpt-5*"),
    (("--any-model",), {"models": []}, "models claude-* -> any"),
    (("--rpm", "5"), {"rate_limit": {"rpm": 5, "tpm": 1000}}, "rpm 60 -> 5"),
    (("--tpm", "7"), {"rate_limit": {"rpm": 60, "tpm": 7}}, "tpm 1000 -> 7"),
    (("--no-rate-limit",), {"rate_limit": None}, "rpm 60 -> none, tpm 1000 -> none"),
    (("--expires", "2100-06-30"), {"expires_at": "2100-06-30T00:00:00Z"},
     "expiry 2099-01-01T00:00:00Z -> 2100-06-30T00:00:00Z"),
    (("--never-expires",), {"expires_at": None}, "expiry 2099-01-01T00:00:00Z -> never"),
]


@pytest.mark.parametrize(("args", "changed", "says"), UPDATES)
def test_each_option_changes_its_setting_and_the_key_still_works(
    home: Path, args: tuple[str, ...], changed: dict[str, object], says: str
) -> None:
    plain = create(home, "eng1", **FULL)
    (before,) = listed(home)
    (row_before,) = stored(home)
    result = keys_cli(home, "update", "eng1", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == f"updated the key 'eng1': {says}"
    assert listed(home) == [{**before, **changed}]
    (row_after,) = stored(home)
    assert (row_after["id"], row_after["key_hash"], row_after["key_prefix"]) == (
        row_before["id"], hash_key(plain), row_before["key_prefix"])
    assert row_after["rotated_at_ms"] is None
    assert current_policy_version(home / "conduit.db") == 2


def test_a_budget_on_a_key_without_one_defaults_to_a_month(home: Path) -> None:
    create(home, "eng1")
    result = keys_cli(home, "update", "eng1", "--budget", "50")
    assert result.returncode == 0, result.stderr
    assert "budget none -> $50 per month" in result.stderr
    assert listed(home)[0]["budget"] == {"usd": 50.0, "period": "month"}


def test_json_prints_the_updated_key_as_list_does_and_no_key_material(home: Path) -> None:
    plain = create(home, "eng1", budget=Budget(20, "day"))
    result = keys_cli(home, "update", "eng1", "--budget", "50", "--models", "claude-sonnet-*", "--json")
    assert result.returncode == 0, result.stderr
    updated = json.loads(result.stdout)
    assert [updated] == listed(home)
    assert updated["budget"] == {"usd": 50.0, "period": "day"} and updated["models"] == ["claude-sonnet-*"]
    key_hash = str(stored(home)[0]["key_hash"])
    for output in (result.stdout, result.stderr):
        for secret in (plain, plain[12:], key_hash):
            assert secret not in output
    assert result.stderr == "updated the key 'eng1': budget $20 per day -> $50 per day, models any -> claude-sonnet-*\n"


def test_an_update_that_changes_nothing_says_so_and_writes_nothing(home: Path) -> None:
    create(home, "eng1", budget=Budget(20, "day"), models=("claude-*",))
    before = stored(home)
    result = keys_cli(home, "update", "eng1", "--budget", "20", "--models", "claude-*", "--no-team")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "the key 'eng1' already has these settings; nothing changed\n"
    assert stored(home) == before
    assert current_policy_version(home / "conduit.db") == 1


def test_an_unconfigured_team_warns_and_still_updates(home: Path) -> None:
    create(home, "eng1")
    result = keys_cli(home, "update", "eng1", "--team", "platform")
    assert result.returncode == 0, result.stderr
    assert "warning: team 'platform' is not in" in result.stderr and "the key is updated anyway" in result.stderr
    assert listed(home)[0]["team"] == "platform"


MISTAKES = [
    (("eng1",), "nothing to update"),
    (("eng1", "--json"), "nothing to update"),
    (("eng1", "--team", "data", "--no-team"), "give --team or --no-team, not both"),
    (("eng1", "--budget", "5", "--no-budget"), "give --budget or --no-budget, not both"),
    (("eng1", "--period", "week", "--no-budget"), "--period cannot be used with --no-budget"),
    (("eng1", "--models", "gpt-*", "--any-model"), "give --models or --any-model, not both"),
    (("eng1", "--rpm", "5", "--no-rate-limit"), "give --rpm or --no-rate-limit, not both"),
    (("eng1", "--tpm", "5", "--no-rate-limit"), "give --tpm or --no-rate-limit, not both"),
    (("eng1", "--expires", "30d", "--never-expires"), "give --expires or --never-expires, not both"),
    (("eng1", "--period", "week"), "the key 'eng1' has no budget to change the period of; give the amount too"),
    (("eng1", "--budget", "5", "--period", "year"), "--period must be one of day, week, month"),
    (("eng1", "--budget", "0"), "the budget must be more than 0 USD"),
    (("eng1", "--rpm", "-1"), "rpm must be a positive whole number"),
    (("eng1", "--tpm", "0"), "tpm must be a positive whole number"),
    (("eng1", "--models", "claude-*,"), "has an empty pattern"),
    (("eng1", "--team", " "), "the team name must not be empty"),
    (("eng1", "--expires", "2001-01-01"), "--expires: '2001-01-01' is not in the future"),
    (("ghost", "--rpm", "5"), "no active key named 'ghost'"),
    (("gone", "--rpm", "5"), "no active key named 'gone'"),
]


@pytest.mark.parametrize(("args", "says"), MISTAKES)
def test_mistakes_are_one_line_exit_1_and_change_nothing(home: Path, args: tuple[str, ...], says: str) -> None:
    create(home, "eng1")
    create(home, "gone")
    keys.revoke(home / "conduit.db", "gone")
    before = stored(home)
    result = keys_cli(home, "update", *args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and says in result.stderr
    assert result.stderr.count("\n") == 1
    assert stored(home) == before
    assert current_policy_version(home / "conduit.db") == 3


def test_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    result = keys_cli(tmp_path, "update", "eng1", "--rpm", "5", "--config", "missing.toml")
    assert result.returncode == 2
    assert result.stderr == "error: missing.toml: no such file; run `conduit init` to create one\n"
    assert not (tmp_path / "conduit.db").exists()
