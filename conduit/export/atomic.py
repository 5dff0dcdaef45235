"""Writing a file atomically: into a hidden temporary file beside the target, fsynced, then renamed over it, so
the target is either the complete new file or untouched — never half-written after an error or Ctrl-C.

Data goes to disk while the file is still being written (a background fdatasync after every SYNC_BYTES), so the
fsync at the end has little left to wait for.

Imports the standard library only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PARTIAL_SUFFIX = ".partial"
FILE_MODE = 0o600
SYNC_BYTES = 64 << 20


class SyncingFile:
    """A binary file that starts an fdatasync in the background after every SYNC_BYTES written (never two at
    once); `sync` waits for it, raising what it raised, and makes the whole file durable."""

    def __init__(self, out: BinaryIO, syncer: ThreadPoolExecutor) -> None:
        self._out = out
        self._syncer = syncer
        self._unsynced = 0
        self._syncing: Future[None] | None = None

    def write(self, data: bytes | memoryview) -> None:
        """Write `data`; start a background fdatasync if enough is waiting and none is running."""
        self._out.write(data)
        self._unsynced += len(data)
        if self._unsynced >= SYNC_BYTES and (self._syncing is None or self._syncing.done()):
            if self._syncing is not None:
                self._syncing.result()
            self._out.flush()
            self._syncing = self._syncer.submit(os.fdatasync, self._out.fileno())
            self._unsynced = 0

    def sync(self) -> None:
        """Flush and fsync everything written."""
        if self._syncing is not None:
            self._syncing.result()
        self._out.flush()
        os.fsync(self._out.fileno())


def partial_prefix(target: Path) -> str:
    """The name prefix of the temporary files written for `target` (they end in PARTIAL_SUFFIX)."""
    return f".{target.name}."


@contextmanager
def atomic_output(target: Path) -> Iterator[SyncingFile]:
    """A binary file that becomes `target` when the block ends normally; on any exception (KeyboardInterrupt
    too) the temporary file is removed, `target` is left as it was, and the exception propagates.

    The file is created 0600, like the database it is exported from.
    """
    folder = target.parent
    partial = folder / f"{partial_prefix(target)}{secrets.token_hex(8)}{PARTIAL_SUFFIX}"
    try:  # the name is known before the file exists, so an interrupt at any point can remove it
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as out, ThreadPoolExecutor(1, thread_name_prefix="conduit-sync") as syncer:
            synced = SyncingFile(out, syncer)
            yield synced
            synced.sync()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some platforms cannot open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
