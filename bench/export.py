"""How fast `conduit export` writes, and in how much memory: seeds a database with N realistic events, then runs
`conduit export --format F --output FILE` for each format in a child process and prints rows/s (wall and per CPU
second), seconds, output size and the child's peak RSS.

    python bench/export.py [--events 1000000] [--db PATH] [--formats csv,jsonl,json] [--jobs N]

Up to --seed-events (default 1,000,000) events come from bench/seed.py; beyond that the seeded events are copied
back in time (fast, in SQL), so a 10-million-event run does not need minutes of seeding. A database already at
--db with the right number of events is reused.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import seed_database  # noqa: E402
from conduit.export.workers import default_jobs  # noqa: E402
from conduit.store.writer import EVENT_COLUMNS  # noqa: E402

DAY_MS = 86_400_000


def event_count(db: Path) -> int:
    """How many events `db` holds (0 if it does not exist)."""
    if not db.is_file():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0])


def prepare(db: Path, events: int, seed_events: int, days: int) -> None:
    """Make `db` hold exactly `events` events: seed up to `seed_events`, then copy them back in time."""
    if event_count(db) == events:
        print(f"reusing {db} ({events:,} events)")
        return
    for path in db.parent.glob(db.name + "*"):
        path.unlink()
    started = time.perf_counter()
    base = min(events, seed_events)
    seed_database(db, base, days=days)
    columns = list(EVENT_COLUMNS)
    copied = base
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        round_no = 1
        while copied < events:
            take = min(base, events - copied)
            values = [f"started_at_ms - {round_no * days * DAY_MS}" if c == "started_at_ms"
                      else f"request_id || '.{round_no}'" if c == "request_id" else c for c in columns]
            conn.execute(f"INSERT INTO usage_events ({', '.join(columns)}) SELECT {', '.join(values)} "
                         f"FROM usage_events WHERE id <= {base} ORDER BY id LIMIT {take}")
            conn.commit()
            copied += take
            round_no += 1
    print(f"seeded {events:,} events into {db} in {time.perf_counter() - started:.1f} s")


def run_export(db: Path, fmt: str, output: Path, jobs: int | None) -> tuple[float, float, int, str]:
    """Run one export in a child process: (wall seconds, CPU seconds of it and its workers, the largest peak RSS
    among them in KiB, its stderr)."""
    command = [sys.executable, "-m", "conduit", "export", "--db", str(db), "--format", fmt, "--output", str(output)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    err = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall_s = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"export failed ({child.returncode}): {err}")
    return wall_s, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, err


def main() -> None:
    """Command line: seed (or reuse) a database, export it in each format, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed-events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--db", type=Path, default=None, help="database to seed or reuse (default: a temp folder)")
    parser.add_argument("--formats", default="csv,jsonl,json")
    parser.add_argument("--jobs", type=int, default=None, help="passed to conduit export (default: its own)")
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_only:
        prepare(args.db, args.events, args.seed_events, args.days)
        return
    with tempfile.TemporaryDirectory(prefix="conduit-export-bench-") as folder:
        db = args.db or Path(folder) / "bench.db"
        # Seeding grows this process; a child forked from a big parent would report the parent's peak RSS.
        subprocess.run([sys.executable, __file__, "--prepare-only", "--db", str(db), "--events", str(args.events),
                        "--seed-events", str(args.seed_events), "--days", str(args.days)], check=True)
        calibration_ms = min(timeit.repeat("sum(range(1_000_000))", number=1, repeat=5)) * 1000
        print(f"cpu calibration: sum(range(10**6)) takes {calibration_ms:.1f} ms on this machine; "
              f"{os.cpu_count()} CPUs, export jobs: {args.jobs or default_jobs()}")
        print(f"{'format':<7}{'rows':>12}{'seconds':>9}{'rows/s':>11}{'rows/cpu-s':>12}{'output MB':>11}"
              f"{'peak RSS MB':>13}")
        for fmt in args.formats.split(","):
            output = Path(folder) / f"export.{fmt}"
            wall_s, cpu_s, rss_kib, err = run_export(db, fmt, output, args.jobs)
            rows = args.events
            size_mb = output.stat().st_size / 1e6
            print(f"{fmt:<7}{rows:>12,}{wall_s:>9.1f}{rows / wall_s:>11,.0f}{rows / cpu_s:>12,.0f}"
                  f"{size_mb:>11.1f}{rss_kib / 1024:>13.1f}", flush=True)
            assert f"exported {rows} rows" in err, err
            output.unlink()


if __name__ == "__main__":
    main()
