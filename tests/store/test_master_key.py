"""The master key: `$CONDUIT_MASTER_KEY` first (hex, base64, base64url), else a private 0600 key file that is
created once and never overwritten; errors say how to fix things and never show a key."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from conduit.store.errors import StoreError
from conduit.store.master_key import MASTER_KEY_ENV, MasterKeyError, create_key_file, load_master_key

RAW = bytes(range(32))


@pytest.fixture(autouse=True)
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MASTER_KEY_ENV, raising=False)


def test_create_writes_a_0600_file_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "conduit.key"
    assert create_key_file(path) is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert text.endswith("\n") and text.count("\n") == 1
    key = load_master_key(path)
    assert len(key) == 32
    assert base64.urlsafe_b64decode(text.strip()) == key


def test_each_created_key_is_random(tmp_path: Path) -> None:
    one, two = tmp_path / "one.key", tmp_path / "two.key"
    create_key_file(one)
    create_key_file(two)
    assert load_master_key(one) != load_master_key(two)


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "conduit.key"
    create_key_file(path)
    before = path.read_bytes()
    assert create_key_file(path) is False
    assert path.read_bytes() == before


def test_create_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        create_key_file(tmp_path / "conduit.key")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "conduit.key").stat().st_mode) == 0o600


def test_create_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match=r"cannot create the master key file .*no/such/conduit.key"):
        create_key_file(tmp_path / "no" / "such" / "conduit.key")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_file_open_to_others_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "conduit.key"
    create_key_file(path)
    secret_text = path.read_text().strip()
    path.chmod(mode)
    with pytest.raises(MasterKeyError) as caught:
        load_master_key(path)
    message = str(caught.value)
    assert f"(mode {mode:04o})" in message
    assert f"chmod 600 {path}" in message
    assert secret_text not in message


def test_missing_file_says_how_to_get_a_key(tmp_path: Path) -> None:
    path = tmp_path / "conduit.key"
    with pytest.raises(MasterKeyError) as caught:
        load_master_key(path)
    assert str(caught.value) == f"no master key: set CONDUIT_MASTER_KEY or run `conduit init` to create {path}"
    assert isinstance(caught.value, StoreError)


def test_damaged_file_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "conduit.key"
    path.write_text("not-a-key-ZZZZ\n")
    path.chmod(0o600)
    with pytest.raises(MasterKeyError, match="is damaged") as caught:
        load_master_key(path)
    assert "not-a-key-ZZZZ" not in str(caught.value)


URL_ONLY = b"\xfb\xff" * 16  # encodes with '+' and '/' in base64, '-' and '_' in base64url


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (RAW.hex(), RAW),
        (RAW.hex().upper(), RAW),
        (base64.b64encode(RAW).decode(), RAW),
        (base64.b64encode(RAW).decode().rstrip("="), RAW),
        (base64.b64encode(URL_ONLY).decode(), URL_ONLY),
        (base64.urlsafe_b64encode(URL_ONLY).decode(), URL_ONLY),
        (base64.urlsafe_b64encode(URL_ONLY).decode().rstrip("="), URL_ONLY),
        (f"  {RAW.hex()}\n", RAW),
    ],
    ids=["hex", "HEX", "base64", "base64-unpadded", "base64-plus-slash", "base64url", "base64url-unpadded", "spaces"],
)
def test_env_key_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoded: str, expected: bytes) -> None:
    monkeypatch.setenv(MASTER_KEY_ENV, encoded)
    assert load_master_key(tmp_path / "absent.key") == expected


def test_env_key_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "conduit.key"
    create_key_file(path)
    monkeypatch.setenv(MASTER_KEY_ENV, RAW.hex())
    assert load_master_key(path) == RAW


@pytest.mark.parametrize(
    "bad",
    [
        "short",
        RAW.hex()[:-2],
        RAW.hex() + "00",
        base64.b64encode(RAW[:31]).decode(),
        base64.b64encode(RAW + b"x").decode(),
        "g" * 64,
        "!" * 43,
    ],
    ids=["short", "hex-31", "hex-33", "base64-31", "base64-33", "not-hex", "not-base64"],
)
def test_bad_env_key_names_the_variable_and_format_but_not_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv(MASTER_KEY_ENV, bad)
    with pytest.raises(MasterKeyError) as caught:
        load_master_key(tmp_path / "absent.key")
    message = str(caught.value)
    assert message.startswith("CONDUIT_MASTER_KEY is not a valid master key: expected 64 hex characters")
    assert "base64" in message
    assert bad not in message
