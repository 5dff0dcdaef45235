"""The secret scanner: an engine finds where tokens may start, then the same Python checks decide, so the
hyperscan and pure-Python engines report identical findings. Pure: imports the detector catalogue, the two
engines (hyperscan only when installed), `finding` and `public_samples`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from conduit.governance import engine_hyperscan
from conduit.governance.detector import Detector
from conduit.governance.detectors import detectors_for
from conduit.governance.engine_hyperscan import HyperscanFinder
from conduit.governance.engine_python import PythonFinder
from conduit.governance.finding import ENTITY, Finding
from conduit.governance.public_samples import is_public_sample

GENERIC = "generic_secret"
ENGINES = ("hyperscan", "python")


def available_engines() -> tuple[str, ...]:
    """The engines usable here, fastest first: `hyperscan` when its module imports, and always `python`."""
    return ENGINES if engine_hyperscan.AVAILABLE else ("python",)


class SecretScanner:
    """Finds secrets in text with the detectors of the chosen categories, compiled once and then reused.

    Not thread-safe with the hyperscan engine (one scratch space per scanner): use one scanner per thread.
    """

    __slots__ = ("engine", "_detectors", "_finder")

    def __init__(self, categories: Iterable[str] | None = None, engine: str = "auto") -> None:
        wanted = None if categories is None else [c for c in categories if c != ENTITY]
        self._detectors = detectors_for(wanted)
        self.engine = _pick(engine)
        self._finder: PythonFinder | HyperscanFinder | None = None
        if self._detectors:
            finder = HyperscanFinder if self.engine == "hyperscan" else PythonFinder
            self._finder = finder(self._detectors)

    @property
    def categories(self) -> tuple[str, ...]:
        """The secret categories this scanner reports, sorted."""
        return tuple(sorted({d.category for d in self._detectors}))

    def scan(self, text: str) -> list[Finding]:
        """Every secret in `text` as findings ordered by start; overlapping findings of one category are merged."""
        if not text or self._finder is None:
            return []
        return verify(self._detectors, text, self._finder.candidates(text))


def _pick(engine: str) -> str:
    if engine == "auto":
        return available_engines()[0]
    if engine not in ENGINES:
        raise ValueError(f"unknown scan engine {engine!r}: use one of auto, {', '.join(ENGINES)}")
    if engine not in available_engines():
        raise ValueError("the hyperscan engine needs the `hyperscan` package (x86_64 Linux); use auto or python")
    return engine


def verify(detectors: Sequence[Detector], text: str, candidates: Iterable[tuple[int, int]]) -> list[Finding]:
    """Check each (detector index, anchor offset) candidate and return the merged findings."""
    seen: set[tuple[int, int]] = set()
    found: list[Finding] = []
    for index, anchor in candidates:
        detector = detectors[index]
        start = detector.start_of(text, anchor)
        if (index, start) in seen:
            continue
        seen.add((index, start))
        span = detector.match_at(text, start)
        if span is not None and span[0] < span[1] and not is_public_sample(text[span[0]:span[1]]):
            found.append(Finding(detector.category, span[0], span[1]))
    return merge(found)


def merge(findings: list[Finding]) -> list[Finding]:
    """Join overlapping findings of one category and drop generic ones inside a specific one, ordered by start.

    A value in a vendor's own format is better named by that vendor's category than as a generic assignment.
    """
    joined = _join(sorted(findings, key=lambda f: (f.category, f.start, f.end)))
    specific = _join(sorted((Finding("", f.start, f.end) for f in joined if f.category != GENERIC),
                            key=lambda f: (f.start, f.end)))
    starts = [f.start for f in specific]
    kept = [f for f in joined if f.category != GENERIC or not _overlaps(f, specific, starts)]
    return sorted(kept, key=lambda f: (f.start, f.end, f.category))


def _join(ordered: list[Finding]) -> list[Finding]:
    joined: list[Finding] = []
    for f in ordered:
        if joined and joined[-1].category == f.category and f.start < joined[-1].end:
            joined[-1] = Finding(f.category, joined[-1].start, max(joined[-1].end, f.end))
        else:
            joined.append(f)
    return joined


def _overlaps(finding: Finding, disjoint: list[Finding], starts: list[int]) -> bool:
    at = bisect.bisect_left(starts, finding.end)
    return at > 0 and disjoint[at - 1].end > finding.start

