"""budget_status against the proxy's own budget ledger query (`conduit.store.spend.spent_since`): org, team and
key budgets, period starts in the configured timezone, burn rates and run-out moments; revoked and expired
keys are left out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conduit.core.periods import period_bounds
from conduit.core.policy import Budget, BudgetSettings, Team
from conduit.store.queries import budget_status, open_reader
from conduit.store.spend import spent_since
from tests.store.conftest import DAY_MS, HOUR_MS, NOW_MS

TEAMS = {"platform": Team("platform", Budget(40.0, "week")), "payments": Team("payments", Budget(5.0, "day")),
         "mobile": Team("mobile")}


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "Pacific/Auckland"])
def test_spend_matches_the_ledger(reader: sqlite3.Connection, tz: str) -> None:
    settings = BudgetSettings(org=Budget(1_000.0, "month"), timezone=tz)
    rows = budget_status(reader, teams=TEAMS, settings=settings, now_ms=NOW_MS)
    keys = reader.execute("SELECT id, name, budget_usd, budget_period FROM virtual_keys WHERE budget_usd IS NOT NULL "
                          "ORDER BY name").fetchall()
    assert [(r.scope, r.name) for r in rows] == [("org", "org"), ("team", "payments"), ("team", "platform")] + [
        ("key", name) for _, name, _, _ in keys]
    idents = {"org": None, "payments": "payments", "platform": "platform"} | {name: kid for kid, name, _, _ in keys}
    for row in rows:
        start_s, end_s = period_bounds(row.period, NOW_MS / 1000, tz)
        assert (row.period_start_ms, row.resets_at_ms) == (int(start_s * 1000), int(end_s * 1000))
        ledger = spent_since(reader, row.scope, idents[row.name], int(start_s * 1000))
        assert row.spent_usd == pytest.approx(ledger, abs=1e-9), row.name
        burn_since = max(row.period_start_ms, NOW_MS - DAY_MS)
        burned = spent_since(reader, row.scope, idents[row.name], burn_since)
        assert row.burn_usd_per_hour == pytest.approx(burned / max(1.0, (NOW_MS - burn_since) / HOUR_MS))
        if row.spent_usd >= row.limit_usd:
            assert row.exhausts_at_ms == NOW_MS
        elif row.exhausts_at_ms is not None:
            assert NOW_MS < row.exhausts_at_ms < row.resets_at_ms
            hours = (row.exhausts_at_ms - NOW_MS) / HOUR_MS
            assert row.spent_usd + hours * row.burn_usd_per_hour == pytest.approx(row.limit_usd, rel=1e-6)
    assert any(row.spent_usd > 0 for row in rows if row.scope == "key")


def test_revoked_and_expired_keys_are_left_out(seeded_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "usage.db"
    copy.write_bytes(seeded_db.read_bytes())
    conn = sqlite3.connect(copy)
    names = [name for (name,) in conn.execute("SELECT name FROM virtual_keys WHERE budget_usd IS NOT NULL "
                                              "ORDER BY name LIMIT 2")]
    conn.execute("UPDATE virtual_keys SET revoked_at_ms = ? WHERE name = ?", (NOW_MS - 1, names[0]))
    conn.execute("UPDATE virtual_keys SET expires_at_ms = ? WHERE name = ?", (NOW_MS, names[1]))
    conn.commit()
    conn.close()
    reader = open_reader(copy)
    rows = budget_status(reader, teams={}, settings=BudgetSettings(), now_ms=NOW_MS)
    reader.close()
    assert rows and all(row.scope == "key" for row in rows)
    assert not {row.name for row in rows} & set(names)
