"""The usage parser for endpoints that generate nothing billable (model lists, token counting, batches).

Imports only core types.
"""

from __future__ import annotations

from conduit.core.usage import Metered, Usage

_NOTHING = Metered(Usage(), model=None, complete=True)


class NoUsageParser:
    """Ignores the body and reports zero usage, complete: these endpoints cost nothing."""

    __slots__ = ()

    def feed(self, chunk: bytes) -> None:
        """Ignore the chunk."""

    def result(self) -> Metered:
        """Zero usage, complete."""
        return _NOTHING
