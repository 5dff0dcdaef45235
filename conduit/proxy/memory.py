"""Hands the memory freed after start-up back to the operating system: building the governance scan (a hyperscan
database, regular expressions) allocates several megabytes it frees at once, which glibc would otherwise keep.
Imports the standard library only; a no-op where the C library has no `malloc_trim`.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def release_free_memory() -> None:
    """Return free heap pages to the operating system (glibc's `malloc_trim`); does nothing elsewhere."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
