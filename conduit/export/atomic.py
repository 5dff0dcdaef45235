"""Writing a file atomically: into a hidden temporary file beside the target, fsynced, then renamed over it, so
the target is either the complete new file or untouched — never half-written after an error or Ctrl-C.

Imports the standard library only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PARTIAL_SUFFIX = ".partial"
FILE_MODE = 0o600


def partial_prefix(target: Path) -> str:
    """The name prefix of the temporary files written for `target` (they end in PARTIAL_SUFFIX)."""
    return f".{target.name}."


@contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `target` when the block ends normally; on any exception (KeyboardInterrupt
    too) the temporary file is removed, `target` is left as it was, and the exception propagates.

    The file is created 0600, like the database it is exported from.
    """
    folder = target.parent
    partial = folder / f"{partial_prefix(target)}{secrets.token_hex(8)}{PARTIAL_SUFFIX}"
    try:  # the name is known before the file exists, so an interrupt at any point can remove it
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
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
