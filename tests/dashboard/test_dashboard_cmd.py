"""`conduit dashboard`: bad values are one-line errors, --config and --db find the database and policy, and
`conduit --help` does not load textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conduit.cli.app import app
from conduit.dashboard.app import DashboardApp
from conduit.dashboard.settings import DashboardSettings

runner = CliRunner()


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[DashboardSettings]:
    """Settings of each dashboard the command starts (the terminal UI itself is not run)."""
    seen: list[DashboardSettings] = []
    monkeypatch.setattr(DashboardApp, "run", lambda self, *args, **kwargs: seen.append(self.settings))
    return seen


def test_bad_since_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dashboard", "--db", str(tmp_path / "x.db"), "--since", "fortnight"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--since" in result.output and "7d" in result.output


def test_missing_config_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dashboard", "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "Traceback" not in result.output


def test_db_alone_works_without_a_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         launched: list[DashboardSettings]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONDUIT_CONFIG", raising=False)
    result = runner.invoke(app, ["dashboard", "--db", "usage.db", "--since", "all"])
    assert result.exit_code == 0, result.output
    assert launched[0].database == Path("usage.db") and launched[0].since is None


def test_config_gives_database_teams_and_budget(tmp_path: Path, launched: list[DashboardSettings]) -> None:
    config = tmp_path / "conduit.toml"
    config.write_text(
        'database = "usage.db"\n[providers.anthropic]\nupstream = "http://127.0.0.1:9"\napi = "anthropic"\n'
        '[teams.platform]\nbudget = { usd = 50, period = "day" }\n'
        '[budget]\nusd = 900\nperiod = "month"\ntimezone = "Europe/Berlin"\n'
    )
    result = runner.invoke(app, ["dashboard", "--config", str(config), "--since", "12h"])
    assert result.exit_code == 0, result.output
    settings = launched[0]
    assert settings.database == tmp_path / "usage.db"
    assert settings.since == "12h"
    assert set(settings.teams) == {"platform"}
    assert settings.budget.org is not None and settings.budget.org.usd == 900
    assert settings.budget.timezone == "Europe/Berlin"


def test_help_does_not_load_textual() -> None:
    code = "import sys\nfrom conduit.cli.app import app\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
