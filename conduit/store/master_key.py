"""The master key that seals provider credentials: from `$CONDUIT_MASTER_KEY`, else from a 0600 key file.

The key file holds 32 random bytes as base64url and a newline; it is never overwritten. No message ever shows
a key's value. Imports the standard library and `conduit.store.errors` only.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import stat
from pathlib import Path

from conduit.store.errors import StoreError

MASTER_KEY_ENV = "CONDUIT_MASTER_KEY"
KEY_FILE_NAME = "conduit.key"
KEY_BYTES = 32
FILE_MODE = 0o600
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
_BASE64_KEY = re.compile(r"[A-Za-z0-9+/_-]{43}=?")
_EXPECTED = f"64 hex characters, or the base64 or base64url encoding of {KEY_BYTES} bytes"


class MasterKeyError(StoreError):
    """The master key is missing, malformed or unsafely stored; the message says how to fix it."""


def default_key_file(config_path: Path) -> Path:
    """Where the master key file lives by default: `conduit.key` next to the config file."""
    return config_path.parent / KEY_FILE_NAME


def load_master_key(key_file: Path) -> bytes:
    """The 32-byte master key: `$CONDUIT_MASTER_KEY` when set, else the contents of `key_file`."""
    from_env = os.environ.get(MASTER_KEY_ENV, "")
    if from_env:
        key = parse_key(from_env)
        if key is None:
            raise MasterKeyError(f"{MASTER_KEY_ENV} is not a valid master key: expected {_EXPECTED}")
        return key
    return _read_key_file(key_file)


def parse_key(text: str) -> bytes | None:
    """The 32 bytes that `text` encodes (hex, base64 or base64url; padding optional), or None."""
    text = text.strip()
    if _HEX_KEY.fullmatch(text):
        return bytes.fromhex(text)
    if not _BASE64_KEY.fullmatch(text):
        return None
    standard = text.rstrip("=").replace("-", "+").replace("_", "/") + "="
    try:
        key = base64.b64decode(standard, validate=True)
    except binascii.Error:
        return None
    return key if len(key) == KEY_BYTES else None


def create_key_file(path: Path) -> bool:
    """Create `path` (0600 before anything is written) holding a fresh random key; False if it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        if not path.is_file():
            raise MasterKeyError(f"{path} exists but is not a file; move it away or choose another key file")
        return False
    except OSError as exc:
        raise MasterKeyError(f"cannot create the master key file {path} ({exc.strerror})") from None
    text = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n"
    try:
        try:
            os.write(fd, text)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise MasterKeyError(f"cannot write the master key file {path} ({exc.strerror})") from None
    return True


def _read_key_file(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise MasterKeyError(f"no master key: set {MASTER_KEY_ENV} or run `conduit init` to create {path}") from None
    except OSError as exc:
        raise MasterKeyError(f"cannot read the master key file {path} ({exc.strerror})") from None
    try:
        _check_private(path, os.fstat(fd))
        raw = os.read(fd, 1024)
    except OSError as exc:
        raise MasterKeyError(f"cannot read the master key file {path} ({exc.strerror})") from None
    finally:
        os.close(fd)
    key = parse_key(raw.decode("ascii", "replace"))
    if key is None:
        raise MasterKeyError(
            f"the master key file {path} is damaged: expected {_EXPECTED}; restore it from your backup"
        )
    return key


def _check_private(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise MasterKeyError(f"the master key file {path} is not a regular file")
    mode = stat.S_IMODE(status.st_mode)
    if mode & 0o077:
        raise MasterKeyError(
            f"the master key file {path} is open to other users (mode {mode:04o}); "
            f"restrict it with `chmod 600 {path}`"
        )
