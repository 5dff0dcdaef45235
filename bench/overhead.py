"""How much latency, throughput and memory Conduit costs: the same requests sent straight to the simulated
provider and through `conduit proxy`, interleaved in one run. Prints medians, p99s, ratios and RSS.

    python bench/overhead.py [--requests 2000] [--concurrency 32] [--controls]

--controls turns on everything a request can be checked against: a virtual key with a sealed credential,
key/team/org budgets, a model allow-list and rate limits (all generous, so every request passes them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HEADERS = {"x-api-key": "sk-ant-api03-bench-key-00000000", "anthropic-version": "2023-06-01",
           "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
           "content-type": "application/json", "user-agent": "claude-cli/2.1.330 (external, cli)"}


def claude_code_body(stream: bool, size: int = 50_000) -> bytes:
    """A Claude-Code-shaped request: system blocks, tool schemas and a long history, about `size` bytes."""
    tools = [{"name": f"tool_{i}", "description": "Runs a shell command in the workspace and returns output. " * 3,
              "input_schema": {"type": "object", "properties": {"command": {"type": "string"},
                                                                "timeout": {"type": "number"}}}} for i in range(16)]
    body: dict[str, object] = {
        "model": "claude-sonnet-4-6", "max_tokens": 32000, "stream": stream, "tools": tools,
        "system": [{"type": "text", "text": "You are Claude Code. " * 40, "cache_control": {"type": "ephemeral"}}],
        "metadata": {"user_id": json.dumps({"device_id": "d" * 16, "session_id": "s" * 16})},
        "messages": [],
    }
    messages: list[dict[str, object]] = body["messages"]  # type: ignore[assignment]
    turn = 0
    while len(json.dumps(body)) < size:
        messages.append({"role": "user", "content": [{"type": "text", "text": f"Turn {turn}: fix the failing test in "
                                                      f"module_{turn}.py and explain the change. " * 6}]})
        messages.append({"role": "assistant", "content": f"Looked at module_{turn}.py; the assertion is off. " * 6})
        turn += 1
    messages.append({"role": "user", "content": "Continue."})
    return json.dumps(body).encode()


def write_config(home: Path, sim_port: int, proxy_port: int, controls: bool) -> dict[str, str]:
    """Write conduit.toml (and with `controls`, seal a credential and create a key); returns extra env."""
    upstream = f'listen = "127.0.0.1:{proxy_port}"\n[providers.anthropic]\nupstream = "http://127.0.0.1:{sim_port}"\n'
    if not controls:
        (home / "conduit.toml").write_text(upstream + 'api = "anthropic"\n')
        return {}
    from conduit.core.policy import Budget, RateLimit
    from conduit.core.sealing import seal
    from conduit.store import credentials, keys
    from conduit.store.migrations import migrate

    (home / "conduit.toml").write_text(
        upstream + 'api = "anthropic"\nauth = "virtual"\ncredential = "bench"\n'
        '[teams.bench]\nbudget = { usd = 1000000, period = "month" }\nmodels = ["claude-*"]\n'
        "rate_limit = { rpm = 100000000, tpm = 100000000000 }\n[budget]\nusd = 10000000\n"
    )
    master_key = os.urandom(32)
    db = home / "conduit.db"
    migrate(db)
    credentials.put(db, "bench", "anthropic", seal(master_key, "bench", "anthropic", "sk-ant-bench-upstream"))
    _, vk = keys.create(db, "bench", team="bench", budget=Budget(1_000_000, "day"), models=("claude-sonnet-*",),
                        rate_limit=RateLimit(rpm=100_000_000, tpm=100_000_000_000))
    HEADERS["x-api-key"] = vk
    return {"CONDUIT_MASTER_KEY": master_key.hex()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_listening(port: int, proc: subprocess.Popen[bytes], deadline_s: float = 20) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"process exited early with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nothing listening on {port}")


async def timed(session: aiohttp.ClientSession, url: str, body: bytes, first_byte: bool) -> float:
    t0 = time.perf_counter()
    async with session.post(url, data=body, headers=HEADERS) as resp:
        if first_byte:
            await resp.content.readany()
            t1 = time.perf_counter()
            await resp.read()
            return (t1 - t0) * 1000
        await resp.read()
        assert resp.status == 200, resp.status
    return (time.perf_counter() - t0) * 1000


async def paired(direct: str, proxied: str, body: bytes, n: int, first_byte: bool) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    async with aiohttp.ClientSession() as session:
        for _ in range(50):  # warm-up: connections, caches
            await timed(session, direct, body, first_byte)
            await timed(session, proxied, body, first_byte)
        for i in range(n):
            first, second = (direct, proxied) if i % 2 == 0 else (proxied, direct)
            t_first = await timed(session, first, body, first_byte)
            t_second = await timed(session, second, body, first_byte)
            (a if first == direct else b).append(t_first)
            (b if first == direct else a).append(t_second)
    return a, b


async def throughput(url: str, body: bytes, total: int, concurrency: int) -> float:
    remaining = total
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await timed(session, url, body, False)
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return total / (time.perf_counter() - t0)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def report(label: str, direct: list[float], proxied: list[float], via: str = "Conduit") -> None:
    d50, p50 = statistics.median(direct), statistics.median(proxied)
    d99, p99 = pct(direct, 99), pct(proxied, 99)
    print(f"{label:<34} direct p50 {d50:7.3f} ms  p99 {d99:7.3f} ms | via {via} p50 {p50:7.3f} ms  p99 {p99:7.3f} ms"
          f" | added p50 {p50 - d50:+.3f} ms  p99 {p99 - d99:+.3f} ms")


async def run(args: argparse.Namespace, sim_url: str, proxy_url: str, proxy_pid: int, bare_url: str) -> None:
    plain, streamed = claude_code_body(False), claude_code_body(True)
    direct, via = f"{sim_url}/v1/messages", f"{proxy_url}/anthropic/v1/messages"
    bare = f"{bare_url}/anthropic/v1/messages"
    print(f"request body: {len(plain) / 1000:.1f} KB, {args.requests} paired requests per row, "
          f"CPU cores: {os.cpu_count()}")
    print(f"proxy RSS idle: {rss_mb(proxy_pid):.1f} MB")
    report("non-streaming, 50 KB body", *await paired(direct, via, plain, args.requests, False))
    report("streaming, time to first byte", *await paired(direct, via, streamed, args.requests, True))
    print("reference: a bare aiohttp relay (no checks, metering or storage) in place of Conduit")
    report("  non-streaming, 50 KB body", *await paired(direct, bare, plain, args.requests, False), via="relay")
    report("  streaming, time to first byte", *await paired(direct, bare, streamed, args.requests, True), via="relay")
    total = args.requests * 2
    rps_direct = await throughput(direct, plain, total, args.concurrency)
    rps_proxy = await throughput(via, plain, total, args.concurrency)
    print(f"throughput at concurrency {args.concurrency}: direct {rps_direct:,.0f} req/s, via Conduit "
          f"{rps_proxy:,.0f} req/s (ratio {rps_proxy / rps_direct:.2f})")
    print(f"proxy RSS after load: {rss_mb(proxy_pid):.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--controls", action="store_true", help="virtual key, budgets, allow-list, rate limits on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sim_port, proxy_port, bare_port = free_port(), free_port(), free_port()
        sim = subprocess.Popen([sys.executable, "-m", "conduit", "sim", "--port", str(sim_port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = {**os.environ, **write_config(Path(tmp), sim_port, proxy_port, args.controls)}
        print(f"checks: {'virtual key, budgets, allow-list, rate limits' if args.controls else 'passthrough'}")
        proxy = subprocess.Popen([sys.executable, "-m", "conduit", "proxy", "--config", str(Path(tmp) / "conduit.toml")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        bare = subprocess.Popen([sys.executable, str(Path(__file__).with_name("bare_relay.py")), str(bare_port),
                                 f"http://127.0.0.1:{sim_port}"])
        try:
            for port, proc in ((sim_port, sim), (proxy_port, proxy), (bare_port, bare)):
                wait_listening(port, proc)
            asyncio.run(run(args, f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{proxy_port}", proxy.pid,
                            f"http://127.0.0.1:{bare_port}"))
        finally:
            for proc in (bare, proxy, sim):
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
