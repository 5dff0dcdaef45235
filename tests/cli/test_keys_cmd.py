"""`conduit keys …`, run as a user runs it: the key is printed once and stored only as a hash; lists never show
key material; mistakes are one line; a running proxy's acknowledgement is waited for and reported."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import conduit
from conduit.core.vkey import hash_key, looks_virtual
from conduit.store import policy_version
from conduit.store.connection import connect
from conduit.store.lock import acquire_lock
from conduit.store.migrations import migrate

REPO = Path(conduit.__file__).resolve().parents[1]
CONFIG = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'


def env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("CONDUIT_CONFIG", "NO_COLOR")}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO), base.get("PYTHONPATH", "")])
    return base


def keys_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit keys ARGS` in `cwd` (which holds conduit.toml), stdout piped."""
    command = [sys.executable, "-m", "conduit", "keys", *args]
    return subprocess.run(command, cwd=cwd, env=env(), capture_output=True, text=True, timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "conduit.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def stored(home: Path) -> list[dict[str, object]]:
    with sqlite3.connect(home / "conduit.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM virtual_keys ORDER BY created_at_ms, id")]


def database_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.iterdir() if p.name.startswith("conduit.db"))


def create(home: Path, *args: str) -> str:
    result = keys_cli(home, "create", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_create_prints_the_key_once_and_stores_only_its_hash(home: Path) -> None:
    result = keys_cli(home, "create", "alice", "--budget", "50", "--models", "claude-sonnet-*, claude-haiku-*",
                      "--rpm", "60", "--tpm", "100000", "--expires", "30d")
    assert result.returncode == 0, result.stderr
    plain = result.stdout.strip()
    assert looks_virtual(plain) and result.stdout == plain + "\n"
    assert "cannot be shown again" in result.stderr
    assert plain not in result.stderr
    (row,) = stored(home)
    assert row["key_hash"] == hash_key(plain)
    assert (row["name"], row["budget_usd"], row["budget_period"]) == ("alice", 50.0, "month")
    assert (row["models"], row["rpm"], row["tpm"]) == ("claude-sonnet-*,claude-haiku-*", 60, 100000)
    expires_ms, created_ms = row["expires_at_ms"], row["created_at_ms"]
    assert isinstance(expires_ms, int) and isinstance(created_ms, int)
    assert 30 * 86_400_000 - 60_000 < expires_ms - created_ms <= 30 * 86_400_000
    data = database_bytes(home)
    assert plain.encode() not in data
    assert plain.removeprefix("vk_live_").encode() not in data


def test_create_json_is_one_object_with_the_key(home: Path) -> None:
    result = keys_cli(home, "create", "bob@example.com", "--team", "data", "--budget", "5", "--period", "week",
                      "--expires", "2099-12-31", "--json")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    (row,) = stored(home)
    assert created["id"] == row["id"] and created["name"] == "bob@example.com" and created["team"] == "data"
    assert hash_key(created["key"]) == row["key_hash"]
    assert created["key_prefix"] == row["key_prefix"] and created["key"].startswith(created["key_prefix"][:-1])
    assert created["budget"] == {"usd": 5.0, "period": "week"}
    assert created["models"] == [] and created["expires_at"] == "2099-12-31T00:00:00Z"
    assert "key_hash" not in created and row["key_hash"] not in result.stdout


def test_unconfigured_team_warns_and_still_creates(home: Path) -> None:
    result = keys_cli(home, "create", "alice", "--team", "platform")
    assert result.returncode == 0, result.stderr
    assert "warning: team 'platform' is not in" in result.stderr
    assert "no teams are configured" in result.stderr
    assert stored(home)[0]["team"] == "platform"


def test_list_shows_no_key_material(home: Path) -> None:
    alice = create(home, "alice", "--team", "platform", "--budget", "50", "--models", "claude-*", "--rpm", "60")
    bob = create(home, "bob", "--expires", "2099-01-01T10:30")
    hashes = [str(row["key_hash"]) for row in stored(home)]
    table = keys_cli(home, "list")
    assert table.returncode == 0, table.stderr
    header, *lines = table.stdout.splitlines()
    assert header.split() == ["NAME", "TEAM", "PREFIX", "BUDGET", "MODELS", "RPM/TPM", "EXPIRES", "CREATED", "STATUS"]
    assert lines[0].split()[:6] == ["alice", "platform", alice[:12] + "…", "$50.00/month", "claude-*", "60/-"]
    assert lines[1].split()[:8] == ["bob", "-", bob[:12] + "…", "-", "any", "-", "2099-01-01", "10:30"]
    assert lines[0].split()[-1] == lines[1].split()[-1] == "active"
    listed = keys_cli(home, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [k["name"] for k in json.loads(listed.stdout)] == ["alice", "bob"]
    for output in (table.stdout, listed.stdout):
        for secret in (alice, bob, alice[12:], bob[12:], *hashes):
            assert secret not in output


def test_list_on_a_terminal_is_a_rich_table_without_key_material(home: Path) -> None:
    plain = create(home, "alice", "--budget", "7")
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "conduit", "keys", "list"]
    terminal_env = {**env(), "TERM": "xterm-256color", "COLUMNS": "200"}
    with subprocess.Popen(command, cwd=home, env=terminal_env, stdout=terminal, stderr=subprocess.PIPE) as process:
        os.close(terminal)
        output = read_all(controller)
        assert process.wait(timeout=60) == 0
    assert "\x1b[" in output  # rich styles the header on a terminal
    assert "alice" in output and "$7.00/month" in output and "active" in output
    assert plain not in output and plain[12:] not in output and str(stored(home)[0]["key_hash"]) not in output


def read_all(fd: int) -> str:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO once the child closes the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_list_statuses_and_all(home: Path) -> None:
    create(home, "alice")
    create(home, "bob")
    create(home, "carol", "--expires", "1h")
    with sqlite3.connect(home / "conduit.db") as conn:
        conn.execute("UPDATE virtual_keys SET expires_at_ms = 1000 WHERE name = 'carol'")
    revoked = keys_cli(home, "revoke", "bob")
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked the key 'bob'" in revoked.stdout
    statuses = {k["name"]: k["status"] for k in json.loads(keys_cli(home, "list", "--json").stdout)}
    assert statuses == {"alice": "active", "carol": "expired"}
    everything = {k["name"]: k["status"] for k in json.loads(keys_cli(home, "list", "--json", "--all").stdout)}
    assert everything == {"alice": "active", "bob": "revoked", "carol": "expired"}
    assert "revoked" in keys_cli(home, "list", "--all").stdout.splitlines()[2]


def test_rotate_prints_a_new_key_once_and_the_old_hash_is_gone(home: Path) -> None:
    old = create(home, "alice", "--budget", "9", "--period", "day")
    (before,) = stored(home)
    result = keys_cli(home, "rotate", "alice", "--json")
    assert result.returncode == 0, result.stderr
    rotated = json.loads(result.stdout)
    (after,) = stored(home)
    assert rotated["key"] != old and hash_key(rotated["key"]) == after["key_hash"]
    assert rotated["id"] == before["id"] == after["id"]
    assert rotated["budget"] == {"usd": 9.0, "period": "day"}
    assert after["rotated_at_ms"] is not None
    assert before["key_hash"] != after["key_hash"]
    assert rotated["key"].encode() not in database_bytes(home)


MISTAKES = [
    (("create", "bad name"), "invalid key name 'bad name'"),
    (("create", "alice", "--budget", "0"), "the budget must be more than 0 USD"),
    (("create", "alice", "--budget", "-3"), "the budget must be more than 0 USD"),
    (("create", "alice", "--period", "week"), "--period needs --budget"),
    (("create", "alice", "--budget", "5", "--period", "year"), "--period must be one of day, week, month"),
    (("create", "alice", "--rpm", "0"), "rpm must be a positive whole number"),
    (("create", "alice", "--tpm", "-1"), "tpm must be a positive whole number"),
    (("create", "alice", "--models", "claude-*,,gpt-*"), "has an empty pattern"),
    (("create", "alice", "--models", ""), "has an empty pattern"),
    (("create", "alice", "--expires", "2001-01-01"), "--expires: '2001-01-01' is not in the future"),
    (("create", "alice", "--expires", "tomorrow"), "--expires: 'tomorrow' is neither a duration nor a date"),
    (("revoke", "ghost"), "no active key named 'ghost'"),
    (("rotate", "ghost"), "no active key named 'ghost'"),
]


@pytest.mark.parametrize(("args", "says"), MISTAKES)
def test_mistakes_are_one_line_exit_1_and_change_nothing(home: Path, args: tuple[str, ...], says: str) -> None:
    result = keys_cli(home, *args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and says in result.stderr
    assert result.stderr.count("\n") == 1
    if (home / "conduit.db").exists():
        assert stored(home) == []


def test_duplicate_active_name_is_refused(home: Path) -> None:
    first = create(home, "alice")
    result = keys_cli(home, "create", "alice")
    assert result.returncode == 1
    assert result.stderr.startswith("error: an active key named 'alice' already exists")
    assert result.stdout == "" and first not in result.stderr
    assert len(stored(home)) == 1


def test_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    for args in (("list",), ("create", "alice"), ("revoke", "alice"), ("rotate", "alice")):
        result = keys_cli(tmp_path, *args, "--config", "missing.toml")
        assert result.returncode == 2
        assert result.stderr == "error: missing.toml: no such file; run `conduit init` to create one\n"
    assert not (tmp_path / "conduit.db").exists()


@pytest.fixture
def fake_proxy_lock(home: Path) -> Iterator[Path]:
    """Hold the database's single-proxy lock from this process, as a running `conduit proxy` would."""
    db = home / "conduit.db"
    migrate(db)
    with acquire_lock(db):
        yield db


def acknowledge(db: Path, stop: threading.Event) -> None:
    """Do what the running proxy does after reloading: record the policy version it applied."""
    conn = connect(db)
    try:
        while not stop.wait(0.02):
            version = policy_version.read(conn)
            if policy_version.read(conn, policy_version.APPLIED_KEY) < version:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             (policy_version.APPLIED_KEY, str(version).encode()))
    finally:
        conn.close()


def test_a_running_proxy_that_applies_the_change_is_reported(home: Path, fake_proxy_lock: Path) -> None:
    stop = threading.Event()
    worker = threading.Thread(target=acknowledge, args=(fake_proxy_lock, stop))
    worker.start()
    try:
        created = keys_cli(home, "create", "alice")
        revoked = keys_cli(home, "revoke", "alice")
    finally:
        stop.set()
        worker.join()
    for result in (created, revoked):
        assert result.returncode == 0, result.stderr
        assert f"applied by the running proxy (pid {os.getpid()})" in result.stderr
    with sqlite3.connect(fake_proxy_lock) as conn:
        assert policy_version.read(conn, policy_version.APPLIED_KEY) == 2


def test_a_running_proxy_that_has_not_applied_it_yet_is_a_warning(home: Path, fake_proxy_lock: Path) -> None:
    result = keys_cli(home, "create", "alice")
    assert result.returncode == 0, result.stderr
    assert f"warning: the running proxy (pid {os.getpid()}) has not applied this change yet" in result.stderr
    assert len(stored(home)) == 1


def test_without_a_proxy_nothing_is_said_about_one(home: Path) -> None:
    result = keys_cli(home, "create", "alice")
    assert result.returncode == 0, result.stderr
    assert "proxy" not in result.stderr


def test_keys_command_module_imports_no_store_or_network_code() -> None:
    code = ("import sys, conduit.cli.keys_cmd\n"
            "print(sorted(m for m in ('aiohttp', 'aiosqlite', 'rich', 'conduit.store') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], env=env(), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
