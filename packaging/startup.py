"""Measure a `conduit` executable's size and start-up: `conduit --version`, and spawn → "listening on" of
`conduit proxy` (a temporary config and database, upstream never contacted). Prints medians of N runs.

Usage: python packaging/startup.py [EXECUTABLE ...] [--runs N]   (default: dist/conduit)
Imports the standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """listen = "127.0.0.1:0"
database = "conduit.db"
[providers.anthropic]
upstream = "http://127.0.0.1:9"
"""


def version_s(executable: str) -> float:
    """Seconds for `executable --version` to exit."""
    started = time.perf_counter()
    subprocess.run([executable, "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def proxy_ready_s(executable: str, home: Path) -> float:
    """Seconds from spawning `executable proxy` until it logs that it is listening; then stops it."""
    for leftover in home.glob("conduit.db*"):
        leftover.unlink()
    started = time.perf_counter()
    proc = subprocess.Popen([executable, "proxy", "--config", str(home / "conduit.toml")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "listening on" in line:
                return time.perf_counter() - started
        raise RuntimeError(f"{executable} proxy exited with {proc.wait()} before listening")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def main() -> None:
    """Print size, median `--version` time and median time to a listening proxy for each executable."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executables", nargs="*", default=["dist/conduit"])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "conduit.toml").write_text(CONFIG)
        for executable in args.executables:
            path = shutil.which(executable) or executable
            size_mb = os.path.getsize(path) / 1e6
            version = statistics.median(version_s(path) for _ in range(args.runs))
            ready = statistics.median(proxy_ready_s(path, home) for _ in range(args.runs))
            print(f"{executable}: {size_mb:.1f} MB, --version {version * 1000:.0f} ms, "
                  f"proxy listening after {ready * 1000:.0f} ms (medians of {args.runs})")


if __name__ == "__main__":
    main()
