"""`conduit credentials …` run as a user runs it: the secret comes from stdin or a hidden prompt, is stored
sealed (never in the database's bytes or any output), and a running proxy is asked to apply the change."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import conduit
from conduit.store import credentials, policy_version
from conduit.store.lock import acquire_lock
from conduit.store.master_key import MASTER_KEY_ENV, create_key_file, load_master_key
from conduit.store.migrations import migrate

REPO = Path(conduit.__file__).resolve().parents[1]
CONFIG = """database = "conduit.db"

[providers.anthropic]
upstream = "http://127.0.0.1:9"
api = "anthropic"

[providers.openai]
upstream = "http://127.0.0.1:9"
api = "openai"
"""


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CONDUIT_CONFIG", MASTER_KEY_ENV)}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return env


def conduit_cli(cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit ARGS` in `cwd` with `stdin` piped in."""
    command = [sys.executable, "-m", "conduit", *args]
    return subprocess.run(command, cwd=cwd, env=env or cli_env(), input=stdin, capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder with conduit.toml (providers anthropic and openai) and a master key file."""
    (tmp_path / "conduit.toml").write_text(CONFIG)
    create_key_file(tmp_path / "conduit.key")
    return tmp_path


def secret() -> str:
    return f"sk-ant-api03-CANARY-{uuid.uuid4().hex}"


def database_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.iterdir() if p.name.startswith("conduit.db"))


def opened(home: Path) -> dict[str, str]:
    return credentials.open_all(home / "conduit.db", load_master_key(home / "conduit.key"))


def test_set_from_stdin_then_list(home: Path) -> None:
    value = secret()
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=value + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sealed credential work for provider anthropic\n"
    assert opened(home) == {"work": value}
    listed = conduit_cli(home, "credentials", "list")
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split() == ["NAME", "PROVIDER", "CREATED", "UPDATED"]
    assert row.split()[:2] == ["work", "anthropic"]
    assert value.encode() not in database_bytes(home)
    for output in (result.stdout, result.stderr, listed.stdout, listed.stderr):
        assert value not in output


def test_windows_line_ending_is_stripped_once(home: Path) -> None:
    value = secret()
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=value + "\r\n")
    assert result.returncode == 0, result.stderr
    assert opened(home) == {"work": value}


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "error: the secret is empty;"),
        ("\n", "error: the secret is empty;"),
        ("sk-one\nsk-two\n", "error: the secret contains a line break or another control character;"),
    ],
    ids=["nothing", "newline-only", "two-lines"],
)
def test_bad_stdin_is_refused_and_nothing_stored(home: Path, stdin: str, message: str) -> None:
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert "sk-one" not in result.stderr
    assert opened(home) == {}


def test_unknown_provider_lists_the_configured_ones(home: Path) -> None:
    value = secret()
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "azure", stdin=value)
    assert result.returncode == 1
    assert result.stderr.startswith("error: unknown provider 'azure': ")
    assert "configures anthropic, openai; pass one of them to --provider" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (home / "conduit.db").exists()


@pytest.mark.parametrize("name", ["Work", "_work", ".work", "my key", "work/1", ""])
def test_bad_names_are_refused(home: Path, name: str) -> None:
    result = conduit_cli(home, "credentials", "set", name, "--provider", "anthropic", stdin=secret())
    assert result.returncode == 1
    assert result.stderr.startswith("error: a credential name uses lowercase letters, digits")


def test_no_master_key_is_a_clear_error(home: Path) -> None:
    (home / "conduit.key").unlink()
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=secret())
    assert result.returncode == 1
    assert result.stderr == (
        f"error: no master key: set CONDUIT_MASTER_KEY or run `conduit init` to create {home / 'conduit.key'}\n"
    )


def test_env_master_key_is_used_and_a_mismatched_key_is_refused(home: Path) -> None:
    env = {**cli_env(), MASTER_KEY_ENV: "ab" * 32}
    first = conduit_cli(home, "credentials", "set", "one", "--provider", "openai", stdin=secret(), env=env)
    assert first.returncode == 0, first.stderr
    assert credentials.open_all(home / "conduit.db", bytes.fromhex("ab" * 32)).keys() == {"one"}
    second = conduit_cli(home, "credentials", "set", "two", "--provider", "openai", stdin=secret())
    assert second.returncode == 1
    assert second.stderr.startswith("error: credential 'one' cannot be opened with this master key")
    assert "nothing was stored" in second.stderr
    assert [info.name for info in credentials.list_all(home / "conduit.db")] == ["one"]


def test_config_error_exits_2_in_one_line(home: Path) -> None:
    (home / "conduit.toml").write_text("listen = 3\n")
    result = conduit_cli(home, "credentials", "list")
    assert result.returncode == 2
    assert result.stderr.startswith("error: conduit.toml:1: listen: must be a string")
    assert len(result.stderr.splitlines()) == 1


def test_delete(home: Path) -> None:
    assert conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=secret()).returncode == 0
    result = conduit_cli(home, "credentials", "delete", "work")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "deleted credential work\n"
    assert opened(home) == {}
    again = conduit_cli(home, "credentials", "delete", "work")
    assert again.returncode == 1
    assert again.stderr == "error: there is no credential named 'work'; `conduit credentials list` shows them\n"


def test_list_json_parses_and_holds_no_secret(home: Path) -> None:
    values = [secret(), secret()]
    conduit_cli(home, "credentials", "set", "b-key", "--provider", "openai", stdin=values[0])
    conduit_cli(home, "credentials", "set", "a.key", "--provider", "anthropic", stdin=values[1])
    result = conduit_cli(home, "credentials", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["name"], r["provider"]) for r in rows] == [("a.key", "anthropic"), ("b-key", "openai")]
    assert set(rows[0]) == {"name", "provider", "created_at", "updated_at"}
    assert rows[0]["created_at"].endswith("Z")
    assert all(value not in result.stdout for value in values)


def test_list_when_empty(home: Path) -> None:
    assert json.loads(conduit_cli(home, "credentials", "list", "--json").stdout) == []
    assert "no credentials yet" in conduit_cli(home, "credentials", "list").stdout


@pytest.fixture
def running_proxy(home: Path) -> Iterator[Path]:
    """Hold the database's proxy lock, as `conduit proxy` does, without acknowledging any change."""
    db = home / "conduit.db"
    migrate(db)
    with acquire_lock(db):
        yield db


def acknowledge_changes(db: Path, stop: threading.Event) -> None:
    """The proxy's half of the policy-version handshake: record every version seen as applied."""
    conn = sqlite3.connect(db)
    try:
        while not stop.wait(0.01):
            seen = policy_version.read(conn)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (policy_version.APPLIED_KEY, str(seen).encode()))
            conn.commit()
    finally:
        conn.close()


