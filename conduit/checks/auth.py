"""Virtual-key authentication: the in-memory key ring the proxy checks every request against.

Keys are looked up by their SHA-256 and the stored hash is compared in constant time. The ring is replaced
whole when the keys table changes, so revocation and rotation apply on the next request. Pure, in-memory.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from conduit.checks.base import Deny
from conduit.core.status import Status
from conduit.core.vkey import KEY_PREFIX, VirtualKey, hash_key, looks_virtual


def _unauthorized(code: str, message: str) -> Deny:
    return Deny(401, Status.AUTH_FAILED, code, message)


MISSING = _unauthorized(
    "missing_api_key",
    f"this provider needs a Conduit virtual key ({KEY_PREFIX}…) in x-api-key or Authorization: Bearer; "
    "ask your Conduit admin for one (`conduit keys create`)",
)
NOT_VIRTUAL = _unauthorized(
    "virtual_key_required",
    f"this provider accepts only Conduit virtual keys ({KEY_PREFIX}…), not provider keys; the key you sent was "
    "not forwarded. Ask your Conduit admin for a virtual key",
)
UNKNOWN = _unauthorized("invalid_api_key", "this virtual key is not known to Conduit; check it or ask for a new one")


class KeyRing:
    """All virtual keys (revoked ones too, to say why a key fails), indexed by hash."""

    __slots__ = ("_by_hash", "_digests")

    def __init__(self, keys: Iterable[VirtualKey] = ()) -> None:
        self._by_hash = {key.key_hash: key for key in keys}
        self._digests: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_hash)

    def authenticate(self, presented: str | None, now_ms: int) -> VirtualKey | Deny:
        """The usable key for a presented secret, or why it is refused (401)."""
        if not presented:
            return MISSING
        if not looks_virtual(presented):
            return NOT_VIRTUAL
        digest = self._digests.get(presented)
        if digest is None:
            if len(self._digests) > 4096:
                self._digests.clear()
            digest = self._digests[presented] = hash_key(presented)
        key = self._by_hash.get(digest)
        if key is None or not hmac.compare_digest(key.key_hash, digest):
            return UNKNOWN
        if key.revoked_at_ms is not None:
            return _unauthorized("revoked_api_key", f"virtual key {key.key_prefix} ({key.name}) was revoked; "
                                 "ask your Conduit admin for a new one")
        if not key.usable_at(now_ms):
            return _unauthorized("expired_api_key", f"virtual key {key.key_prefix} ({key.name}) has expired; "
                                 "ask your Conduit admin to rotate or re-create it")
        return key
