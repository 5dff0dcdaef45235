"""`conduit report`: JSON snapshots of every report on a small database written by the real EventWriter with a
frozen clock ($CONDUIT_NOW_MS); numbers that agree to the cent with direct SQL on a seeded database; plain text
when piped and Rich on a terminal; one-line errors; and a prompt's canary that never reaches a report."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from typer.testing import CliRunner

import conduit
from bench.seed import seed_database
from conduit.cli.app import app
from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.store.migrations import migrate
from conduit.store.writer import EventWriter

NOW_MS = int(datetime(2026, 11, 19, 15, 30, tzinfo=UTC).timestamp() * 1000)
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
REPO = Path(conduit.__file__).resolve().parents[1]
CONFIG = """database = "conduit.db"

[providers.anthropic]
upstream = "https://api.anthropic.com"

[teams.platform]
budget = { usd = 2, period = "day" }

[teams.data]
budget = { usd = 50, period = "month" }

[budget]
usd = 100
period = "month"
timezone = "Europe/Berlin"
"""
REPORTS = (("spend",), ("spend", "--by", "team"), ("spend", "--by", "model"), ("spend", "--by", "provider"),
           ("spend", "--by", "day"), ("budgets",), ("context-rot",), ("governance",))


def event(at_ms: int, key: str | None, team: str | None, model: str | None, status: Status, cost_usd: float,
          size: int, **extra: Any) -> UsageEvent:
    names = {"key_a": "alice", "key_b": "bob"}
    return UsageEvent(
        started_at_ms=at_ms, request_id=f"r{at_ms}", provider="openai" if (model or "").startswith("gpt") else
        "anthropic", api="anthropic_messages", status=status, http_status=200, model=model, key_id=key,
        key_name=names.get(key or ""), key_prefix="sk-ant-api03-AbCd…" if key == "fp_1" else "vk_live_x…",
        team=team, session_id=extra.pop("session_id", None), client="claude-code", input_tokens=size // 10,
        output_tokens=500, cache_read_tokens=size - size // 10, cost_usd=cost_usd, latency_ms=1_000 + size / 50,
        ttfb_ms=300 + size / 200, request_bytes=size * 4, **extra)


EVENTS = [
    event(NOW_MS - HOUR_MS, "key_a", "platform", "claude-sonnet-4-5", Status.SUCCESS, 0.25, 12_000,
          session_id="s1"),
    event(NOW_MS - HOUR_MS + 60_000, "key_a", "platform", "claude-sonnet-4-5", Status.SUCCESS, 0.75, 70_000,
          session_id="s1", governance_categories="aws_access_key", governance_action="alert", governance_first=1),
    event(NOW_MS - HOUR_MS + 120_000, "key_a", "platform", "claude-sonnet-4-5", Status.UPSTREAM_ERROR, 0.0, 0,
          session_id="s1", governance_categories="aws_access_key", governance_action="alert", governance_first=0),
    event(NOW_MS - 2 * DAY_MS, "key_b", "platform", "gpt-5", Status.SUCCESS, 1.5, 150_000),
    event(NOW_MS - 2 * DAY_MS + 5_000, "key_b", "platform", "gpt-5", Status.RATE_LIMITED, 0.0, 0),
    event(NOW_MS - 3 * DAY_MS, "fp_1", None, "claude-opus-4-5", Status.SUCCESS, 4.125, 240_000),
    event(NOW_MS - 3 * DAY_MS + 1, "fp_1", None, "claude-opus-4-5", Status.GOVERNANCE_BLOCKED, 0.0, 0,
          governance_categories="private_key|jwt", governance_action="block", governance_first=2),
    event(NOW_MS - 10 * DAY_MS, "key_b", "data", None, Status.PROXY_ERROR, 0.0, 0),
    event(NOW_MS - 40 * DAY_MS, "key_a", "platform", "claude-sonnet-4-5", Status.SUCCESS, 9.0, 30_000),
]


async def _write(path: Path, events: list[UsageEvent]) -> None:
    writer = EventWriter(path)
    await writer.start()
    for item in events:
        writer.submit(item)
    await writer.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder with conduit.toml and its database: two virtual keys with budgets and the EVENTS."""
    (tmp_path / "conduit.toml").write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "conduit.db"
    migrate(db)
    with sqlite3.connect(db) as conn:
        for key_id, name, team, usd, period in (("key_a", "alice", "platform", 1.0, "day"),
                                                ("key_b", "bob", "data", 30.0, "week")):
            conn.execute("INSERT INTO virtual_keys (id, name, team, key_hash, key_prefix, budget_usd, budget_period, "
                         "created_at_ms) VALUES (?, ?, ?, ?, 'vk_live_x…', ?, ?, 0)",
                         (key_id, name, team, uuid.uuid4().hex, usd, period))
    asyncio.run(_write(db, EVENTS))
    return tmp_path


def report(*args: str, cwd: Path | None = None, now_ms: int | None = NOW_MS) -> Any:
    """Run `conduit report ARGS` as a user would (CliRunner; stdout is not a terminal)."""
    env = {"CONDUIT_CONFIG": "", "CONDUIT_NOW_MS": "" if now_ms is None else str(now_ms)}
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(app, ["report", *args], env=env)
    finally:
        os.chdir(old)


@pytest.mark.parametrize("args", REPORTS, ids=lambda args: "-".join(args))
def test_json_snapshots(home: Path, args: tuple[str, ...], snapshot: Any) -> None:
    result = report(*args, "--json", cwd=home)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == snapshot


