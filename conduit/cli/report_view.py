"""How `conduit report` shows a report on screen: the same cells as a Rich table on a terminal or aligned plain
text when piped, under a one-line title naming the window.

Imports the standard library and `conduit.store.queries` (types only) at module level; rich inside `show`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from conduit.store.queries import (
        BudgetRow,
        GovernanceSummary,
        RotBucket,
        SpendRow,
        Window,
    )

NONE = "-"


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of text cells; `numeric` columns are right-aligned."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    numeric: frozenset[int]


def money(value: float) -> str:
    """USD to the cent, e.g. `$1,234.50`."""
    return f"${value:,.2f}"


def count(value: int) -> str:
    """An integer with thousands separators."""
    return f"{value:,}"


def percent(share: float) -> str:
    """A share as a percentage with one decimal."""
    return f"{share * 100:.1f}%"


def moment(at_ms: int | None, tz: str) -> str:
    """A moment as local `YYYY-MM-DD HH:MM` in `tz` (`-` for none)."""
    if at_ms is None:
        return NONE
    return f"{datetime.fromtimestamp(at_ms / 1000, ZoneInfo(tz)):%Y-%m-%d %H:%M}"


def window_text(window: Window, tz: str) -> str:
    """`2026-10-24 18:00 → now (UTC)` style text for a window."""
    since = "the beginning" if window.since_ms is None else moment(window.since_ms, tz)
    until = "now" if window.until_ms is None else moment(window.until_ms, tz)
    return f"{since} → {until} ({tz})"


def spend_table(by: str, window: Window, tz: str, rows: Sequence[SpendRow], total: SpendRow) -> Table:
    """The spend report: one row per label and a total."""
    headers = (by.upper(), "REQUESTS", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "ERRORS", "COST")
    cells = [*(_spend_cells(row.label, row) for row in rows), _spend_cells("total", total)]
    return Table(f"Spend by {by}, {window_text(window, tz)}", headers, cells, frozenset(range(1, 8)))


def _spend_cells(label: str, row: SpendRow) -> tuple[str, ...]:
    return (label, count(row.requests), count(row.input_tokens), count(row.output_tokens),
            count(row.cache_read_tokens), count(row.cache_write_tokens), count(row.errors), money(row.cost_usd))


def budgets_table(now_ms: int, tz: str, rows: Sequence[BudgetRow]) -> Table:
    """The budgets report: each budget's spend, limit, burn rate and when it runs out."""
    headers = ("SCOPE", "NAME", "PERIOD", "SPENT", "LIMIT", "USED", "BURN/H", "RUNS OUT", "RESETS")
    cells = [
        (row.scope, row.name, row.period, money(row.spent_usd), money(row.limit_usd),
         percent(row.spent_usd / row.limit_usd) if row.limit_usd > 0 else NONE, money(row.burn_usd_per_hour),
         "not this period" if row.exhausts_at_ms is None else moment(row.exhausts_at_ms, tz),
         moment(row.resets_at_ms, tz))
        for row in rows
    ]
    return Table(f"Budgets at {moment(now_ms, tz)} ({tz})", headers, cells, frozenset({3, 4, 5, 6}))


def context_rot_table(window: Window, tz: str, buckets: Sequence[RotBucket]) -> Table:
    """The context-rot report: per context-size bucket, spend, errors and latency."""
    headers = ("CONTEXT", "REQUESTS", "COST", "SHARE", "AVG COST", "ERRORS", "P50 MS", "P95 MS", "TTFB P50",
               "TTFB P95", "")
    cells = [
        (b.label, count(b.requests), money(b.cost_usd), percent(b.spend_share), f"${b.avg_cost_usd:,.4f}",
         percent(b.error_rate), _ms(b.latency_p50_ms), _ms(b.latency_p95_ms), _ms(b.ttfb_p50_ms),
         _ms(b.ttfb_p95_ms), "errors outpace cost" if b.error_outpaces_cost else "")
        for b in buckets
    ]
    return Table(f"Context rot, {window_text(window, tz)}", headers, cells, frozenset(range(1, 10)))


def governance_tables(window: Window, tz: str, summary: GovernanceSummary) -> list[Table]:
    """The governance report: findings by category, then by engineer."""
    categories = Table(
        f"Governance findings, {window_text(window, tz)}", ("CATEGORY", "ACTION", "EVENTS", "FIRST", "REPEATS"),
        [(r.category, r.action, count(r.events), count(r.first), count(r.repeats)) for r in summary.rows],
        frozenset({2, 3, 4}),
    )
    engineers = Table(
        "Flagged events by engineer", ("ENGINEER", "EVENTS", "COST"),
        [(r.label, count(r.requests), money(r.cost_usd)) for r in summary.by_engineer], frozenset({1, 2}),
    )
    return [categories, engineers]


def plain_lines(table: Table) -> list[str]:
    """The table as a title line and aligned plain-text lines."""
    grid = (table.headers, *table.rows)
    widths = [max(len(cells[i]) for cells in grid) for i in range(len(table.headers))]
    lines = [table.title]
    for cells in grid:
        padded = (cell.rjust(w) if i in table.numeric else cell.ljust(w)
                  for i, (cell, w) in enumerate(zip(cells, widths, strict=True)))
        lines.append("  ".join(padded).rstrip())
    if not table.rows:
        lines.append("(nothing in this window)")
    return lines


def show(tables: Sequence[Table], terminal: bool) -> None:
    """Print the tables: Rich on a terminal, plain text otherwise."""
    if not terminal:
        import typer

        for index, table in enumerate(tables):
            if index:
                typer.echo("")
            for line in plain_lines(table):
                typer.echo(line)
        return
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(highlight=False)
    for table in tables:
        rich = RichTable(title=table.title, title_justify="left", header_style="bold", box=None,
                         padding=(0, 2, 0, 0), pad_edge=False)
        for index, header in enumerate(table.headers):
            rich.add_column(header, justify="right" if index in table.numeric else "left", no_wrap=True)
        for cells in table.rows:
            rich.add_row(*(Text(cell) for cell in cells))
        console.print(rich)
        if not table.rows:
            console.print("(nothing in this window)")


def _ms(value: float | None) -> str:
    return NONE if value is None else f"{value:,.0f}"
