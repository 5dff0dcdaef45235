"""`conduit init`, run as a user runs it: writes the template and a 0600 master key, refuses to overwrite the
config without --force, and never replaces an existing key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import conduit
from conduit.config.template import TEMPLATE
from conduit.store.master_key import MASTER_KEY_ENV, load_master_key

REPO = Path(conduit.__file__).resolve().parents[1]


def conduit_cli(cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit ARGS` in `cwd`."""
    env = {k: v for k, v in os.environ.items() if k not in ("CONDUIT_CONFIG", MASTER_KEY_ENV)}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "conduit", *args]
    return subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=60)


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
    assert result.stderr == ("error: conduit.toml already exists; use --force to overwrite it "
                             "(the missing master key conduit.key was created)\n")
    assert existing.read_text() == "# mine\n"
    assert len(load_master_key(tmp_path / "conduit.key")) == 32
    again = conduit_cli(tmp_path, "init")
    assert again.stderr == "error: conduit.toml already exists; use --force to overwrite it\n"


def test_init_force_overwrites(tmp_path: Path) -> None:
    existing = tmp_path / "conduit.toml"
    existing.write_text("# mine\n")
    result = conduit_cli(tmp_path, "init", "--force")
    assert result.returncode == 0, result.stderr
    assert existing.read_text(encoding="utf-8") == TEMPLATE


def test_init_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = conduit_cli(tmp_path, "init", "--path", "no/such/dir/conduit.toml")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot create the master key file no/such/dir/conduit.key (")
    assert "Traceback" not in result.stderr


def test_init_creates_a_private_master_key(tmp_path: Path) -> None:
    result = conduit_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "conduit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(load_master_key(key_file)) == 32
    assert "wrote conduit.key" in result.stdout
    assert "Back it up" in result.stdout and "out of version control" in result.stdout
    assert key_file.read_text().strip() not in result.stdout


def test_init_key_seals_credentials(tmp_path: Path) -> None:
    assert conduit_cli(tmp_path, "init").returncode == 0
    result = conduit_cli(tmp_path, "credentials", "set", "work", "--provider", "anthropic", stdin="sk-init-test\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sealed credential work for provider anthropic")


def test_init_never_replaces_an_existing_key(tmp_path: Path) -> None:
    assert conduit_cli(tmp_path, "init").returncode == 0
    key_file = tmp_path / "conduit.key"
    before = key_file.read_bytes()
    result = conduit_cli(tmp_path, "init", "--force")
    assert result.returncode == 0, result.stderr
    assert key_file.read_bytes() == before
    assert "wrote conduit.key" not in result.stdout
    assert "kept the existing master key conduit.key" in result.stdout


def test_init_puts_the_key_next_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    result = conduit_cli(tmp_path, "init", "--path", "etc/gateway.toml")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "etc" / "conduit.key").stat().st_mode) == 0o600
    assert not (tmp_path / "conduit.key").exists()
    assert f"wrote {Path('etc/conduit.key')}" in result.stdout
