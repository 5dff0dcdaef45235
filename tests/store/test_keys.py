"""Virtual keys in SQLite: every field round-trips, names stay unique while active, updates keep the secret, and
writes bump the policy version (an update that changes nothing writes nothing)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from conduit.core.policy import Budget, RateLimit
from conduit.core.vkey import hash_key, key_prefix, looks_virtual
from conduit.store import keys
from conduit.store.errors import StoreError
from conduit.store.keys import KeyStoreError
from conduit.store.migrations import migrate
from conduit.store.policy_version import current_policy_version

FAR_FUTURE_MS = 4_102_444_800_000  # 2100-01-01


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "conduit.db"
    migrate(path)
    return path


def raw_rows(db: Path) -> list[dict[str, object]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM virtual_keys ORDER BY created_at_ms, id")]


def test_every_field_round_trips(db: Path) -> None:
    budget, limit = Budget(12.5, "week"), RateLimit(rpm=60, tpm=90_000)
    models = ("claude-sonnet-*", "gpt-4.1*")
    key, plain = keys.create(db, "alice@example.com", "platform", budget, models, limit, FAR_FUTURE_MS)
    assert looks_virtual(plain)
    assert re.fullmatch(r"key_[0-9a-f]{16}", key.id)
    assert (key.name, key.team, key.budget, key.models, key.rate_limit) == (
        "alice@example.com", "platform", budget, models, limit)
    assert key.expires_at_ms == FAR_FUTURE_MS
    assert key.key_hash == hash_key(plain) and key.key_prefix == key_prefix(plain)
    assert key.created_at_ms > 0 and key.rotated_at_ms is None and key.revoked_at_ms is None
    assert keys.load_all(db) == [key]
    assert keys.list_keys(db) == [key]
    assert keys.find_active(db, "alice@example.com") == key
    row = raw_rows(db)[0]
    assert row["models"] == "claude-sonnet-*,gpt-4.1*"
    assert (row["budget_usd"], row["budget_period"], row["rpm"], row["tpm"]) == (12.5, "week", 60, 90_000)


def test_unset_limits_read_back_as_none(db: Path) -> None:
    key, _ = keys.create(db, "bob", rate_limit=RateLimit(None, None))
    assert key.team is None and key.budget is None and key.models == () and key.rate_limit is None
    assert keys.load_all(db) == [key]
    row = raw_rows(db)[0]
    assert all(row[column] is None for column in ("team", "budget_usd", "budget_period", "models", "rpm", "tpm"))
    only_tpm, _ = keys.create(db, "carol", rate_limit=RateLimit(tpm=500))
    assert keys.find_active(db, "carol") == only_tpm
    assert only_tpm.rate_limit == RateLimit(None, 500)


def test_plain_key_is_never_stored(db: Path) -> None:
    _, plain = keys.create(db, "alice")
    _, rotated = keys.rotate(db, "alice")
    data = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    for secret in (plain, rotated):
        assert secret.encode() not in data
        assert secret.removeprefix("vk_live_").encode() not in data


def test_duplicate_active_name_is_refused_until_revoked(db: Path) -> None:
    first, _ = keys.create(db, "alice")
    with pytest.raises(KeyStoreError, match="an active key named 'alice' already exists"):
        keys.create(db, "alice", team="other")
    assert keys.load_all(db) == [first]
    revoked = keys.revoke(db, "alice")
    assert revoked.id == first.id and revoked.revoked_at_ms is not None
    assert keys.find_active(db, "alice") is None
    second, _ = keys.create(db, "alice")
    assert second.id != first.id
    assert keys.list_keys(db) == [second]
    assert {k.id for k in keys.list_keys(db, include_revoked=True)} == {first.id, second.id}
    assert {k.id for k in keys.load_all(db)} == {first.id, second.id}
    assert next(k for k in keys.load_all(db) if k.id == first.id) == revoked


def test_rotate_keeps_identity_and_limits_and_changes_the_secret(db: Path) -> None:
    before, old_plain = keys.create(db, "alice", "platform", Budget(5, "day"), ("claude-*",), RateLimit(10, None))
    after, new_plain = keys.rotate(db, "alice")
    assert new_plain != old_plain
    assert (after.id, after.name, after.team, after.budget, after.models, after.rate_limit, after.created_at_ms) == (
        before.id, before.name, before.team, before.budget, before.models, before.rate_limit, before.created_at_ms)
    assert after.key_hash == hash_key(new_plain) != before.key_hash
    assert after.key_prefix == key_prefix(new_plain)
    assert after.rotated_at_ms is not None
    assert keys.load_all(db) == [after]
    assert hash_key(old_plain) not in {row["key_hash"] for row in raw_rows(db)}


@pytest.mark.parametrize("write", [keys.revoke, keys.rotate])
def test_revoke_or_rotate_of_an_unknown_or_revoked_name_is_refused(db: Path, write: object) -> None:
    assert callable(write)
    with pytest.raises(KeyStoreError, match="no active key named 'ghost'"):
        write(db, "ghost")
    keys.create(db, "alice")
    keys.revoke(db, "alice")
    with pytest.raises(KeyStoreError, match="no active key named 'alice'"):
        write(db, "alice")


def test_every_write_bumps_the_policy_version_and_a_failed_one_does_not(db: Path) -> None:
    assert current_policy_version(db) == 0
    keys.create(db, "alice")
    assert current_policy_version(db) == 1
    keys.rotate(db, "alice")
    assert current_policy_version(db) == 2
    keys.revoke(db, "alice")
    assert current_policy_version(db) == 3
    with pytest.raises(KeyStoreError):
        keys.revoke(db, "alice")
    keys.create(db, "bob")
    with pytest.raises(KeyStoreError):
        keys.create(db, "bob")
    assert current_policy_version(db) == 4


BAD_VALUES = [
    ({"name": "has space"}, "invalid key name"),
    ({"name": "-leading-dash"}, "invalid key name"),
    ({"name": "a" * 129}, "at most 128"),
    ({"team": "  "}, "team name must not be empty"),
    ({"budget": Budget(0, "month")}, "more than 0 USD"),
    ({"budget": Budget(float("nan"), "month")}, "more than 0 USD"),
    ({"budget": Budget(5, "year")}, "unknown budget period 'year'"),
    ({"models": ("claude-*", "")}, "invalid model pattern ''"),
    ({"models": ("a,b",)}, "no commas"),
    ({"rate_limit": RateLimit(rpm=0)}, "rpm must be a positive"),
    ({"rate_limit": RateLimit(tpm=-5)}, "tpm must be a positive"),
    ({"expires_at_ms": 1_000}, "expiry must be in the future"),
]


@pytest.mark.parametrize(("change", "says"), BAD_VALUES)
def test_bad_values_are_refused_and_nothing_is_written(db: Path, change: dict[str, object], says: str) -> None:
    args: dict[str, object] = {"name": "alice", **change}
    with pytest.raises(KeyStoreError, match=re.escape(says)):
        keys.create(db, **args)  # type: ignore[arg-type]
    assert raw_rows(db) == []
    assert current_policy_version(db) == 0


def test_key_store_error_is_a_store_error() -> None:
    assert issubclass(KeyStoreError, StoreError)


def test_a_half_set_budget_is_refused_when_loading(db: Path) -> None:
    key, _ = keys.create(db, "alice", budget=Budget(5, "day"))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE virtual_keys SET budget_period = NULL")
    with pytest.raises(KeyStoreError, match=f"the key {key.id} has a damaged budget"):
        keys.load_all(db)




EDITS = [
    (keys.KeyEdit(team="data"), {"team": "data"}),
    (keys.KeyEdit(team=None), {"team": None}),
    (keys.KeyEdit(budget_usd=50), {"budget": Budget(50, "day")}),
    (keys.KeyEdit(budget_usd=50, period="week"), {"budget": Budget(50, "week")}),
    (keys.KeyEdit(period="month"), {"budget": Budget(5, "month")}),
    (keys.KeyEdit(budget_usd=None), {"budget": None}),
    (keys.KeyEdit(models=("gpt-5*",)), {"models": ("gpt-5*",)}),
    (keys.KeyEdit(models=()), {"models": ()}),
    (keys.KeyEdit(rpm=99), {"rate_limit": RateLimit(99, 1_000)}),
    (keys.KeyEdit(tpm=None), {"rate_limit": RateLimit(10, None)}),
    (keys.KeyEdit(rpm=None, tpm=None), {"rate_limit": None}),
    (keys.KeyEdit(expires_at_ms=FAR_FUTURE_MS + 1), {"expires_at_ms": FAR_FUTURE_MS + 1}),
    (keys.KeyEdit(expires_at_ms=None), {"expires_at_ms": None}),
]


@pytest.mark.parametrize(("edit", "changed"), EDITS)
def test_update_changes_only_what_it_is_given_and_keeps_the_secret(
    db: Path, edit: keys.KeyEdit, changed: dict[str, object]
) -> None:
    before, plain = keys.create(db, "alice", "platform", Budget(5, "day"), ("claude-*",), RateLimit(10, 1_000),
                                FAR_FUTURE_MS)
    old, new = keys.update(db, "alice", edit)
    assert old == before
    assert new == replace(before, **changed)  # type: ignore[arg-type]
    assert keys.load_all(db) == [new]
    assert (new.id, new.key_hash, new.key_prefix) == (before.id, hash_key(plain), key_prefix(plain))
    assert current_policy_version(db) == 2


def test_a_new_budget_amount_keeps_the_period_and_defaults_to_month(db: Path) -> None:
    keys.create(db, "alice")
    _, first = keys.update(db, "alice", keys.KeyEdit(budget_usd=20))
    assert first.budget == Budget(20, "month")
    keys.update(db, "alice", keys.KeyEdit(period="day"))
    _, raised = keys.update(db, "alice", keys.KeyEdit(budget_usd=50))
    assert raised.budget == Budget(50, "day")


def test_a_period_without_a_budget_is_refused(db: Path) -> None:
    keys.create(db, "alice")
    with pytest.raises(KeyStoreError, match="the key 'alice' has no budget to change the period of; give the amount"):
        keys.update(db, "alice", keys.KeyEdit(period="week"))
    keys.update(db, "alice", keys.KeyEdit(budget_usd=5))
    with pytest.raises(KeyStoreError, match="cannot be set while removing the budget"):
        keys.update(db, "alice", keys.KeyEdit(budget_usd=None, period="week"))
    assert keys.list_keys(db)[0].budget == Budget(5, "month")


def test_an_update_that_changes_nothing_writes_nothing(db: Path) -> None:
    key, _ = keys.create(db, "alice", budget=Budget(5, "day"), models=("claude-*",))
    old, new = keys.update(db, "alice", keys.KeyEdit(budget_usd=5, models=("claude-*",), team=None, rpm=None))
    assert old == new == key
    assert current_policy_version(db) == 1
    keys.update(db, "alice", keys.KeyEdit(budget_usd=6))
    assert current_policy_version(db) == 2


def test_update_of_an_unknown_or_revoked_name_is_refused(db: Path) -> None:
    with pytest.raises(KeyStoreError, match="no active key named 'ghost'"):
        keys.update(db, "ghost", keys.KeyEdit(rpm=5))
    keys.create(db, "alice")
    revoked = keys.revoke(db, "alice")
    with pytest.raises(KeyStoreError, match="no active key named 'alice'"):
        keys.update(db, "alice", keys.KeyEdit(rpm=5))
    assert keys.load_all(db) == [revoked]
    assert current_policy_version(db) == 2


BAD_EDITS = [
    (keys.KeyEdit(team="  "), "team name must not be empty"),
    (keys.KeyEdit(budget_usd=0), "more than 0 USD"),
    (keys.KeyEdit(budget_usd=5, period="year"), "unknown budget period 'year'"),
    (keys.KeyEdit(models=("claude-*", "")), "invalid model pattern ''"),
    (keys.KeyEdit(rpm=-1), "rpm must be a positive"),
    (keys.KeyEdit(tpm=0), "tpm must be a positive"),
    (keys.KeyEdit(expires_at_ms=1_000), "expiry must be in the future"),
]


@pytest.mark.parametrize(("edit", "says"), BAD_EDITS)
def test_bad_updates_are_refused_and_nothing_is_written(db: Path, edit: keys.KeyEdit, says: str) -> None:
    key, _ = keys.create(db, "alice", budget=Budget(5, "day"))
    with pytest.raises(KeyStoreError, match=re.escape(says)):
        keys.update(db, "alice", edit)
    assert keys.load_all(db) == [key]
    assert current_policy_version(db) == 1


def test_an_expired_key_can_be_given_a_new_expiry(db: Path) -> None:
    keys.create(db, "alice", expires_at_ms=FAR_FUTURE_MS)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE virtual_keys SET expires_at_ms = 1000")
    _, budgeted = keys.update(db, "alice", keys.KeyEdit(budget_usd=5))
    assert budgeted.expires_at_ms == 1000
    _, revived = keys.update(db, "alice", keys.KeyEdit(expires_at_ms=FAR_FUTURE_MS))
    assert revived.usable_at(FAR_FUTURE_MS - 1)
