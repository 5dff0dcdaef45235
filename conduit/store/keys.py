"""Virtual keys in the `virtual_keys` table: create, list, update, revoke, rotate, and load them for the proxy.

Only a key's SHA-256 and display prefix are stored; the plain key is returned once by `create`/`rotate`.
Every change bumps the policy version in the same transaction. Imports `conduit.core` and `conduit.store` only.
"""

from __future__ import annotations

import enum
import math
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from conduit.core.policy import PERIODS, Budget, RateLimit
from conduit.core.vkey import VirtualKey, hash_key, key_prefix, new_key
from conduit.store import policy_version
from conduit.store.connection import connect
from conduit.store.errors import StoreError, sqlite_error

if TYPE_CHECKING:
    pass

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]*")
NAME_MAX_CHARS = 128
ID_PREFIX = "key_"

_T = TypeVar("_T")
_COLUMNS = (
    "id, name, team, key_hash, key_prefix, budget_usd, budget_period, models, rpm, tpm, "
    "expires_at_ms, created_at_ms, rotated_at_ms, revoked_at_ms"
)
_SELECT = f"SELECT {_COLUMNS} FROM virtual_keys"
_ORDER = " ORDER BY name, created_at_ms, id"
_EDITABLE = ("team", "budget_usd", "budget_period", "models", "rpm", "tpm", "expires_at_ms")


class KeyStoreError(StoreError):
    """A virtual-key change that cannot be made (bad value, duplicate or unknown name); says how to fix it."""


class Keep(enum.Enum):
    """The value of a `KeyEdit` field that leaves the key's setting as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


@dataclass(frozen=True, slots=True)
class KeyEdit:
    """The settings `update` changes: a field left as KEEP stays, None removes it (for `models`, () allows any)."""

    team: str | None | Keep = KEEP
    budget_usd: float | None | Keep = KEEP
    period: str | Keep = KEEP
    models: tuple[str, ...] | Keep = KEEP
    rpm: int | None | Keep = KEEP
    tpm: int | None | Keep = KEEP
    expires_at_ms: int | None | Keep = KEEP

    def applied_to(self, key: VirtualKey) -> VirtualKey:
        """`key` with this edit's settings; its id, secret and dates stay."""
        limit = key.rate_limit or RateLimit()
        return replace(
            key,
            team=_kept(self.team, key.team),
            budget=self._budget(key),
            models=_kept(self.models, key.models),
            rate_limit=_normal_rate_limit(RateLimit(_kept(self.rpm, limit.rpm), _kept(self.tpm, limit.tpm))),
            expires_at_ms=_kept(self.expires_at_ms, key.expires_at_ms),
        )

    def _budget(self, key: VirtualKey) -> Budget | None:
        """The budget after this edit: a new amount keeps the key's period unless one is given (first: month)."""
        old, usd, period = key.budget, self.budget_usd, self.period
        if usd is KEEP:
            if period is KEEP:
                return old
            if old is None:
                raise KeyStoreError(
                    f"the key {key.name!r} has no budget to change the period of; "
                    f"give the amount too (for example --budget 50 --period {period})"
                )
            return Budget(old.usd, period)
        if usd is None:
            if period is not KEEP:
                raise KeyStoreError("a budget period cannot be set while removing the budget")
            return None
        return Budget(usd, _kept(period, old.period if old else "month"))


def create(
    db: Path,
    name: str,
    team: str | None = None,
    budget: Budget | None = None,
    models: Sequence[str] = (),
    rate_limit: RateLimit | None = None,
    expires_at_ms: int | None = None,
) -> tuple[VirtualKey, str]:
    """Store a new key for `name` and return its record and the plain key (the only time it exists)."""
    check_values(name, team, budget, models, rate_limit)
    plain = new_key()

    def change(conn: sqlite3.Connection, now_ms: int) -> VirtualKey:
        _check_expiry(expires_at_ms, now_ms)
        if _active_row(conn, name) is not None:
            raise KeyStoreError(
                f"an active key named {name!r} already exists; "
                f"`conduit keys rotate {name}` replaces it, `conduit keys revoke {name}` retires it"
            )
        key = VirtualKey(
            id=ID_PREFIX + secrets.token_hex(8),
            name=name,
            team=team,
            key_hash=hash_key(plain),
            key_prefix=key_prefix(plain),
            budget=budget,
            models=tuple(models),
            rate_limit=_normal_rate_limit(rate_limit),
            expires_at_ms=expires_at_ms,
            created_at_ms=now_ms,
        )
        placeholders = ", ".join("?" * len(_to_row(key)))
        conn.execute(f"INSERT INTO virtual_keys ({_COLUMNS}) VALUES ({placeholders})", _to_row(key))
        return key

    return _write(db, f"creating the key {name!r}", change), plain


