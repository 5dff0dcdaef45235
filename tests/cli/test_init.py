"""`conduit init`, run as a user runs it: writes the template, refuses to overwrite without --force."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import conduit
from conduit.config.template import TEMPLATE

REPO = Path(conduit.__file__).resolve().parents[1]


def conduit_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit ARGS` in `cwd`."""
    env = {k: v for k, v in os.environ.items() if k != "CONDUIT_CONFIG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "conduit", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_init_writes_template_and_next_steps(tmp_path: Path) -> None:
    result = conduit_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "conduit.toml").read_bytes() == TEMPLATE.encode("utf-8")
    assert "wrote conduit.toml" in result.stdout
    assert "conduit proxy" in result.stdout
    assert "ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic" in result.stdout
    assert "OPENAI_BASE_URL=http://127.0.0.1:8080/openai/v1" in result.stdout
    check = conduit_cli(tmp_path, "config", "check")
    assert check.returncode == 0, check.stderr


def test_init_with_path_mentions_it_in_next_steps(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    result = conduit_cli(tmp_path, "init", "--path", "etc/gateway.toml")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "etc" / "gateway.toml").read_text(encoding="utf-8") == TEMPLATE
    assert "conduit proxy --config etc/gateway.toml" in result.stdout


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    existing = tmp_path / "conduit.toml"
    existing.write_text("# mine\n")
    result = conduit_cli(tmp_path, "init")
    assert result.returncode == 1
    assert result.stderr == "error: conduit.toml already exists; use --force to overwrite it\n"
    assert existing.read_text() == "# mine\n"


def test_init_force_overwrites(tmp_path: Path) -> None:
    existing = tmp_path / "conduit.toml"
    existing.write_text("# mine\n")
    result = conduit_cli(tmp_path, "init", "--force")
    assert result.returncode == 0, result.stderr
    assert existing.read_text(encoding="utf-8") == TEMPLATE


def test_init_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = conduit_cli(tmp_path, "init", "--path", "no/such/dir/conduit.toml")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write no/such/dir/conduit.toml (")
    assert "Traceback" not in result.stderr
