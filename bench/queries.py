"""How fast the store queries behind the dashboard and `conduit report` answer on a big database: the median of
each query over several runs, and the time to open the dashboard (a fresh connection, every screen's first query).

    python bench/queries.py [PATH] [--events 1000000] [--runs 7]
    python bench/queries.py --writer 50000

Without PATH (or when PATH does not exist) a database is seeded first with bench/seed.py. --writer N instead
measures the EventWriter's throughput (events/s) with and without the rollups, interleaved, on N seeded events.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import Engineer, _engineers, _Generator, seed_database
from conduit.core.event import UsageEvent
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.core.pricing import PriceBook
from conduit.core.status import Status
from conduit.store import queries as q
from conduit.store import writer as writer_module
from conduit.store.migrations import migrate

DAY_MS = 86_400_000


def _suite(path: Path) -> list[tuple[str, Callable[[object], object]]]:
    conn = q.open_reader(path)
    now_ms = int(conn.execute("SELECT MAX(started_at_ms) FROM usage_events").fetchone()[0]) + 60_000
    conn.close()
    prices = PriceBook.default()
    teams = {name: Team(name, Budget(2_000.0, "month")) for name in ("platform", "payments", "mobile", "data")}
    settings = BudgetSettings(org=Budget(40_000.0, "month"), timezone="Europe/Berlin")
    last30 = q.Window(now_ms - 30 * DAY_MS, None)
    last24h = q.Window(now_ms - DAY_MS, None)
    berlin = ZoneInfo("Europe/Berlin")
    suite: list[tuple[str, Callable[[object], object]]] = [
        ("overview 30d", lambda c: q.overview(c, last30, now_ms, prices=prices)),
        ("overview 24h", lambda c: q.overview(c, last24h, now_ms, prices=prices)),
        ("overview all time, Berlin", lambda c: q.overview(c, q.Window(), now_ms, prices=prices, tz=berlin)),
        ("recent_events", lambda c: q.recent_events(c)),
        ("recent_events text", lambda c: q.recent_events(c, text="payments")),
        ("recent_events status", lambda c: q.recent_events(c, status="proxy_error")),
        ("events_after", lambda c: q.events_after(c, 0, limit=200)),
        ("budget_status", lambda c: q.budget_status(c, teams=teams, settings=settings, now_ms=now_ms)),
        ("context_rot 30d", lambda c: q.context_rot(c, last30)),
        ("governance_summary 30d", lambda c: q.governance_summary(c, last30)),
        ("sessions 30d", lambda c: q.sessions(c, last30)),
    ]
    for by in q.SPEND_DIMENSIONS:
        suite.append((f"spend_by {by} 30d", lambda c, by=by: q.spend_by(c, last30, by)))  # type: ignore[misc]
    suite.append(("spend_by day 30d, Berlin", lambda c: q.spend_by(c, last30, "day", tz=berlin)))
    return suite


def _events(count: int) -> list[UsageEvent]:
    """Seeded rows as UsageEvents, oldest first."""
    rng = random.Random(5)
    people: list[Engineer] = _engineers(rng)
    generator = _Generator(rng, 1_795_000_000_000, 30)
    rows: list[tuple[object, ...]] = []
    while len(rows) < count:
        generator.session(people[rng.randrange(len(people))], rows, count - len(rows))
    rows.sort(key=lambda row: row[0])  # type: ignore[arg-type, return-value]
    names = writer_module.EVENT_COLUMNS
    events = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        values["status"] = Status(values["status"])
        for flag in ("streamed", "tokens_estimated", "priced"):
            values[flag] = bool(values[flag])
        events.append(UsageEvent(**values))  # type: ignore[arg-type]
    return events


async def _write_all(path: Path, events: list[UsageEvent]) -> float:
    """Seconds the EventWriter takes to commit `events` submitted at once."""
    writer = writer_module.EventWriter(path, max_queue=len(events) + 1)
    await writer.start()
    began = time.perf_counter()
    for event in events:
        writer.submit(event)
    await writer.flush()
    elapsed = time.perf_counter() - began
    await writer.close()
    return elapsed


def writer_throughput(count: int, rounds: int = 3) -> None:
    """Print the writer's events/s with the rollups and with them switched off, interleaved."""
    events = _events(count)
    folding = writer_module.FOLD_STATEMENTS
    results: dict[str, list[float]] = {"with rollups": [], "without rollups": []}
    for _ in range(rounds):
        for label in results:
            writer_module.FOLD_STATEMENTS = folding if label == "with rollups" else ()
            folder = Path(tempfile.mkdtemp(prefix="conduit-writer-"))
            migrate(folder / "usage.db")
            results[label].append(count / asyncio.run(_write_all(folder / "usage.db", events)))
    writer_module.FOLD_STATEMENTS = folding
    for label, rates in results.items():
        print(f"writer {label:<16} median {statistics.median(rates):9,.0f} events/s  ({count:,} events, batches of 500)")


def main() -> None:
    """Command line: time every query on PATH."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, nargs="?")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--writer", type=int, default=0, help="measure the writer on this many events instead")
    args = parser.parse_args()
    if args.writer:
        writer_throughput(args.writer)
        return
    path = args.path or Path(tempfile.mkdtemp(prefix="conduit-bench-")) / "usage.db"
    if not path.exists():
        started = time.perf_counter()
        seed_database(path, args.events)
        print(f"seeded {args.events:,} events in {time.perf_counter() - started:.1f} s")
    suite = _suite(path)
    started = time.perf_counter()
    conn = q.open_reader(path)
    for _, run in suite[:1] + suite[3:4] + suite[7:11] + suite[11:12]:
        run(conn)
    conn.close()
    print(f"open (fresh connection, every screen's first query): {(time.perf_counter() - started) * 1000:.0f} ms")
    conn = q.open_reader(path)
    for name, run in suite:
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            run(conn)
            times.append((time.perf_counter() - began) * 1000)
        print(f"{name:<30} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")
    conn.close()


if __name__ == "__main__":
    main()
