"""Atomic output: the target appears only complete; an error or Ctrl-C inside leaves no temporary file and the
old target untouched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conduit.export.atomic import PARTIAL_SUFFIX, atomic_output, partial_prefix


def leftovers(folder: Path, target: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(partial_prefix(target))]


def test_target_appears_complete_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_output(target) as out:
        out.write(b"a,b\r\n")
        (partial,) = leftovers(tmp_path, target)
        assert partial.endswith(PARTIAL_SUFFIX) and not target.exists()
    assert target.read_bytes() == b"a,b\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path, target) == []


@pytest.mark.parametrize("error", [RuntimeError("late failure"), KeyboardInterrupt()])
def test_error_inside_leaves_old_target_and_no_temporary(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"previous export")
    with pytest.raises(type(error)):
        with atomic_output(target) as out:
            out.write(b"half a row")
            raise error
    assert target.read_bytes() == b"previous export"
    assert leftovers(tmp_path, target) == []


def test_error_inside_creates_no_target(tmp_path: Path) -> None:
    target = tmp_path / "new.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write(b"{}")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_folder_fails_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(PermissionError):
        with atomic_output(folder / "out.csv"):
            pass
    assert list(folder.iterdir()) == []


def test_data_goes_to_disk_while_the_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conduit.export.atomic.SYNC_BYTES", 1000)
    target = tmp_path / "big.jsonl"
    pieces = [bytes([65 + i % 26]) * 700 for i in range(50)]
    with atomic_output(target) as out:
        for piece in pieces[:10]:
            out.write(memoryview(piece))
        (partial,) = leftovers(tmp_path, target)
        assert (tmp_path / partial).stat().st_size >= 1000  # flushed for the background sync, not held in a buffer
        for piece in pieces[10:]:
            out.write(piece)
    assert target.read_bytes() == b"".join(pieces)
