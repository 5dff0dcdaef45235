"""Tells a sensitive value's first appearance in an agent session from its repeats (agents resend the whole
history every turn) without keeping the value: only a keyed hash, with a random key that lives in this
process's memory and is never written anywhere, so nothing on disk can be matched against a guess.
Pure: standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections import OrderedDict

MAX_SESSIONS = 10_000
MAX_PER_SESSION = 10_000


class FirstSeen:
    """Per session, the keyed digests of values already seen; bounded (least recently used sessions go)."""

    __slots__ = ("_key", "_sessions")

    def __init__(self) -> None:
        self._key = os.urandom(32)
        self._sessions: OrderedDict[str, set[bytes]] = OrderedDict()

    def count_new(self, session: str, values: list[tuple[str, str]]) -> int:
        """Record (category, value) pairs seen in `session`; return how many were not seen there before."""
        seen = self._sessions.get(session)
        if seen is None:
            if len(self._sessions) >= MAX_SESSIONS:
                self._sessions.popitem(last=False)
            seen = self._sessions[session] = set()
        else:
            self._sessions.move_to_end(session)
        new = 0
        for category, value in values:
            digest = hmac.new(self._key, f"{category}\0{value}".encode(), hashlib.sha256).digest()[:16]
            if digest not in seen:
                new += 1
                if len(seen) < MAX_PER_SESSION:
                    seen.add(digest)
        return new
