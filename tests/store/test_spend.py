"""Spend queries over a real usage database, and budgets rebuilt from them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conduit.checks.base import Deny, Subject
from conduit.checks.budget import BudgetLedger
from conduit.core.event import UsageEvent
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.core.price import Price
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey
from conduit.store.connection import connect
from conduit.store.errors import StoreError
from conduit.store.migrations import migrate
from conduit.store.spend import spent_query, spent_since
from conduit.store.writer import INSERT_EVENT_SQL, event_row

NOV_1 = int(datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp() * 1000)
NOV_15 = int(datetime(2026, 11, 15, tzinfo=timezone.utc).timestamp() * 1000)
HOUR = 3_600_000
EVENTS = [
    # (started_at_ms, key id, team, cost)
    (NOV_1 - 1, "k1", "platform", 100.0),  # last month: never counted
    (NOV_1, "k1", "platform", 1.0),
    (NOV_15 - 1, "k1", "platform", 2.0),  # yesterday
    (NOV_15, "k1", "platform", 4.0),
    (NOV_15 + HOUR, "k2", "platform", 8.0),
    (NOV_15 + 2 * HOUR, "k3", "data", 16.0),
    (NOV_15 + 3 * HOUR, None, None, 32.0),  # passthrough traffic
]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "usage.db"
    migrate(path)
    conn = connect(path)
    rows = [event_row(UsageEvent(at, f"r{n}", "anthropic", "anthropic_messages", Status.SUCCESS, 200,
                                 key_id=key, team=team, cost_usd=cost))
            for n, (at, key, team, cost) in enumerate(EVENTS)]
    conn.executemany(INSERT_EVENT_SQL, rows)
    yield conn
    conn.close()


@pytest.mark.parametrize(("kind", "ident", "since_ms", "usd"), [
    ("org", None, NOV_1, 63.0),
    ("org", None, NOV_15, 60.0),
    ("org", None, 0, 163.0),
    ("team", "platform", NOV_1, 15.0),
    ("team", "platform", NOV_15, 12.0),
    ("team", "data", NOV_15, 16.0),
    ("team", "nobody", 0, 0.0),
    ("key", "k1", NOV_1, 7.0),
    ("key", "k1", NOV_15, 4.0),
    ("key", "k1", NOV_15 + 1, 0.0),
    ("key", "k3", NOV_1, 16.0),
])
def test_spent_since(conn: sqlite3.Connection, kind: str, ident: str | None, since_ms: int, usd: float) -> None:
    assert spent_since(conn, kind, ident, since_ms) == usd


@pytest.mark.parametrize(("kind", "index"), [
    ("org", "usage_events_by_time"), ("team", "usage_events_by_team"), ("key", "usage_events_by_key"),
])
def test_each_query_is_served_by_an_index(conn: sqlite3.Connection, kind: str, index: str) -> None:
    params = (0,) if kind == "org" else ("x", 0)
    plan = " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {spent_query(kind)}", params))
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan


def test_bad_arguments_are_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="'user'.*org, team, key"):
        spent_since(conn, "user", "x", 0)
    with pytest.raises(ValueError, match="team's name"):
        spent_since(conn, "team", None, 0)


def test_an_unreadable_database_raises_store_error(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "empty.db")
    with pytest.raises(StoreError, match="rebuild budgets"):
        spent_since(conn, "org", None, 0)
    conn.close()


def test_budgets_rebuilt_from_the_database_count_only_the_current_period(conn: sqlite3.Connection) -> None:
    now_s = NOV_15 / 1000 + 5 * 3600
    settings = BudgetSettings(org=Budget(100, "month"))
    teams = {"platform": Team("platform", budget=Budget(20, "week")), "data": Team("data", budget=Budget(5, "day"))}
    ledger = BudgetLedger(settings, teams, now_s=now_s)
    k1 = VirtualKey("k1", "eng1", "platform", "h", "vk_live_Ab…", budget=Budget(10, "day"))
    ledger.track_keys([k1], now_s=now_s)

    def load(kind: str, ident: str | None, since_s: float) -> float:
        return spent_since(conn, kind, ident, int(since_s * 1000))

    ledger.rebuild(load, now_s=now_s)
    spent = {state.name: state.spent_usd for state in ledger.snapshot()}
    # 2026-11-15 is a Sunday: the week began on Monday 11-09, so yesterday's $2 counts for the team, not the key
    assert spent == {"org": 63.0, "team 'platform'": 14.0, "team 'data'": 16.0, "key 'eng1'": 4.0}
    price = Price(input=3.0, output=15.0)
    k3 = VirtualKey("k3", "eng3", "data", "h", "vk_live_Cd…")
    verdict = ledger.reserve(Subject(k3, None, "m", True, 10, 10, price, now_s))
    assert isinstance(verdict, Deny) and "team 'data' has a $5.00 per day budget; $16.00 spent today" in verdict.message
    assert not isinstance(ledger.reserve(Subject(k1, None, "m", True, 10, 10, price, now_s)), Deny)
