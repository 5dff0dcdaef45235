"""The pure-Python candidate finder: one combined `re` pattern over every detector prefix, each spelled from its
rarest character on so the regex engine skips most of the text, then the rest of the prefix checked in place.
Pure: standard library and `detector` only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from conduit.governance.detector import Detector

COMMON_FIRST = (" etnsiarolcdf_hupm.\"g()',=b-y:xwvE*1T0AI>#kNDSCORPFLj/][M2HU+3Vz|qBG%<W9547\\;68YX{}K!`Z~@?^J&Q$")
"""Printable ASCII from most to least frequent in source code and prose (measured on the standard library)."""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

Entry = tuple[int, str, bool, int]
"""(pivot offset, the prefix before its pivot, caseless, detector index); caseless ones in lower case."""


def _rank(ch: str, caseless: bool) -> int:
    spellings = {ch.lower(), ch.upper()} if caseless else {ch}
    return min(COMMON_FIRST.find(s) % (len(COMMON_FIRST) + 1) for s in spellings)


def pivot(prefix: str, caseless: bool) -> int:
    """The offset of the rarest character of `prefix` that starts two different characters (so a run such as
    `AAAA` in a base64 blob is no match), never the last one of a longer prefix."""
    offsets = range(max(1, len(prefix) - 1))
    return max(offsets, key=lambda i: (prefix[i:i + 2] != prefix[i] * 2, _rank(prefix[i], caseless), -i))


def _branches(tail: str, caseless: bool) -> list[tuple[str, tuple[int, str]]]:
    rest = (len(tail) - 1, _fold(tail[1:], caseless))
    if caseless and tail[0].isalpha():
        return [(tail[0].lower(), rest), (tail[0].upper(), rest)]
    return [(tail[0], rest)]


def _fold(text: str, caseless: bool) -> str:
    if not caseless:
        return re.escape(text)
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


class PythonFinder:
    """Finds (detector index, anchor offset) candidates with the `re` module alone."""

    __slots__ = ("_regex", "_exact", "_folded", "_plans")

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self._exact: dict[str, list[Entry]] = {}
        self._folded: dict[str, list[Entry]] = {}
        trie: dict[str, set[tuple[int, str]]] = {}
        for index, detector in enumerate(detectors):
            for prefix in detector.prefixes:
                k = pivot(prefix, detector.caseless)
                folded = prefix.translate(_ASCII_LOWER) if detector.caseless else prefix
                table = self._folded if detector.caseless else self._exact
                table.setdefault(folded[k:], []).append((k, folded[:k], detector.caseless, index))
                for first, rest in _branches(prefix[k:], detector.caseless):
                    trie.setdefault(first, set()).add(rest)
        self._plans: dict[str, list[Entry]] = {}
        pattern = "|".join(re.escape(first) + "(?:" + "|".join(rest for _, rest in sorted(rests, reverse=True)) + ")"
                           for first, rests in sorted(trie.items(), key=lambda item: _rank(item[0], False)))
        self._regex = re.compile(pattern or "(?!)", re.ASCII)

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """Every (detector index, offset) where one of the detector's prefixes occurs in `text`.

        The regex reports the longest prefix tail at each position; every shorter tail that also occurs there
        is a prefix of it, so looking each length up covers them all.
        """
        found: list[tuple[int, int]] = []
        search, plans = self._regex.search, self._plans
        m = search(text)
        while m is not None:
            at, tail = m.start(), m.group()
            plan = plans.get(tail)
            if plan is None:
                plan = plans[tail] = self._plan(tail)
            for k, head, caseless, index in plan:
                if not k or (at >= k and _has_head(text, at - k, head, caseless)):
                    found.append((index, at - k))
            m = search(text, at + 1)
        return found

    def _plan(self, tail: str) -> list[Entry]:
        """The prefixes to check where the regex matched `tail`: those whose pivot tail begins `tail`."""
        lowered = tail.translate(_ASCII_LOWER)
        plan: list[Entry] = []
        for size in range(1, len(tail) + 1):
            plan += self._exact.get(tail[:size], []) + self._folded.get(lowered[:size], [])
        return plan


def _has_head(text: str, start: int, head: str, caseless: bool) -> bool:
    if caseless:
        return text[start:start + len(head)].translate(_ASCII_LOWER) == head
    return text.startswith(head, start)
