"""The single-proxy lock: one `conduit proxy` process owns a database, enforced with `flock` on `<db>.lock`.

The kernel drops the lock when its holder dies, even by SIGKILL, so a stale lock file never blocks a restart.
Imports the standard library and `conduit.store` siblings only (POSIX only: uses fcntl).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from conduit.store.connection import FILE_MODE, FOLDER_MODE
from conduit.store.errors import StoreError, StoreLockedError


class DatabaseLock:
    """An exclusive lock on a database, held until `release()` or until the process exits."""

    __slots__ = ("_fd", "db_path", "path")

    def __init__(self, db_path: Path, path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        """Whether this lock is still held."""
        return self._fd is not None

    def release(self) -> None:
        """Let another process take the database; calling it again does nothing."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def lock_path(db_path: Path) -> Path:
    """The lock file that guards `db_path`."""
    return db_path.with_name(db_path.name + ".lock")


def acquire_lock(db_path: Path) -> DatabaseLock:
    """Take the database's lock without waiting, or raise StoreLockedError naming the process that has it."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise StoreError(
            f"cannot create the lock file {path}: {exc.strerror}; check the folder's permissions "
            "or set a different `database` in conduit.toml"
        ) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = _read_pid(fd)
        os.close(fd)
        raise StoreLockedError(db_path, pid) from None
    except OSError as exc:
        os.close(fd)
        raise StoreError(f"cannot lock {path}: {exc.strerror}") from exc
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return DatabaseLock(db_path, path, fd)


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
