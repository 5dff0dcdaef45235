"""The single-file `conduit` binary built by packaging/build.sh works on its own: it prints its version, checks a
config, scans with hyperscan, runs its own simulated provider and proxy, meters real SDK requests, exports them
and opens the dashboard in a terminal; and it carries every conduit module plus the Textual and Rich modules
that are only imported by name at run time.

The binary is $CONDUIT_BINARY (CI builds it before the tests); without that variable these tests are skipped.
"""

from __future__ import annotations

import asyncio
import fcntl
import marshal
import os
import pty
import signal
import re
import select
import struct
import subprocess
import sys
import termios
import time
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import anthropic
import openai
import orjson
import pytest

import conduit
from conduit.store.migrations import migrate
from tests.conftest import read_events, write_config
from tests.export.sample_events import bulk_seed

ROOT = Path(__file__).resolve().parents[2]
COOKIE_MAGIC = b"MEI\014\013\012\013\016"
COOKIE_FORMAT = "!8sIIII64s"
ENTRY_FORMAT = "!IIIIBc"
GITHUB_TOKEN = "ghp_" + "Q7x9TmK2vLp4RzW8nB3cY6dF1hJ5sG0aEu2i"


def _binary() -> Path:
    value = os.environ.get("CONDUIT_BINARY")
    if not value:
        pytest.skip("set CONDUIT_BINARY to a binary built by `bash packaging/build.sh` (CI does)")
    path = Path(value).resolve()
    assert path.is_file() and os.access(path, os.X_OK), f"CONDUIT_BINARY={value} is not an executable file"
    return path


@pytest.fixture(scope="module")
def binary() -> Path:
    return _binary()