def update(db: Path, name: str, edit: KeyEdit) -> tuple[VirtualKey, VirtualKey]:
    """Apply `edit` to the active key named `name` (same id and secret) and return the key before and after.

    When the key already has those settings nothing is written, so the policy version stays.
    """

    def change(conn: sqlite3.Connection, now_ms: int) -> tuple[VirtualKey, VirtualKey]:
        old = _require_active(conn, name)
        new = edit.applied_to(old)
        check_values(new.name, new.team, new.budget, new.models, new.rate_limit)
        if new.expires_at_ms != old.expires_at_ms:
            _check_expiry(new.expires_at_ms, now_ms)
        if new != old:
            values = dict(zip(_COLUMNS.split(", "), _to_row(new), strict=True))
            assignments = ", ".join(f"{column} = ?" for column in _EDITABLE)
            conn.execute(f"UPDATE virtual_keys SET {assignments} WHERE id = ?",
                         (*(values[column] for column in _EDITABLE), new.id))
        return old, new

    return _write(db, f"updating the key {name!r}", change)


def revoke(db: Path, name: str) -> VirtualKey:
    """Revoke the active key named `name` for good and return its updated record."""

    def change(conn: sqlite3.Connection, now_ms: int) -> VirtualKey:
        key = _require_active(conn, name)
        conn.execute("UPDATE virtual_keys SET revoked_at_ms = ? WHERE id = ?", (now_ms, key.id))
        return replace(key, revoked_at_ms=now_ms)

    return _write(db, f"revoking the key {name!r}", change)


def rotate(db: Path, name: str) -> tuple[VirtualKey, str]:
    """Give the active key named `name` a new secret (same id and limits) and return it; the old one stops working."""
    plain = new_key()

    def change(conn: sqlite3.Connection, now_ms: int) -> VirtualKey:
        key = _require_active(conn, name)
        conn.execute(
            "UPDATE virtual_keys SET key_hash = ?, key_prefix = ?, rotated_at_ms = ? WHERE id = ?",
            (hash_key(plain), key_prefix(plain), now_ms, key.id),
        )
        return replace(key, key_hash=hash_key(plain), key_prefix=key_prefix(plain), rotated_at_ms=now_ms)

    return _write(db, f"rotating the key {name!r}", change), plain


def list_keys(db: Path, include_revoked: bool = False) -> list[VirtualKey]:
    """The keys, by name: unrevoked ones (expired included), or every row with `include_revoked`."""
    where = "" if include_revoked else " WHERE revoked_at_ms IS NULL"
    return _read(db, "listing the virtual keys", lambda conn: _rows(conn, _SELECT + where + _ORDER))


def find_active(db: Path, name: str) -> VirtualKey | None:
    """The unrevoked key named `name` (it may have expired), or None."""
    return _read(db, f"looking up the key {name!r}", lambda conn: _active_row(conn, name))


def load_all(db: Path) -> list[VirtualKey]:
    """Every key, revoked ones included, as the proxy needs them."""
    return _read(db, "loading the virtual keys", lambda conn: _rows(conn, _SELECT + _ORDER))


def check_values(
    name: str, team: str | None, budget: Budget | None, models: Sequence[str], rate_limit: RateLimit | None
) -> None:
    """Raise KeyStoreError naming the first value a key cannot have."""
    if len(name) > NAME_MAX_CHARS or not NAME_PATTERN.fullmatch(name):
        raise KeyStoreError(
            f"invalid key name {name!r}: use letters, digits, '_', '.', '@' and '-', starting with a letter "
            f"or digit, at most {NAME_MAX_CHARS} characters (for example alice or alice@example.com)"
        )
    if team is not None and not team.strip():
        raise KeyStoreError("the team name must not be empty")
    if budget is not None:
        if not math.isfinite(budget.usd) or budget.usd <= 0:
            raise KeyStoreError(f"the budget must be more than 0 USD, not {budget.usd}")
        if budget.period not in PERIODS:
            raise KeyStoreError(f"unknown budget period {budget.period!r}; use {', '.join(PERIODS)}")
    for pattern in models:
        if not pattern or pattern != pattern.strip() or "," in pattern:
            raise KeyStoreError(
                f"invalid model pattern {pattern!r}: a pattern is non-empty, with no commas or surrounding spaces"
            )
    if rate_limit is not None:
        for label, value in (("rpm", rate_limit.rpm), ("tpm", rate_limit.tpm)):
            if value is not None and value <= 0:
                raise KeyStoreError(f"{label} must be a positive whole number, not {value}")


