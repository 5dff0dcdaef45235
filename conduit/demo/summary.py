"""The headless demo's closing summary: a table per engineer (requests, tokens, cost, and outcomes by status)
and the totals, built from the store's queries over the demo's database. Metadata only.

Imports rich and `conduit.store.queries` (no SQL of its own).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from conduit.core.pricing import PriceBook
from conduit.store.queries import Window, events_after, open_reader, overview, spend_by

SHOWN_STATUSES = ("success", "budget_exceeded", "model_blocked", "governance_blocked")
_HEADERS = {"success": "ok", "budget_exceeded": "budget", "model_blocked": "model", "governance_blocked": "governance"}
_PAGE = 1000
_CAPTION = ("ok = success, budget = budget_exceeded (402), model = model_blocked (403), "
            "governance = governance_blocked (451)")


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many events each engineer had of each status, and how many streamed, by client family."""

    by_engineer: dict[str, Counter[str]]
    streamed: Counter[bool]
    clients: Counter[str]


def status_counts(conn: sqlite3.Connection) -> StatusCounts:
    """Count every event by engineer and status (engineer as `spend_by` names it), streaming and client."""
    by_engineer: dict[str, Counter[str]] = {}
    streamed: Counter[bool] = Counter()
    clients: Counter[str] = Counter()
    after = 0
    while rows := events_after(conn, after, limit=_PAGE):
        for row in rows:
            engineer = row.key_name or row.key_prefix or "(unknown)"
            by_engineer.setdefault(engineer, Counter())[str(row.status)] += 1
            streamed[bool(row.streamed)] += 1
            clients[row.client or "other"] += 1
        after = rows[-1].id
    return StatusCounts(by_engineer, streamed, clients)


def summary_table(conn: sqlite3.Connection, counts: StatusCounts) -> Table:
    """The per-engineer table, with a total row."""
    rows = spend_by(conn, Window(), "engineer")
    table = Table(box=box.SIMPLE_HEAD, title="conduit demo: usage by engineer", title_justify="left",
                  caption=_CAPTION, caption_justify="left")
    table.add_column("engineer")
    for name in ("requests", "input tok", "output tok", "cache tok", "cost", *_HEADERS.values(), "other"):
        table.add_column(name, justify="right", no_wrap=True)
    total: Counter[str] = Counter()
    for row in rows:
        statuses = counts.by_engineer.get(row.label, Counter())
        total.update(statuses)
        table.add_row(row.label, *_figures(row.requests, row.input_tokens, row.output_tokens,
                                           row.cache_read_tokens + row.cache_write_tokens, row.cost_usd, statuses))
    table.add_section()
    table.add_row("total", *_figures(
        sum(row.requests for row in rows), sum(row.input_tokens for row in rows),
        sum(row.output_tokens for row in rows),
        sum(row.cache_read_tokens + row.cache_write_tokens for row in rows), sum(row.cost_usd for row in rows), total,
    ))
    return table


def _figures(requests: int, input_tokens: int, output_tokens: int, cache_tokens: int, cost_usd: float,
             statuses: Counter[str]) -> list[str]:
    shown = [statuses[name] for name in SHOWN_STATUSES]
    other = sum(statuses.values()) - sum(shown)
    return [f"{requests:,}", f"{input_tokens:,}", f"{output_tokens:,}", f"{cache_tokens:,}", f"${cost_usd:.4f}",
            *(f"{value:,}" for value in shown), f"{other:,}"]


def footer_lines(conn: sqlite3.Connection, counts: StatusCounts, prices: PriceBook, now_ms: int) -> list[str]:
    """Lines under the table: denials by status, cache savings, streaming share and client families."""
    view = overview(conn, Window(), now_ms, prices=prices)
    denied = ", ".join(f"{name} {count}" for name, count in view.blocked.items())
    clients = ", ".join(f"{name} {count}" for name, count in sorted(counts.clients.items()))
    return [
        f"stopped by Conduit: {denied}",
        f"streamed {counts.streamed[True]}, not streamed {counts.streamed[False]}; clients: {clients}",
        f"cache reads saved ${view.cache_savings_usd:.4f}",
    ]


def print_summary(database: Path, prices: PriceBook, now_ms: int, console: Console) -> None:
    """Print the summary of the demo database at `database`."""
    conn = open_reader(database)
    try:
        counts = status_counts(conn)
        console.print(summary_table(conn, counts))
        for line in footer_lines(conn, counts, prices, now_ms):
            console.print(line, highlight=False, soft_wrap=True)
    finally:
        conn.close()
