"""Sealing: AES-256-GCM round trips, a fresh nonce per seal, and anything altered or misplaced fails to open."""

from __future__ import annotations

import os

import pytest

from conduit.core.sealing import Sealed, SealError, seal, unseal

KEY = os.urandom(32)
SECRET = "sk-ant-api03-sealing-test-secret-0001"


def test_round_trip() -> None:
    sealed = seal(KEY, "work", "anthropic", SECRET)
    assert len(sealed.nonce) == 12
    assert SECRET.encode() not in sealed.ciphertext
    assert unseal(KEY, "work", "anthropic", sealed) == SECRET


def test_round_trip_keeps_non_ascii() -> None:
    assert unseal(KEY, "n", "p", seal(KEY, "n", "p", "clé-ü-秘密")) == "clé-ü-秘密"


def test_every_seal_uses_a_fresh_nonce() -> None:
    first, second = seal(KEY, "work", "anthropic", SECRET), seal(KEY, "work", "anthropic", SECRET)
    assert first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


@pytest.mark.parametrize(
    ("key", "name", "provider", "change"),
    [
        (KEY, "work", "anthropic", lambda s: Sealed(s.nonce, _flip_last_byte(s.ciphertext))),
        (KEY, "work", "anthropic", lambda s: Sealed(_flip_last_byte(s.nonce), s.ciphertext)),
        (KEY, "other", "anthropic", lambda s: s),
        (KEY, "work", "openai", lambda s: s),
        (KEY, "workanthropic", "", lambda s: s),
        (os.urandom(32), "work", "anthropic", lambda s: s),
    ],
    ids=["tampered-ciphertext", "tampered-nonce", "other-name", "other-provider", "shifted-fields", "wrong-key"],
)
def test_anything_altered_or_misplaced_does_not_open(key: bytes, name: str, provider: str, change: object) -> None:
    assert callable(change)
    sealed = change(seal(KEY, "work", "anthropic", SECRET))
    with pytest.raises(SealError) as caught:
        unseal(key, name, provider, sealed)
    message = str(caught.value)
    assert message == (
        f"credential {name!r} cannot be opened with this master key: it was sealed with another key, "
        "or the database row was altered"
    )
    assert SECRET not in message


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_master_key_must_be_32_bytes(length: int) -> None:
    with pytest.raises(SealError, match="exactly 32 bytes"):
        seal(os.urandom(length), "work", "anthropic", SECRET)
    with pytest.raises(SealError, match="exactly 32 bytes"):
        unseal(os.urandom(length), "work", "anthropic", seal(KEY, "work", "anthropic", SECRET))
