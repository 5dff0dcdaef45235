"""`conduit demo --headless` run as a user runs it: every planned outcome is recorded, the summary matches the
database, the made-up secret and the prompts never reach the database or the output, and files are cleaned up."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conduit.cli.app import app
from conduit.demo.scenario import SCENARIO, fake_aws_key

SEED = 7
PLANNED_STATUSES = {"success", "budget_exceeded", "model_blocked", "governance_blocked"}
PROMPT_CANARY = "official CLI for Claude"  # in every Claude Code request's system prompt


@dataclass
class Run:
    """A finished `conduit demo` process."""

    code: int
    stdout: str
    stderr: str
    db: Path


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `conduit demo --headless` with `args` in a fresh interpreter."""
    command = [sys.executable, "-m", "conduit", "demo", "--headless", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    done = run_demo("--requests", "32", "--rate", "25", "--seed", str(SEED), "--db", str(db))
    return Run(done.returncode, done.stdout, done.stderr, db)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def test_exits_zero_and_says_where_the_database_is(demo_run: Run) -> None:
    assert demo_run.code == 0, demo_run.stderr
    assert f"database {demo_run.db} (kept)" in demo_run.stderr
    assert "requests answered" in demo_run.stderr
    assert "conduit demo: usage by engineer" in demo_run.stdout


def test_every_planned_outcome_is_recorded(demo_run: Run) -> None:
    statuses = {str(row[0]) for row in rows(demo_run.db, "SELECT DISTINCT status FROM usage_events")}
    assert PLANNED_STATUSES <= statuses
    assert {row[0] for row in rows(demo_run.db, "SELECT DISTINCT streamed FROM usage_events")} == {0, 1}
    clients = {str(row[0]) for row in rows(demo_run.db, "SELECT DISTINCT client FROM usage_events")}
    assert {"claude-code", "codex", "anthropic-sdk", "openai-sdk"} <= clients
    sessions = rows(demo_run.db, "SELECT COUNT(DISTINCT session_id) FROM usage_events WHERE client = 'codex'")
    assert sessions[0][0] >= 1


def test_incidents_land_on_the_planned_engineers(demo_run: Run) -> None:
    blocked = rows(demo_run.db, "SELECT key_name, governance_categories, http_status FROM usage_events "
                                "WHERE status = 'governance_blocked'")
    assert ("chen", "aws_access_key", 451) in blocked
    denied = rows(demo_run.db, "SELECT DISTINCT key_name, model, http_status FROM usage_events "
                               "WHERE status = 'model_blocked'")
    assert denied == [("farid", SCENARIO.engineer("farid").blocked_model, 403)]
    over = {row[0] for row in rows(demo_run.db, "SELECT key_name FROM usage_events WHERE status = 'budget_exceeded'")}
    assert "dana" in over
    alerts = rows(demo_run.db, "SELECT COUNT(*) FROM usage_events WHERE governance_categories LIKE '%entity%' "
                               "AND governance_action = 'alert' AND status = 'success'")
    assert alerts[0][0] >= 1


def test_summary_matches_the_database(demo_run: Run) -> None:
    expected = rows(demo_run.db, """
        SELECT key_name, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens + cache_write_tokens),
               SUM(cost_usd), SUM(status = 'success'), SUM(status = 'budget_exceeded'), SUM(status = 'model_blocked'),
               SUM(status = 'governance_blocked'),
               SUM(status NOT IN ('success', 'budget_exceeded', 'model_blocked', 'governance_blocked'))
        FROM usage_events GROUP BY key_name""")
    shown = {cells[0]: cells[1:] for cells in table_rows(demo_run.stdout)}
    assert set(shown) == {str(row[0]) for row in expected} | {"total"}
    for name, requests, inputs, outputs, cache, cost, ok, budget, model, governance, other in expected:
        assert shown[str(name)] == [
            f"{requests:,}", f"{inputs:,}", f"{outputs:,}", f"{cache:,}", f"${cost:.4f}",
            f"{ok:,}", f"{budget:,}", f"{model:,}", f"{governance:,}", f"{other:,}",
        ]
    total = rows(demo_run.db, "SELECT COUNT(*), SUM(cost_usd) FROM usage_events")[0]
    assert shown["total"][0] == f"{total[0]:,}" and shown["total"][4] == f"${total[1]:.4f}"


def table_rows(stdout: str) -> list[list[str]]:
    """The summary table's data rows, split into cells (names hold no spaces; numbers carry commas)."""
    number = re.compile(r"^\$?[\d,]+(\.\d+)?$")
    found = []
    for line in stdout.splitlines():
        cells = line.split()
        if len(cells) == 11 and all(number.match(cell) for cell in cells[1:]):
            found.append(cells)
    return found


def test_secret_and_prompts_never_reach_the_database_or_the_output(demo_run: Run) -> None:
    secret = fake_aws_key(SEED).encode()
    for path in demo_run.db.parent.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert secret not in data, path
            assert PROMPT_CANARY.encode() not in data, path
    for text in (demo_run.stdout, demo_run.stderr):
        assert secret.decode() not in text
        assert PROMPT_CANARY not in text


def test_a_kept_database_runs_again_with_its_keys_rotated(demo_run: Run) -> None:
    again = CliRunner().invoke(app, ["demo", "--headless", "--requests", "4", "--rate", "50", "--seed", str(SEED + 1),
                                     "--db", str(demo_run.db)])
    assert again.exit_code == 0, again.output
    names = rows(demo_run.db, "SELECT name, COUNT(*) FROM virtual_keys GROUP BY name")
    assert {name for name, _ in names} == {person.name for person in SCENARIO.engineers}
    assert all(count == 1 for _, count in names)


def test_without_db_the_temporary_folder_is_removed() -> None:
    done = CliRunner().invoke(app, ["demo", "--headless", "--requests", "3", "--rate", "50"])
    assert done.exit_code == 0, done.output
    found = re.search(r"database (\S+) \(removed when the demo ends\)", done.stderr)
    assert found is not None, done.output
    assert not Path(found.group(1)).parent.exists()


def test_refuses_a_database_it_did_not_make(tmp_path: Path) -> None:
    other = tmp_path / "conduit.db"
    other.write_bytes(b"")
    result = CliRunner().invoke(app, ["demo", "--headless", "--requests", "1", "--db", str(other)])
    assert result.exit_code == 1
    assert "was not made by `conduit demo`" in result.output
    assert "Traceback" not in result.output
    assert other.read_bytes() == b"" and not (tmp_path / "conduit.toml").exists()


def test_headless_parts_never_import_textual() -> None:
    names = ["conduit.demo.run", "conduit.demo.summary", "conduit.demo.setup", "conduit.demo.traffic"]
    code = f"import sys\nfor n in {names!r}:\n    __import__(n)\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
