"""Virtual keys: the stand-in keys engineers hold instead of provider credentials.

A key is `vk_live_` + 43 URL-safe characters (32 random bytes). Only its SHA-256 and a display prefix are
stored; the plain key is shown once. Pure: standard library only.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from conduit.core.policy import Budget, RateLimit

KEY_PREFIX = "vk_live_"
KEY_BYTES = 32
_SHOWN_CHARS = 4


@dataclass(frozen=True, slots=True)
class VirtualKey:
    """One virtual key's record (never the key itself): owner, team, limits, lifetime."""

    id: str
    name: str
    team: str | None
    key_hash: str
    key_prefix: str
    budget: Budget | None = None
    models: tuple[str, ...] = ()
    rate_limit: RateLimit | None = None
    expires_at_ms: int | None = None
    created_at_ms: int = 0
    rotated_at_ms: int | None = None
    revoked_at_ms: int | None = None

    def usable_at(self, now_ms: int) -> bool:
        """True unless the key is revoked or expired at `now_ms`."""
        if self.revoked_at_ms is not None:
            return False
        return self.expires_at_ms is None or now_ms < self.expires_at_ms


def new_key() -> str:
    """A fresh random virtual key."""
    return KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str) -> str:
    """The stored form of a key: SHA-256, hex (keys are 256-bit random, so no salt or stretching is needed)."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def key_prefix(key: str) -> str:
    """The display form of a key, e.g. `vk_live_AbCd…`."""
    return key[: len(KEY_PREFIX) + _SHOWN_CHARS] + "…"


def looks_virtual(key: str) -> bool:
    """True when a presented key has the virtual-key shape (anything else is never looked up)."""
    return key.startswith(KEY_PREFIX)
