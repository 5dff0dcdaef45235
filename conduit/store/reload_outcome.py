"""Where a running proxy records the outcome of its last config reload, for `conduit reload` to report.

Imports the standard library and `conduit.store` siblings only.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from conduit.store.connection import connect

_KEY = "config_reload"


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """When the proxy last reloaded (Unix ms), whether the new config was applied, and what it said."""

    at_ms: int
    ok: bool
    message: str


def record(db: Path, ok: bool, message: str) -> None:
    """Store a reload outcome (called by the proxy)."""
    value = json.dumps({"at_ms": int(time.time() * 1000), "ok": ok, "message": message}).encode()
    conn = connect(db)
    try:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_KEY, value))
    finally:
        conn.close()


def latest(db: Path) -> ReloadOutcome | None:
    """The last recorded reload outcome, if any."""
    conn = connect(db)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    finally:
        conn.close()
    if row is None:
        return None
    doc = json.loads(bytes(row[0]))
    return ReloadOutcome(int(doc["at_ms"]), bool(doc["ok"]), str(doc["message"]))
