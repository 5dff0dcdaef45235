"""The key ring, as a table: presented secret → key or the reason it is refused."""

from __future__ import annotations

import pytest

from conduit.checks.auth import KeyRing
from conduit.checks.base import Deny
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey, hash_key, key_prefix, new_key

NOW = 1_800_000_000_000
LIVE, REVOKED, EXPIRED, FUTURE = new_key(), new_key(), new_key(), new_key()


def record(key: str, name: str, **kw: int | None) -> VirtualKey:
    return VirtualKey(id=f"key_{name}", name=name, team=None, key_hash=hash_key(key), key_prefix=key_prefix(key),
                      created_at_ms=NOW - 1000, **kw)  # type: ignore[arg-type]


RING = KeyRing([
    record(LIVE, "live"),
    record(REVOKED, "revoked", revoked_at_ms=NOW - 10),
    record(EXPIRED, "expired", expires_at_ms=NOW - 1),
    record(FUTURE, "future", expires_at_ms=NOW + 1),
])


@pytest.mark.parametrize(
    ("presented", "outcome"),
    [
        (LIVE, "live"),
        (FUTURE, "future"),
        (REVOKED, "revoked_api_key"),
        (EXPIRED, "expired_api_key"),
        (None, "missing_api_key"),
        ("", "missing_api_key"),
        ("sk-ant-api03-provider-key", "virtual_key_required"),
        (new_key(), "invalid_api_key"),
        (LIVE[:-1], "invalid_api_key"),
    ],
)
def test_authenticate(presented: str | None, outcome: str) -> None:
    result = RING.authenticate(presented, NOW)
    if isinstance(result, Deny):
        assert (result.http_status, result.status, result.code) == (401, Status.AUTH_FAILED, outcome)
        if presented:
            assert presented not in result.message
    else:
        assert result.name == outcome


def test_keys_have_the_documented_shape() -> None:
    key = new_key()
    assert key.startswith("vk_live_") and len(key) >= len("vk_live_") + 43
    assert key_prefix(key) == key[:12] + "…"
    assert new_key() != key
