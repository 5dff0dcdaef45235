"""The privacy canary: a unique string sent in prompts (and next to a blocked secret) through the real proxy
never appears in a CSV, JSON or JSONL export, nor in the manifest, while the requests' metadata does."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from typer.testing import CliRunner

from conduit.cli.app import app

CANARY = f"CANARY-{uuid.uuid4().hex}"
AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
HEADERS = {"x-api-key": "sk-ant-api03-export-privacy", "anthropic-version": "2023-06-01",
           "content-type": "application/json", "x-claude-code-session-id": "export-privacy-session"}


def body(text: str, stream: bool) -> bytes:
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": stream,
                         "system": f"system {CANARY}", "messages": [{"role": "user", "content": text}]})


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
async def test_canary_never_in_any_export(sim: Any, make_proxy: Any, tmp_path: Path, fmt: str) -> None:
    proxy = await make_proxy(sim.url, extra='[governance]\nmode = "alert"\nblock = ["aws_access_key"]\n')
    statuses = []
    async with aiohttp.ClientSession() as session:
        for text, stream in ((f"say {CANARY}", False), (f"say {CANARY}", True),
                             (f"{CANARY} AWS_ACCESS_KEY_ID={AWS_KEY}", False)):
            async with session.post(f"{proxy.url}/anthropic/v1/messages", data=body(text, stream),
                                    headers=HEADERS) as resp:
                await resp.read()
                statuses.append(resp.status)
    assert statuses == [200, 200, 451]
    events = await proxy.events()
    assert len(events) == 3
    output = tmp_path / f"usage.{fmt}"
    result = CliRunner().invoke(app, ["export", "--db", str(proxy.db), "--format", fmt, "-o", str(output),
                                      "--manifest"])
    assert result.exit_code == 0, result.output
    stdout = CliRunner().invoke(app, ["export", "--db", str(proxy.db), "--format", fmt])
    written = [output.read_bytes(), Path(f"{output}.manifest.json").read_bytes(), stdout.stdout_bytes,
               stdout.stderr_bytes, result.stderr_bytes]
    for data in written:
        assert CANARY.encode() not in data and AWS_KEY.encode() not in data
    assert b"governance_blocked" in written[0] and b"aws_access_key" in written[0]
    assert written[0].count(b"claude-sonnet-4-6") == 3
