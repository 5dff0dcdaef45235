"""`conduit proxy` run as a user runs it: starts, serves, drains in-flight streams on SIGTERM, flushes, exits 0;
refuses a second proxy on the same database; `conduit --help` stays light."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from tests.conftest import read_events, write_config

CANARY = f"CANARY-{uuid.uuid4().hex}"
HEADERS = {"x-api-key": "sk-ant-api03-cli-test-key-000", "anthropic-version": "2023-06-01",
           "content-type": "application/json"}


async def start(config: Path) -> tuple[asyncio.subprocess.Process, str]:
    """Start `conduit proxy` and wait for the line that says where it listens."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "conduit", "proxy", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    while True:
        line = (await asyncio.wait_for(proc.stderr.readline(), timeout=20)).decode()
        assert line, "the proxy exited before listening"
        if "listening on" in line:
            return proc, line.split("listening on ")[1].split()[0]


async def test_sigterm_lets_in_flight_stream_finish_and_flushes(sim: Any, tmp_path: Path) -> None:
    config = write_config(tmp_path, sim.url)
    proc, url = await start(config)
    body = orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": True,
                         "messages": [{"role": "user", "content": CANARY}]})
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/anthropic/v1/messages", data=body,
                                headers={**HEADERS, "x-sim-hold-after": "2"}) as resp:
            await asyncio.wait_for(sim.state.holding.wait(), timeout=10)
            proc.send_signal(signal.SIGTERM)
            stderr_lines = []
            assert proc.stderr is not None
            while not any("stopping" in line for line in stderr_lines):
                stderr_lines.append((await asyncio.wait_for(proc.stderr.readline(), timeout=10)).decode())
            sim.state.release.set()
            rest = await asyncio.wait_for(resp.read(), timeout=10)
    assert b"event: message_stop" in rest
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0
    log = "".join(stderr_lines) + stderr.decode()
    assert CANARY not in log
    [event] = read_events(tmp_path / "conduit.db")
    assert event["status"] == "success" and event["output_tokens"] > 0


async def test_second_proxy_on_the_same_database_fails_clearly(sim: Any, tmp_path: Path) -> None:
    config = write_config(tmp_path, sim.url)
    proc, _ = await start(config)
    try:
        second = subprocess.run([sys.executable, "-m", "conduit", "proxy", "--config", str(config)],
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "already using" in second.stderr and str(proc.pid) in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0


def test_missing_config_is_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "conduit", "proxy"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=30, env={**os.environ, "CONDUIT_CONFIG": ""})
    assert result.returncode == 2
    assert "conduit.toml" in result.stderr and "conduit init" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_and_version_do_not_load_aiohttp() -> None:
    code = (
        "import sys\n"
        "from conduit.cli.app import main\n"
        "for argv in (['conduit', '--help'], ['conduit', '--version']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('LOADED', sorted(m for m in ('aiohttp', 'textual', 'aiosqlite') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout
    assert "LOADED []" in out
    assert "conduit 0." in out and "proxy" in out


def test_wrong_master_key_is_a_one_line_start_up_error(tmp_path: Path, monkeypatch: Any) -> None:
    from tests.proxy.virtual import ANTHROPIC_SECRET, virtual_home

    home = virtual_home(tmp_path / "home", "http://127.0.0.1:9", monkeypatch)
    env = {**os.environ, "CONDUIT_MASTER_KEY": "ab" * 32}
    result = subprocess.run([sys.executable, "-m", "conduit", "proxy", "--config", str(home.config)],
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "master key" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert ANTHROPIC_SECRET not in result.stderr
