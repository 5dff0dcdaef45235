"""How fast the dashboard opens and refreshes on a big database: seed N events (bench/seed.py), then run the
dashboard headless and time (1) opening — app mounted and the Overview drawn with data — and (2) every tab's
refresh: the query on the reader thread plus drawing the result, median and worst of several.

    python bench/dashboard.py [--events 1000000] [--db PATH (reused if it exists)] [--since 7d] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import TEAMS, seed_database  # noqa: E402
from conduit.core.policy import Budget, BudgetSettings, Team  # noqa: E402

BUDGETS = BudgetSettings(org=Budget(50_000.0, "month"))
TEAM_BUDGETS = {name: Team(name, Budget(400.0, "week")) for name in TEAMS}


def main() -> None:
    """Parse the arguments, seed if needed, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="database to use (seeded when missing)")
    parser.add_argument("--since", default="7d", help="the dashboard's window, as `conduit dashboard --since`")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "conduit.db"
        if not db.exists():
            started = time.perf_counter()
            seed_database(db, args.events)
            print(f"seeded {args.events:,} events in {time.perf_counter() - started:.1f} s")
        import_s = _import_time()
        open_s, timings = asyncio.run(_measure(db, args.since, args.runs))
    _report(db, args, import_s, open_s, timings)


def _import_time() -> float:
    started = time.perf_counter()
    import conduit.dashboard.app  # noqa: F401

    return time.perf_counter() - started


async def _measure(db: Path, since: str | None, runs: int) -> tuple[float, dict[str, tuple[float, list[float]]]]:
    """Open time, and per tab its first load and `runs` refreshes (seconds)."""
    from conduit.dashboard.app import VIEWS, DashboardApp
    from conduit.dashboard.settings import DashboardSettings

    settings = DashboardSettings(db, since=since, teams=TEAM_BUDGETS, budget=BUDGETS, refresh_s=None)
    started = time.perf_counter()
    app = DashboardApp(settings)
    timings: dict[str, tuple[float, list[float]]] = {}
    async with app.run_test(size=(120, 36)):
        await app.view("overview").wait_for_update(0)
        open_s = time.perf_counter() - started
        for tab, _ in VIEWS:
            view = app.view(tab)
            before = view.updates
            first = time.perf_counter()
            if app.active_view is view:
                view.refresh_data()
            app.action_show_tab(tab)
            await view.wait_for_update(before)
            first_s = time.perf_counter() - first
            refreshes = []
            for _ in range(runs):
                before = view.updates
                tick = time.perf_counter()
                view.refresh_data()
                await view.wait_for_update(before)
                refreshes.append(time.perf_counter() - tick)
            timings[tab] = (first_s, refreshes)
    return open_s, timings


def _report(db: Path, args: argparse.Namespace, import_s: float, open_s: float,
            timings: dict[str, tuple[float, list[float]]]) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        events = conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]
    print(f"database: {events:,} events, window --since {args.since}")
    print(f"import the dashboard: {import_s * 1000:.0f} ms (once per process)")
    print(f"open (app mounted, Overview drawn with data): {open_s * 1000:.0f} ms")
    print(f"load average (1 min) on this machine: {os.getloadavg()[0]:.1f} over {os.cpu_count()} cores")
    print(f"{'tab':<12}{'switch to':>12}{'refresh p50':>14}{'refresh max':>14}")
    for tab, (first_s, refreshes) in timings.items():
        print(f"{tab:<12}{first_s * 1000:>10.0f} ms{statistics.median(refreshes) * 1000:>11.1f} ms"
              f"{max(refreshes) * 1000:>11.1f} ms")


if __name__ == "__main__":
    main()
