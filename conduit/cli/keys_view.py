"""How `conduit keys` shows keys: JSON objects, a table (rich on a terminal, plain text when piped), and changes.

Never shows a key's hash; the plain key appears only in `new_key_json`. Imports `conduit.core` at module level
and rich inside `rich_table`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time

from conduit.core.policy import RateLimit
from conduit.core.vkey import VirtualKey

HEADERS = ("NAME", "TEAM", "PREFIX", "BUDGET", "MODELS", "RPM/TPM", "EXPIRES", "CREATED", "STATUS")
_NONE = "-"
_NO_WRAP = frozenset({"PREFIX", "RPM/TPM", "STATUS"})


def status(key: VirtualKey, now_ms: int) -> str:
    """`revoked`, `expired` or `active`."""
    if key.revoked_at_ms is not None:
        return "revoked"
    return "active" if key.usable_at(now_ms) else "expired"


def key_json(key: VirtualKey, now_ms: int) -> dict[str, object]:
    """A key's record as a JSON-ready object (no key material but the display prefix)."""
    return {
        "id": key.id,
        "name": key.name,
        "team": key.team,
        "key_prefix": key.key_prefix,
        **_policy_json(key),
        "created_at": _iso(key.created_at_ms),
        "rotated_at": _iso(key.rotated_at_ms),
        "revoked_at": _iso(key.revoked_at_ms),
        "status": status(key, now_ms),
    }


def new_key_json(key: VirtualKey, plain: str) -> dict[str, object]:
    """The one JSON object `create --json` / `rotate --json` prints, with the plain key."""
    return {"id": key.id, "name": key.name, "team": key.team, "key": plain, "key_prefix": key.key_prefix,
            **_policy_json(key)}


def changes(old: VirtualKey, new: VirtualKey) -> list[str]:
    """What `keys update` changed, as `budget $20 per day -> $50 per day` phrases (no key material)."""
    return [f"{label} {show(old)} -> {show(new)}" for label, show in _SETTINGS if show(old) != show(new)]


def table_rows(keys: Sequence[VirtualKey], now_ms: int) -> list[tuple[str, ...]]:
    """One row of cells per key, in HEADERS order."""
    return [
        (
            key.name,
            key.team or _NONE,
            key.key_prefix,
            _NONE if key.budget is None else f"${key.budget.usd:,.2f}/{key.budget.period}",
            ", ".join(key.models) or "any",
            _rate(key),
            "never" if key.expires_at_ms is None else _day_and_time(key.expires_at_ms),
            _utc(key.created_at_ms).strftime("%Y-%m-%d"),
            status(key, now_ms),
        )
        for key in keys
    ]


def plain_table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """The rows under HEADERS as aligned plain-text lines."""
    widths = [max(len(cells[i]) for cells in (HEADERS, *rows)) for i in range(len(HEADERS))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in (HEADERS, *rows)]


def rich_table(rows: Sequence[tuple[str, ...]]) -> None:
    """Print the rows under HEADERS as a rich table on stdout."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", padding=(0, 2, 0, 0), pad_edge=False, caption="times in UTC", caption_justify="left")
    for header in HEADERS:
        table.add_column(header, overflow="fold", no_wrap=header in _NO_WRAP)
    for cells in rows:
        table.add_row(*(Text(cell) for cell in cells), style=None if cells[-1] == "active" else "dim")
    Console(highlight=False).print(table)


def _budget_text(key: VirtualKey) -> str:
    if key.budget is None:
        return "none"
    text = f"{key.budget.usd:g}"
    return f"${text if float(text) == key.budget.usd else repr(key.budget.usd)} per {key.budget.period}"


def _limits(key: VirtualKey) -> RateLimit:
    return key.rate_limit or RateLimit()


def _limit_text(limit: int | None) -> str:
    return "none" if limit is None else str(limit)


_SETTINGS: tuple[tuple[str, Callable[[VirtualKey], str]], ...] = (
    ("team", lambda key: key.team or "none"),
    ("budget", _budget_text),
    ("models", lambda key: ",".join(key.models) or "any"),
    ("rpm", lambda key: _limit_text(_limits(key).rpm)),
    ("tpm", lambda key: _limit_text(_limits(key).tpm)),
    ("expiry", lambda key: _iso(key.expires_at_ms) or "never"),
)


def _policy_json(key: VirtualKey) -> dict[str, object]:
    budget, limit = key.budget, key.rate_limit
    return {
        "budget": None if budget is None else {"usd": budget.usd, "period": budget.period},
        "models": list(key.models),
        "rate_limit": None if limit is None else {"rpm": limit.rpm, "tpm": limit.tpm},
        "expires_at": _iso(key.expires_at_ms),
    }


def _rate(key: VirtualKey) -> str:
    limit = key.rate_limit
    if limit is None:
        return _NONE
    return f"{_NONE if limit.rpm is None else limit.rpm}/{_NONE if limit.tpm is None else limit.tpm}"


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return _utc(ms).isoformat(timespec="seconds").replace("+00:00", "Z")


def _utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _day_and_time(ms: int) -> str:
    """`2026-12-31`, or `2026-12-31 18:30` when the moment is not midnight UTC."""
    moment = _utc(ms)
    return moment.strftime("%Y-%m-%d" if moment.time() == time() else "%Y-%m-%d %H:%M")