def _write(db: Path, doing: str, change: Callable[[sqlite3.Connection, int], _T]) -> _T:
    """Run `change` in one write transaction with a policy-version bump if it wrote a row; roll back on any error."""
    conn = connect(db)
    try:
        conn.execute("BEGIN IMMEDIATE")
        written_before = conn.total_changes
        result = change(conn, time.time_ns() // 1_000_000)
        if conn.total_changes > written_before:
            policy_version.bump(conn)
        conn.execute("COMMIT")
        return result
    except sqlite3.Error as exc:
        raise sqlite_error(db, exc, doing) from exc
    finally:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        finally:
            conn.close()


def _read(db: Path, doing: str, query: Callable[[sqlite3.Connection], _T]) -> _T:
    conn = connect(db)
    try:
        return query(conn)
    except sqlite3.Error as exc:
        raise sqlite_error(db, exc, doing) from exc
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> list[VirtualKey]:
    return [_from_row(row) for row in conn.execute(sql, params).fetchall()]


def _active_row(conn: sqlite3.Connection, name: str) -> VirtualKey | None:
    found = _rows(conn, _SELECT + " WHERE name = ? AND revoked_at_ms IS NULL", (name,))
    return found[0] if found else None


def _require_active(conn: sqlite3.Connection, name: str) -> VirtualKey:
    key = _active_row(conn, name)
    if key is None:
        raise KeyStoreError(f"no active key named {name!r}; `conduit keys list` shows the keys")
    return key


def _check_expiry(expires_at_ms: int | None, now_ms: int) -> None:
    if expires_at_ms is not None and expires_at_ms <= now_ms:
        raise KeyStoreError("the expiry must be in the future")


def _kept(value: _T | Keep, current: _T) -> _T:
    """`current` when `value` is KEEP, else `value`."""
    return current if value is KEEP else value


def _normal_rate_limit(rate_limit: RateLimit | None) -> RateLimit | None:
    """None when no limit of either kind is set, so a key reads back exactly as it was stored."""
    if rate_limit is None or (rate_limit.rpm is None and rate_limit.tpm is None):
        return None
    return rate_limit


def _to_row(key: VirtualKey) -> tuple[object, ...]:
    """The column values of `key`, in `_COLUMNS` order."""
    budget, limit = key.budget, key.rate_limit
    return (
        key.id,
        key.name,
        key.team,
        key.key_hash,
        key.key_prefix,
        budget.usd if budget else None,
        budget.period if budget else None,
        ",".join(key.models) or None,
        limit.rpm if limit else None,
        limit.tpm if limit else None,
        key.expires_at_ms,
        key.created_at_ms,
        key.rotated_at_ms,
        key.revoked_at_ms,
    )


def _from_row(row: Sequence[Any]) -> VirtualKey:
    """A `VirtualKey` from a row in `_COLUMNS` order; a half-set budget is refused (fail closed)."""
    (key_id, name, team, key_hash, prefix, usd, period, models, rpm, tpm, expires, created, rotated, revoked) = row
    if (usd is None) != (period is None):
        raise KeyStoreError(f"the key {key_id} has a damaged budget (amount or period missing); recreate it")
    return VirtualKey(
        id=str(key_id),
        name=str(name),
        team=team,
        key_hash=str(key_hash),
        key_prefix=str(prefix),
        budget=None if usd is None else Budget(float(usd), str(period)),
        models=tuple(models.split(",")) if models else (),
        rate_limit=None if rpm is None and tpm is None else RateLimit(rpm, tpm),
        expires_at_ms=expires,
        created_at_ms=int(created),
        rotated_at_ms=rotated,
        revoked_at_ms=revoked,
    )
