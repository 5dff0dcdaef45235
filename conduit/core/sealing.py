"""Seal and open provider credentials with AES-256-GCM under the 32-byte master key.

The associated data binds a sealed secret to its credential's name and provider, so a database row copied to
another name or provider does not open. Pure: imports the standard library and `cryptography` only.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
_AAD_LABEL = b"conduit.credential.v1"


class SealError(Exception):
    """A credential cannot be sealed or opened; the message names the credential, never its secret."""


@dataclass(frozen=True, slots=True)
class Sealed:
    """A sealed secret: the random nonce it was sealed with and the ciphertext (with its GCM tag)."""

    nonce: bytes
    ciphertext: bytes


def seal(master_key: bytes, name: str, provider: str, secret: str) -> Sealed:
    """Encrypt `secret` for the credential `name` of `provider`, with a fresh random nonce."""
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = _cipher(master_key).encrypt(nonce, secret.encode("utf-8"), _associated_data(name, provider))
    return Sealed(nonce=nonce, ciphertext=ciphertext)


def unseal(master_key: bytes, name: str, provider: str, sealed: Sealed) -> str:
    """Decrypt the secret of the credential `name` of `provider`, or raise SealError if it does not open."""
    cipher = _cipher(master_key)
    try:
        plain = cipher.decrypt(sealed.nonce, sealed.ciphertext, _associated_data(name, provider))
        return plain.decode("utf-8")
    except (InvalidTag, ValueError):
        raise SealError(
            f"credential {name!r} cannot be opened with this master key: it was sealed with another key, "
            "or the database row was altered"
        ) from None


def _cipher(master_key: bytes) -> AESGCM:
    if len(master_key) != KEY_BYTES:
        raise SealError(f"the master key must be exactly {KEY_BYTES} bytes, not {len(master_key)}")
    return AESGCM(master_key)


def _associated_data(name: str, provider: str) -> bytes:
    """A label, then each field length-prefixed, so no two (name, provider) pairs share associated data."""
    parts = [_AAD_LABEL, name.encode("utf-8"), provider.encode("utf-8")]
    return b"".join(struct.pack(">I", len(part)) + part for part in parts)