def run(binary: Path, *args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the binary to completion with a clean environment (no conduit config variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONDUIT_")}
    return subprocess.run([str(binary), *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=60, env=env)


def archive_names(binary: Path) -> set[str]:
    """Names in the binary's PyInstaller archive and in its embedded module archive (PYZ)."""
    data = binary.read_bytes()
    cookie_at = data.rfind(COOKIE_MAGIC)
    assert cookie_at > 0, "no PyInstaller archive in the binary"
    _, length, toc_offset, toc_length, _, _ = struct.unpack_from(COOKIE_FORMAT, data, cookie_at)
    start = cookie_at + struct.calcsize(COOKIE_FORMAT) - length
    names: set[str] = set()
    pos, end = start + toc_offset, start + toc_offset + toc_length
    while pos < end:
        entry_length, offset, size, _, _, kind = struct.unpack_from(ENTRY_FORMAT, data, pos)
        name_at = pos + struct.calcsize(ENTRY_FORMAT)
        name = data[name_at:pos + entry_length].rstrip(b"\0").decode()
        pos += entry_length
        names.add(name)
        if kind == b"z":
            pyz = start + offset
            assert data[pyz:pyz + 4] == b"PYZ\0"
            (pyz_toc,) = struct.unpack_from("!i", data, pyz + 8)
            names.update(name for name, _ in marshal.loads(data[pyz + pyz_toc:pyz + size]))
    return names


def conduit_modules() -> set[str]:
    """Every module of the conduit package in this checkout, as dotted names."""
    package = Path(conduit.__file__).parent
    names = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names - {"conduit.__main__"}


def test_build_requirements_pin_every_runtime_dependency_with_hashes() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = {re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0] for dep in pyproject["project"]["dependencies"]}
    text = (ROOT / "packaging" / "requirements-build.txt").read_text()
    blocks = re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)(.*?)(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    pinned = {name.replace("_", "-").lower(): rest for name, _, rest in blocks}
    wanted_names = {name.replace("_", "-").lower() for name in wanted} | {"pyinstaller", "setuptools", "pip"}
    assert wanted_names <= set(pinned), f"not pinned: {sorted(wanted_names - set(pinned))}"
    unhashed = sorted(name for name, rest in pinned.items() if "--hash=sha256:" not in rest)
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_sbom_lists_every_pinned_build_requirement() -> None:
    value = os.environ.get("CONDUIT_SBOM")
    if not value:
        pytest.skip("set CONDUIT_SBOM to the file `bash packaging/sbom.sh` writes (CI does)")
    sbom = orjson.loads(Path(value).read_bytes())
    assert sbom["bomFormat"] == "CycloneDX" and sbom["metadata"]["component"]["name"] == "conduit-gateway"
    listed = {c["name"].replace("_", "-").lower(): c["version"] for c in sbom["components"]}
    text = (ROOT / "packaging" / "requirements-build.txt").read_text()
    pinned = {name.replace("_", "-").lower(): version
              for name, version in re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s;]+)", text, re.MULTILINE)}
    assert pinned.items() <= listed.items(), sorted(set(pinned.items()) - set(listed.items()))


def test_version(binary: Path, tmp_path: Path) -> None:
    result = run(binary, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"conduit {conduit.__version__}"


def test_archive_holds_every_module_loaded_by_name(binary: Path) -> None:
    names = archive_names(binary)
    missing = sorted(conduit_modules() - names)
    assert not missing, f"conduit modules missing from the binary: {missing}"
    assert "conduit/core/pricing.toml" in names
    for module in ("textual.widgets._data_table", "textual.widgets._tabbed_content", "textual.widgets._sparkline",
                   "textual.css.stylesheet", "rich._unicode_data", "uvloop", "orjson", "brotli", "hyperscan",
                   "aiosqlite", "prometheus_client"):
        assert any(name == module or name.startswith(module + ".") for name in names), module
    tcss = {path.relative_to(ROOT).as_posix() for path in (ROOT / "conduit").rglob("*.tcss")}
    assert tcss <= names, f"stylesheets missing from the binary: {sorted(tcss - names)}"


def test_config_check(binary: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    result = run(binary, "config", "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {config}")
    config.write_text(config.read_text().replace("shutdown_grace_s = 5", "shutdown_grace = 5"))
    bad = run(binary, "config", "check", "--config", str(config), cwd=tmp_path)
    assert bad.returncode == 2
    assert "shutdown_grace" in bad.stderr and "Traceback" not in bad.stderr


def test_governance_scan_with_hyperscan(binary: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9", extra='[governance]\nengine = "hyperscan"\n'
                                                                'block = ["github_token"]\n')
    result = run(binary, "governance", "scan", "--config", str(config), "-", cwd=tmp_path,
                 stdin=f"token = {GITHUB_TOKEN}\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "github_token" in result.stdout and GITHUB_TOKEN not in result.stdout


def test_dashboard_runs_in_a_terminal(binary: Path, tmp_path: Path) -> None:
    db = tmp_path / "conduit.db"
    migrate(db)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CONDUIT_")}, "TERM": "xterm-256color"}
    proc = subprocess.Popen([str(binary), "dashboard", "--db", str(db)], stdin=slave, stdout=slave, stderr=slave,
                            cwd=tmp_path, env=env, start_new_session=True)
    os.close(slave)
    screen, deadline = b"", time.monotonic() + 60
    try:
        while b"No requests recorded yet" not in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", screen):
            assert time.monotonic() < deadline and proc.poll() is None, screen.decode(errors="replace")[-2000:]
            if select.select([master], [], [], 0.5)[0]:
                screen += os.read(master, 65536)
        os.write(master, b"q")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert b"Traceback" not in screen


async def _listening(stream: asyncio.StreamReader | None, marker: str) -> str:
    """Read lines until one contains `marker` and return the URL that follows it."""
    assert stream is not None
    while True:
        line = (await asyncio.wait_for(stream.readline(), timeout=30)).decode()
        assert line, f"the process exited before printing {marker!r}"
        if marker in line:
            return line.split(marker, 1)[1].split()[0]


async def _stop(proc: asyncio.subprocess.Process) -> bytes:
    """Stop a process with SIGINT and return its remaining stderr."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    return stderr or b""


@pytest.fixture
async def binary_sim(binary: Path) -> AsyncIterator[str]:
    proc = await asyncio.create_subprocess_exec(str(binary), "sim", "--port", "0",
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        yield await _listening(proc.stdout, "listening on ")
    finally:
        await _stop(proc)


async def test_proxied_requests_through_the_binary(binary: Path, binary_sim: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, binary_sim)
    proc = await asyncio.create_subprocess_exec(str(binary), "proxy", "--config", str(config), cwd=tmp_path,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        url = await _listening(proc.stderr, "listening on ")
        async with anthropic.AsyncAnthropic(base_url=f"{url}/anthropic", api_key="sk-ant-api03-binary-test-0001",
                                            max_retries=0) as claude:
            message = await claude.messages.create(model="claude-sonnet-4-6", max_tokens=64,
                                                   messages=[{"role": "user", "content": "Hello from the binary."}])
        async with openai.AsyncOpenAI(base_url=f"{url}/openai/v1", api_key="sk-proj-binary-test-0000002",
                                      max_retries=0) as gpt:
            stream = await gpt.chat.completions.create(model="gpt-5-mini", stream=True,
                                                       stream_options={"include_usage": True},
                                                       messages=[{"role": "user", "content": "Stream, please."}])
            usage = [chunk.usage async for chunk in stream if chunk.usage is not None][-1]
        async with aiohttp.ClientSession(auto_decompress=False) as session:  # a zstd answer, metered by the binary
            async with session.post(f"{url}/anthropic/v1/messages", headers={
                    "x-api-key": "sk-ant-api03-binary-test-0001", "anthropic-version": "2023-06-01",
                    "accept-encoding": "zstd", "x-sim-encoding": "zstd"}, json={
                    "model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "z"}]},
                    ) as resp:
                assert resp.status == 200 and resp.headers["content-encoding"] == "zstd"
                await resp.read()
            async with session.ws_connect(f"{url}/openai/v1/responses", headers={  # Codex's WebSocket mode
                    "authorization": "Bearer sk-proj-binary-test-0000002", "user-agent": "codex_exec/0.64.0"}) as ws:
                await ws.send_str(orjson.dumps({"type": "response.create", "model": "gpt-5-codex",
                                                "input": "over a socket"}).decode())
                while orjson.loads(await ws.receive_str(timeout=30))["type"] != "response.completed":
                    pass
    finally:
        stderr = await _stop(proc)
    assert proc.returncode == 0, stderr.decode()
    first, second, third, fourth = read_events(tmp_path / "conduit.db")
    assert (first["status"], first["api"], first["streamed"]) == ("success", "anthropic_messages", 0)
    assert (first["input_tokens"], first["output_tokens"]) == (message.usage.input_tokens,
                                                               message.usage.output_tokens)
    assert first["cost_usd"] > 0 and first["priced"] == 1
    assert (second["status"], second["api"], second["streamed"]) == ("success", "openai_chat", 1)
    assert second["output_tokens"] == usage.completion_tokens and second["tokens_estimated"] == 0
    assert (third["status"], third["tokens_estimated"]) == ("success", 0) and third["output_tokens"] > 0
    assert (fourth["api"], fourth["client"], fourth["streamed"], fourth["tokens_estimated"]) == (
        "openai_responses", "codex", 1, 0) and fourth["output_tokens"] > 0
    exported = run(binary, "export", "--format", "jsonl", "--config", str(config), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = [orjson.loads(line) for line in exported.stdout.splitlines()]
    assert [row["api"] for row in rows] == ["anthropic_messages", "openai_chat", "anthropic_messages",
                                            "openai_responses"]
    report = run(binary, "report", "spend", "--config", str(config), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "Traceback" not in report.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_in_worker_processes(binary: Path, tmp_path: Path, fmt: str) -> None:
    db = bulk_seed(tmp_path / "big.db", 25_000)  # three chunks, encoded by forked workers inside the binary
    frozen = run(binary, "export", "--db", str(db), "--format", fmt, "--jobs", "2", cwd=tmp_path)
    assert frozen.returncode == 0, frozen.stderr
    source = subprocess.run([sys.executable, "-m", "conduit", "export", "--db", str(db), "--format", fmt,
                             "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert frozen.stdout == source.stdout and frozen.stderr == source.stderr
    assert "exported 25000 rows" in frozen.stderr


def test_sealed_credentials_and_virtual_keys(binary: Path, tmp_path: Path) -> None:
    assert run(binary, "init", cwd=tmp_path).returncode == 0
    sealed = run(binary, "credentials", "set", "anthropic-prod", "--provider", "anthropic", cwd=tmp_path,
                 stdin="sk-ant-api03-sealed-in-the-binary\n")
    assert sealed.returncode == 0, sealed.stderr
    listed = run(binary, "credentials", "list", cwd=tmp_path)
    assert "anthropic-prod" in listed.stdout and "sealed-in-the-binary" not in listed.stdout
    created = run(binary, "keys", "create", "eng1", cwd=tmp_path)
    assert created.returncode == 0 and "vk_live_" in created.stdout, created.stderr