def test_db_alone_works_and_names_what_it_lacks(home: Path) -> None:
    result = report("budgets", "--json", "--db", str(home / "conduit.db"))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [b["scope"] for b in document["budgets"]] == ["key", "key"]
    assert "only virtual-key budgets" in result.stderr
    spend = json.loads(report("spend", "--json", "--db", str(home / "conduit.db")).stdout)
    assert spend["window"]["timezone"] == "UTC" and spend["total"]["requests"] == 8


def test_plain_text_when_piped(home: Path) -> None:
    result = report("spend", "--by", "model", "--since", "7d", cwd=home)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Spend by model, 2026-11-12 16:30 → now (Europe/Berlin)")
    assert lines[1].split() == ["MODEL", "REQUESTS", "INPUT", "OUTPUT", "CACHE", "READ", "CACHE", "WRITE", "ERRORS",
                                "COST"]
    assert lines[2].split()[0] == "claude-opus-4-5" and lines[2].endswith("$4.12")
    assert lines[-1].split()[0] == "total" and lines[-1].endswith("$6.62")
    assert "\x1b[" not in result.stdout


def test_rich_table_on_a_terminal(home: Path) -> None:
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "conduit", "report", "governance"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLUMNS": "160",
           "CONDUIT_NOW_MS": str(NOW_MS), "CONDUIT_CONFIG": ""}
    with subprocess.Popen(command, cwd=home, env=env, stdout=terminal, stderr=subprocess.PIPE) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    os.close(controller)
    output = b"".join(chunks).decode()
    assert "\x1b[" in output and "aws_access_key" in output and "private_key" in output


@pytest.mark.parametrize(("args", "code", "message"), [
    (("spend", "--db", "missing.db"), 1, "error: there is no usage database at missing.db yet; start the proxy"),
    (("spend", "--since", "yesterday-ish"), 2, "error: --since/--until: 'yesterday-ish' is neither a duration"),
    (("spend", "--since", "2d", "--until", "3d"), 2, "error: --since/--until: --until (3d) must be after"),
    (("spend", "--by", "colour"), 2, "error: --by 'colour' is not a breakdown; use one of engineer, team, model"),
])
def test_mistakes_are_one_line(home: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = report(*args, cwd=home)
    assert result.exit_code == code
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_a_newer_database_is_refused(home: Path) -> None:
    with sqlite3.connect(home / "conduit.db") as conn:
        conn.execute("PRAGMA user_version = 999")
    result = report("context-rot", cwd=home)
    assert result.exit_code == 1 and "written by a newer Conduit (schema v999" in result.stderr


def test_a_bad_clock_override_is_named(home: Path) -> None:
    result = report("spend", cwd=home, now_ms=None)
    assert result.exit_code == 0
    env = {"CONDUIT_CONFIG": "", "CONDUIT_NOW_MS": "soon"}
    os.chdir(home)
    bad = CliRunner().invoke(app, ["report", "spend"], env=env)
    assert bad.exit_code == 2 and "$CONDUIT_NOW_MS must be a Unix time in milliseconds" in bad.stderr


def test_spend_agrees_to_the_cent_with_direct_sql(tmp_path: Path) -> None:
    db = tmp_path / "usage.db"
    seed_database(db, 4_000, days=20, now_ms=NOW_MS)
    document = json.loads(report("spend", "--by", "team", "--since", "9d", "--json", "--db", str(db)).stdout)
    with sqlite3.connect(db) as conn:
        want = dict(conn.execute(
            "SELECT COALESCE(team, '(none)'), TOTAL(cost_usd) FROM usage_events WHERE started_at_ms >= ? GROUP BY 1",
            (NOW_MS - 9 * DAY_MS,)).fetchall())
    assert {row["label"]: round(row["cost_usd"], 2) for row in document["rows"]} == {
        team: round(cost, 2) for team, cost in want.items()}
    assert round(document["total"]["cost_usd"], 2) == round(sum(want.values()), 2)


async def test_a_prompt_canary_never_reaches_a_report(sim: Any, make_proxy: Any) -> None:
    canary = f"CANARY-{uuid.uuid4().hex}"
    key = f"sk-ant-api03-{uuid.uuid4().hex}"
    proxy = await make_proxy(sim.url)
    headers = {"x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json",
               "x-claude-code-session-id": f"session-{canary}"[:20], "user-agent": "claude-cli/2.1.0 (external, cli)"}
    async with aiohttp.ClientSession() as session:
        for index, secret in enumerate(("", " AKIAIOSFODNN7EXAMPLQ", " ghp_" + "a1B2c3D4" * 5)):
            body = orjson.dumps({"model": "claude-sonnet-4-5", "max_tokens": 32, "stream": bool(index % 2),
                                 "messages": [{"role": "user", "content": f"turn {index} {canary}{secret}"}]})
            async with session.post(f"{proxy.url}/anthropic/v1/messages", data=body, headers=headers) as resp:
                await resp.read()
    events = await proxy.events()
    assert len(events) == 3
    outputs = []
    for args in REPORTS:
        for fmt in ((), ("--json",)):
            result = await asyncio.to_thread(report, *args, *fmt, "--db", str(proxy.db), "--since", "1d") \
                if args[0] not in ("budgets",) else await asyncio.to_thread(report, *args, *fmt, "--db", str(proxy.db))
            assert result.exit_code == 0, result.output
            outputs.append(result.stdout + result.stderr)
    text = "".join(outputs)
    assert "claude-sonnet-4-5" in text and "sk-ant-api03-" in text  # the reports are about these events
    assert canary not in text and key not in text and key[13:] not in text