def test_set_and_delete_wait_for_a_running_proxy(home: Path, running_proxy: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=acknowledge_changes, args=(running_proxy, stop))
    thread.start()
    try:
        result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=secret())
        deleted = conduit_cli(home, "credentials", "delete", "work")
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"applied by the running proxy (pid {os.getpid()})"
    assert deleted.stderr.splitlines()[-1] == f"applied by the running proxy (pid {os.getpid()})"


def test_set_warns_when_the_running_proxy_does_not_apply(home: Path, running_proxy: Path) -> None:
    result = conduit_cli(home, "credentials", "set", "work", "--provider", "anthropic", stdin=secret())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sealed credential work for provider anthropic\n"
    assert result.stderr.startswith(f"warning: the running proxy (pid {os.getpid()}) has not applied this change yet")


def run_in_terminal(home: Path, entries: list[str]) -> tuple[int, str]:
    """Run `credentials set` with a terminal as stdin, type `entries` at its prompts; return (exit code, screen)."""
    argv = [sys.executable, "-m", "conduit", "credentials", "set", "work", "--provider", "anthropic"]
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(home)
        os.execve(sys.executable, argv, cli_env())
    screen = b""
    pending = list(entries)
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, f"no output from the command; screen so far: {screen!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
        if pending and screen.endswith(b": "):  # a prompt is waiting (echo is already off)
            os.write(fd, pending.pop(0).encode() + b"\n")
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def test_terminal_prompt_asks_twice_without_echo(home: Path) -> None:
    value = secret()
    code, screen = run_in_terminal(home, [value, value])
    assert code == 0, screen
    assert "Secret for work:" in screen and "Repeat it:" in screen
    assert "sealed credential work for provider anthropic" in screen
    assert value not in screen
    assert opened(home) == {"work": value}


def test_terminal_prompt_entries_must_match(home: Path) -> None:
    code, screen = run_in_terminal(home, [secret(), secret()])
    assert code == 1
    assert "error: the two entries differ; nothing was stored" in screen
    assert opened(home) == {}
