"""The single-proxy lock, exercised across real processes: refusal, release, and death of the holder."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import conduit
from conduit.store.errors import StoreLockedError
from conduit.store.lock import acquire_lock, lock_path

ROOT = str(Path(conduit.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": ROOT}

TRY_LOCK = """
import sys
from pathlib import Path
from conduit.store.errors import StoreLockedError
from conduit.store.lock import acquire_lock
try:
    acquire_lock(Path(sys.argv[1])).release()
except StoreLockedError as exc:
    print(exc)
    sys.exit(3)
print("acquired")
"""

HOLD_LOCK = """
import sys
from pathlib import Path
from conduit.store.lock import acquire_lock
lock = acquire_lock(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
"""


def _try_in_child(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", TRY_LOCK, str(db)], check=False, capture_output=True, text=True, env=ENV, timeout=30
    )


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "usage.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        yield child
        child.kill()


def test_another_process_is_refused_until_release(tmp_path: Path) -> None:
    db = tmp_path / "usage.db"
    lock = acquire_lock(db)
    refused = _try_in_child(db)
    assert refused.returncode == 3
    assert refused.stdout.strip() == (
        f"another `conduit proxy` (pid {os.getpid()}) is already using {db}; "
        "stop it or set a different `database` in conduit.toml"
    )
    lock.release()
    assert not lock.held
    allowed = _try_in_child(db)
    assert (allowed.returncode, allowed.stdout.strip()) == (0, "acquired")


def test_lock_file_is_private_and_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "usage.db"
    with acquire_lock(db) as lock:
        assert lock.path == lock_path(db) == tmp_path / "sub" / "usage.db.lock"
        assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
        assert lock.path.read_text().strip() == str(os.getpid())
        with pytest.raises(StoreLockedError):
            acquire_lock(db)
    assert not lock.held
    acquire_lock(db).release()


def test_a_killed_holder_frees_the_lock(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    db = tmp_path / "usage.db"
    with pytest.raises(StoreLockedError) as caught:
        acquire_lock(db)
    assert caught.value.pid == holder.pid
    assert f"(pid {holder.pid})" in str(caught.value) and str(db) in str(caught.value)
    os.kill(holder.pid, signal.SIGKILL)
    assert holder.wait(timeout=30) == -signal.SIGKILL
    acquire_lock(db).release()


def test_release_twice_is_harmless(tmp_path: Path) -> None:
    lock = acquire_lock(tmp_path / "usage.db")
    lock.release()
    lock.release()
    assert not lock.held
