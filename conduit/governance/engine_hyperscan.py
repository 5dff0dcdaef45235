"""The hyperscan candidate finder: every detector's core regex in one block-mode database, scanned once over the
text's UTF-8 bytes (the cores are ASCII, so byte mode needs no UTF-8 flag and accepts lone surrogates), each
report narrowed to the prefixes it covers, with byte offsets turned back into str indexes.
Pure: standard library, `detector`, `engine_python` and hyperscan (when installed).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from conduit.governance.detector import Detector
from conduit.governance.engine_python import PythonFinder

try:
    import hyperscan

    AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the platform
    AVAILABLE = False

REPORTS_MAX = 20_000
"""Past this many raw reports in one text (degenerate input such as `pass=pass=...`), the scan stops and the
candidates come from the pure-Python finder instead, which never reports more than one per prefix occurrence."""

SLACK_MAX = 4096
"""Up to this many extra UTF-8 bytes, a byte span [s, e) is searched as the str span [s - extra, e), which holds
it (each non-ASCII character shifts later offsets by at most its extra bytes); beyond, offsets are mapped exactly."""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


_SPACES = r"\t\n\x0b\f\r "


def hyperscan_pattern(core: str) -> bytes:
    """A detector core in hyperscan syntax: `\\s` spelled out as the six ASCII spaces Python's `re` matches."""
    out: list[str] = []
    in_class = escaped = False
    for ch in core:
        if escaped:
            out.append((_SPACES if in_class else f"[{_SPACES}]") if ch == "s" else "\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            in_class = (in_class or ch == "[") and not (in_class and ch == "]")
            out.append(ch)
    return "".join(out).encode("ascii")


@functools.lru_cache(maxsize=8)
def compiled(detectors: tuple[Detector, ...]) -> Any:
    """One block-mode database of the detectors' cores (start of match on), built once per detector set."""
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    flags = [hyperscan.HS_FLAG_SOM_LEFTMOST | (hyperscan.HS_FLAG_CASELESS if d.caseless else 0) for d in detectors]
    database.compile(expressions=[hyperscan_pattern(d.core) for d in detectors], ids=list(range(len(detectors))),
                     flags=flags)
    return database


class HyperscanFinder:
    """Finds (detector index, anchor offset) candidates with one compiled hyperscan database."""

    __slots__ = ("_detectors", "_database", "_scratch", "_fallback")

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self._detectors = tuple(detectors)
        self._database = compiled(self._detectors)
        self._scratch = hyperscan.Scratch(self._database)
        self._fallback: PythonFinder | None = None

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """Every (detector index, offset) of a prefix inside a span where the detector's core matched."""
        data = text.encode("ascii") if text.isascii() else text.encode("utf-8", "surrogatepass")
        spans: dict[tuple[int, int], int] = {}
        budget = [REPORTS_MAX]

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> bool:
            key = (index, start)
            if spans.get(key, -1) < end:
                spans[key] = end
            budget[0] -= 1
            return budget[0] < 0

        try:
            self._database.scan(data, match_event_handler=on_match, scratch=self._scratch)
        except hyperscan.ScanTerminated:
            if self._fallback is None:
                self._fallback = PythonFinder(self._detectors)
            return self._fallback.candidates(text)
        if not spans:
            return []
        reports = [(index, start, end) for (index, start), end in spans.items()]
        slack = len(data) - len(text)
        if slack > SLACK_MAX:
            reports = _to_str_offsets(data, reports)
        elif slack:
            reports = [(index, max(0, start - slack), min(len(text), end)) for index, start, end in reports]
        return [hit for index, start, end in reports for hit in self._anchors(text, index, start, end)]

    def _anchors(self, text: str, index: int, start: int, end: int) -> list[tuple[int, int]]:
        detector = self._detectors[index]
        window = text[start:end]
        if detector.caseless:
            window = window.translate(_ASCII_LOWER)
        hits = []
        for prefix in detector.prefixes:
            needle = prefix.lower() if detector.caseless else prefix
            at = window.find(needle)
            while at != -1:
                hits.append((index, start + at))
                at = window.find(needle, at + 1)
        return hits


def _to_str_offsets(data: bytes, reports: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Reports with UTF-8 byte offsets turned into str indexes (ends rounded up to a character boundary)."""
    marks = sorted({b for _, s, e in reports for b in (s, _char_end(data, e))})
    index: dict[int, int] = {}
    chars = last = 0
    for mark in marks:
        chars += len(data[last:mark].decode("utf-8", "surrogatepass"))
        index[mark] = chars
        last = mark
    return [(i, index[s], index[_char_end(data, e)]) for i, s, e in reports]


def _char_end(data: bytes, offset: int) -> int:
    while offset < len(data) and data[offset] & 0xC0 == 0x80:
        offset += 1
    return offset
