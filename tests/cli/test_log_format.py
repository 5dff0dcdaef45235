"""`conduit proxy --log-format text|json` run as a user runs it: JSON logs are one object per line with ts, level,
logger and message; neither format ever shows a prompt canary — not for a success, an upstream error, a governance
block, a cut stream, or a malformed request whose bytes the HTTP parser quotes in its exception."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from conduit.cli.log_format import JsonFormatter, LogFormat, TextFormatter, configure_logging
from tests.conftest import write_config

CANARY = f"CANARY-{uuid.uuid4().hex}"
AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
HEADERS = {"x-api-key": "sk-ant-api03-log-test-key-000", "anthropic-version": "2023-06-01",
           "content-type": "application/json"}
GOVERNANCE = '[governance]\nmode = "alert"\nblock = ["aws_access_key"]\n'


def body(text: str, stream: bool = False) -> bytes:
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 64, "stream": stream,
                         "messages": [{"role": "user", "content": text}]})


async def start(config: Path, log_format: str) -> tuple[asyncio.subprocess.Process, str, list[str]]:
    """Start `conduit proxy --log-format …`; return it, its URL and the stderr lines read so far."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "conduit", "proxy", "--config", str(config), "--log-format", log_format,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    lines: list[str] = []
    while True:
        line = (await asyncio.wait_for(proc.stderr.readline(), timeout=20)).decode()
        assert line, "the proxy exited before listening:\n" + "".join(lines)
        lines.append(line)
        if "listening on" in line:
            return proc, line.split("listening on ")[1].split()[0], lines


async def raw_request(url: str, data: bytes) -> bytes:
    """Send raw bytes to the proxy and return its answer (for requests no HTTP client would send)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(data)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)
    writer.close()
    return answer


async def traffic(url: str) -> None:
    """Every kind of request, each carrying the canary."""
    async with aiohttp.ClientSession() as session:
        for stream in (False, True):
            async with session.post(f"{url}/anthropic/v1/messages", data=body(f"say {CANARY}", stream),
                                    headers=HEADERS) as r:
                assert r.status == 200
                await r.read()
        async with session.post(f"{url}/anthropic/v1/messages", data=body(CANARY),
                                headers={**HEADERS, "x-sim-status": "529"}) as r:
            assert r.status == 529
        async with session.post(f"{url}/anthropic/v1/messages", data=body(f"{AWS_KEY} {CANARY}"), headers=HEADERS) as r:
            assert r.status == 451
        async with session.post(f"{url}/anthropic/v1/messages", data=body(CANARY, stream=True),
                                headers={**HEADERS, "x-sim-fault": "cut-after:2"}) as r:
            with pytest.raises(aiohttp.ClientPayloadError):
                await r.read()
        async with session.post(f"{url}/anthropic/v1/messages", data=b'{"broken": "' + CANARY.encode(),
                                headers=HEADERS) as r:
            await r.read()
    chunked = (b"POST /anthropic/v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               + CANARY.encode() + b"\r\n\r\n")
    assert (await raw_request(url, chunked)).startswith(b"HTTP/1.")
    bad_header = b"POST /anthropic/v1/messages HTTP/1.1\r\nHost: x\r\nX-Note\x01: " + CANARY.encode() + b"\r\n\r\n"
    assert (await raw_request(url, bad_header)).startswith(b"HTTP/1.")


async def run_proxy_log(sim: Any, tmp_path: Path, log_format: str) -> str:
    """Everything `conduit proxy` logged from start to a SIGTERM stop, with the traffic above in between."""
    proc, url, lines = await start(write_config(tmp_path, sim.url, GOVERNANCE), log_format)
    await traffic(url)
    proc.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0
    return "".join(lines) + stderr.decode()


async def test_json_logs_are_one_object_per_line_without_content(sim: Any, tmp_path: Path) -> None:
    log = await run_proxy_log(sim, tmp_path, "json")
    entries = [json.loads(line) for line in log.splitlines()]
    assert entries
    for entry in entries:
        assert {"ts", "level", "logger", "message"} <= entry.keys()
        assert entry["ts"].endswith("Z") and datetime.fromisoformat(entry["ts"])
    listening = next(entry for entry in entries if "listening on" in entry["message"])
    assert listening["logger"] == "conduit.proxy" and listening["listen"].startswith("http://127.0.0.1:")
    parse_errors = [entry for entry in entries if entry["logger"] == "aiohttp.server"]
    assert parse_errors and all("BadHttpMessage" in entry["exception"] for entry in parse_errors)
    assert CANARY not in log and AWS_KEY not in log


async def test_text_logs_have_no_content(sim: Any, tmp_path: Path) -> None:
    log = await run_proxy_log(sim, tmp_path, "text")
    assert "INFO conduit.proxy: conduit proxy listening on http://127.0.0.1:" in log
    assert "BadHttpMessage (message not logged)" in log
    assert CANARY not in log and AWS_KEY not in log


def test_unknown_log_format_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from conduit.cli.app import app

    result = CliRunner().invoke(app, ["proxy", "--config", str(tmp_path / "none.toml"), "--log-format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json'" in result.output


def exc_record(logger: str = "aiohttp.server") -> logging.LogRecord:
    try:
        raise ValueError(f"bad bytes b'{CANARY}'")
    except ValueError:
        return logging.getLogger(logger).makeRecord(logger, logging.ERROR, __file__, 1, "Error handling %s", ("x",),
                                                    sys.exc_info(), extra={"request_id": "req_1", "obj": object()})


def test_formatters_keep_the_stack_and_type_but_not_the_exception_message() -> None:
    record = exc_record()
    logging.Formatter().format(record)  # another handler caches the full exception text on the record first
    assert record.exc_text and CANARY in record.exc_text
    text = TextFormatter().format(record)
    assert "ERROR aiohttp.server: Error handling x\nTraceback (most recent call last):\n" in text
    assert "in exc_record" in text and text.endswith("ValueError (message not logged)") and CANARY not in text
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "error" and entry["logger"] == "aiohttp.server" and entry["message"] == "Error handling x"
    assert entry["request_id"] == "req_1" and "obj" not in entry
    assert entry["exception"].endswith("ValueError (message not logged)") and CANARY not in entry["exception"]


def test_configure_logging_replaces_its_own_handler() -> None:
    root = logging.getLogger()
    level = root.level
    first, second = io.StringIO(), io.StringIO()
    try:
        configure_logging(LogFormat.TEXT, first)
        configure_logging(LogFormat.JSON, second)
        logging.getLogger("conduit.test").info("hello %s", "there")
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "conduit"]:
            root.removeHandler(handler)
        root.setLevel(level)
    assert first.getvalue() == ""
    assert json.loads(second.getvalue())["message"] == "hello there"
