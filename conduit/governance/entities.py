"""The operator's entity list (customer names, codenames, deal codes) as a Matcher: whole-word, Unicode-casefolded
matches, with hyperscan or pure Python picking out the few terms worth checking and one exact Python check after.
Pure: standard library only; hyperscan is imported when present and asked for.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import filterfalse
from typing import Any

from conduit.governance.finding import ENTITY, Finding

_ENGINES = ("auto", "hyperscan", "python")
_WORD = re.compile(r"\w+")
# ASCII letters lowered, other ASCII non-word bytes made spaces, UTF-8 bytes of other characters kept.
_TOKEN_BYTES = bytes(
    b + 32 if 65 <= b <= 90 else b if b >= 128 or chr(b).isalnum() or b == 95 else 32 for b in range(256)
)
_HIGH_BYTES = bytes(b if b < 128 else 255 for b in range(256))


def parse_entities(text: str) -> list[str]:
    """The names in an entities file: one per line, surrounding whitespace stripped, `#` lines and blanks ignored."""
    names: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if not _WORD.search(name):
            raise ValueError(f"line {number}: an entity needs at least one letter or digit")
        names.append(name)
    return names


@dataclass(frozen=True, slots=True)
class _Term:
    """One entity, casefolded: its words, its word tokens (UTF-8) and the first token, which indexes it."""

    words: tuple[str, ...]
    tokens: frozenset[bytes]
    key: bytes


def _terms(terms: Iterable[str]) -> list[_Term]:
    """The distinct casefolded terms, in first-seen order; a blank or wordless term is an error naming its line."""
    out: dict[tuple[str, ...], _Term] = {}
    for number, term in enumerate(terms, start=1):
        words = tuple(word.casefold() for word in term.split())
        if not words:
            raise ValueError(f"entity on line {number} is empty; remove the line or give a name")
        found = [_utf8(token) for word in words for token in _WORD.findall(word)]
        if not found:
            raise ValueError(f"entity on line {number} has no letter or digit; give a name")
        out.setdefault(words, _Term(words, frozenset(found), found[0]))
    return list(out.values())


class EntityMatcher:
    """Finds the operator's terms in text: casefolded, whole-word, any whitespace run between a term's words."""

    __slots__ = ("_by_key", "_engine", "_hs", "_keys", "_regexes", "_terms", "_tokens")

    def __init__(self, terms: Iterable[str], engine: str = "auto") -> None:
        if engine not in _ENGINES:
            raise ValueError(f"unknown scan engine {engine!r}: use one of {', '.join(_ENGINES)}")
        self._terms = _terms(terms)
        self._by_key: dict[bytes, list[_Term]] = {}
        for term in self._terms:
            self._by_key.setdefault(term.key, []).append(term)
        self._keys = frozenset(self._by_key)
        self._tokens = sorted({token for term in self._terms for token in term.tokens})
        self._regexes: dict[tuple[str, ...], re.Pattern[str]] = {}
        _fold_tables()  # built at start-up rather than on the first request that needs them
        hyperscan = _hyperscan() if engine != "python" else None
        if engine == "hyperscan" and hyperscan is None:
            raise ValueError("the hyperscan engine needs the `hyperscan` package (x86_64 Linux); use auto or python")
        self._engine = "python" if hyperscan is None else "hyperscan"
        self._hs = _TokenDatabase(hyperscan, self._tokens) if hyperscan is not None and self._tokens else None

    @property
    def engine(self) -> str:
        """The engine in use: `hyperscan` or `python`."""
        return self._engine

    def __len__(self) -> int:
        return len(self._terms)

    def scan(self, text: str) -> list[Finding]:
        """Every entity in `text`, leftmost-longest and non-overlapping, ordered by start."""
        present = self._hs.present(text) if self._hs is not None else None
        if present is None:
            present = _text_tokens(text, self._keys)
        candidates = [
            term
            for key in present.intersection(self._by_key)
            for term in self._by_key[key]
            if term.tokens <= present
        ]
        return self._verify(text, candidates) if candidates else []

    def _verify(self, text: str, candidates: list[_Term]) -> list[Finding]:
        """The exact check of the candidate terms on the casefolded text, mapped back to `text` offsets."""
        folded = text.casefold()
        spans: list[tuple[int, int]] = []
        for term in candidates:
            regex = self._regexes.get(term.words)
            if regex is None:
                regex = self._regexes[term.words] = re.compile(r"\s+".join(map(re.escape, term.words)))
            pos = 0
            while (match := regex.search(folded, pos)) is not None:
                start, end = match.span()
                if _edge(folded, start - 1) and _edge(folded, end):
                    spans.append((start, end))
                    pos = end
                else:
                    pos = start + 1
        spans.sort(key=lambda span: (span[0], -span[1]))
        start_of, end_of = _offsets(text, folded)
        findings: list[Finding] = []
        last = 0
        for start, end in spans:
            if start >= last:
                findings.append(Finding(ENTITY, start_of(start), end_of(end)))
                last = end
        return findings


def _edge(folded: str, index: int) -> bool:
    """True when `index` is outside the text or holds neither a letter, digit, mark nor `_`."""
    if index < 0 or index >= len(folded):
        return True
    char = folded[index]
    return not (char.isalnum() or char == "_" or unicodedata.category(char).startswith("M"))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text_tokens(text: str, keys: frozenset[bytes]) -> set[bytes]:
    """The casefolded `\\w+` tokens of `text` as UTF-8, or an empty set when none of them is one of `keys`."""
    spaced = _utf8(text).translate(_TOKEN_BYTES)
    tokens = spaced.split()
    others = set() if spaced.isascii() else _refolded(_non_ascii(spaced, tokens))
    if keys.isdisjoint(tokens) and keys.isdisjoint(others):
        return set()
    others.update(tokens)
    return others


def _non_ascii(spaced: bytes, tokens: list[bytes]) -> set[bytes]:
    """The tokens holding non-ASCII characters: found by search when they are few, else by checking every token."""
    marked = spaced.translate(_HIGH_BYTES)
    if marked.count(255) > len(marked) // 64:
        return set(filterfalse(bytes.isascii, tokens))
    found: set[bytes] = set()
    end = 0
    while (at := marked.find(255, end)) >= 0:
        end = marked.find(32, at)
        end = len(marked) if end < 0 else end
        found.add(spaced[marked.rfind(32, 0, at) + 1:end])
    return found


def _refolded(tokens: set[bytes]) -> set[bytes]:
    """The casefolded `\\w+` tokens inside byte tokens that hold non-ASCII characters, refolded in one pass."""
    folded = b" ".join(tokens).decode("utf-8", "surrogatepass").casefold()
    return set(_utf8(" ".join(_WORD.findall(folded))).split())


def _offsets(text: str, folded: str) -> tuple[Callable[[int], int], Callable[[int], int]]:
    """Maps from offsets in `folded` (`text.casefold()`) to offsets in `text`: one for starts, one for ends."""
    if len(folded) == len(text):
        return _same, _same
    folds, expanding = _fold_tables()[2:]
    at_folded: list[int] = []
    at_text: list[int] = []
    grown = 0
    for match in expanding.finditer(text):
        at_folded.append(match.start() + grown)
        at_text.append(match.start())
        grown += len(folds[match.group()]) - 1

    def start_of(offset: int) -> int:
        j = bisect.bisect_right(at_folded, offset) - 1
        if j < 0:
            return offset
        width = len(folds[text[at_text[j]]])
        inside = offset < at_folded[j] + width
        return at_text[j] if inside else at_text[j] + 1 + offset - at_folded[j] - width

    return start_of, lambda offset: start_of(offset - 1) + 1 if offset > 0 else 0


def _same(offset: int) -> int:
    return offset


@functools.cache
def _fold_tables() -> tuple[dict[str, str], str, dict[str, str], re.Pattern[str]]:
    """Python's own casefolding, inverted once per process.

    Returns, for each single folded character, the others that fold to it; the characters a case-insensitive
    byte match can miss (non-ASCII ones folding to ASCII, and every one folding to several characters); those
    several-character folds; and a pattern finding them.
    """
    sources: dict[str, str] = {}
    missable: list[str] = []
    expanding: dict[str, str] = {}
    for base in range(0, sys.maxunicode + 1, 256):
        chunk = "".join(chr(point) for point in range(base, base + 256) if not 0xD800 <= point < 0xE000)
        if chunk.casefold() == chunk:
            continue
        for char in chunk:
            fold = char.casefold()
            if len(fold) > 1:
                expanding[char] = fold
                missable.append(char)
            elif fold != char:
                sources[fold] = sources.get(fold, "") + char
                if fold.isascii() and not char.isascii():
                    missable.append(char)
    pattern = re.compile("[" + "".join(map(re.escape, expanding)) + "]")
    return sources, "".join(missable), expanding, pattern


def _hyperscan() -> Any:
    """The hyperscan module, or None when it is not installed."""
    try:
        return importlib.import_module("hyperscan")
    except ImportError:
        return None


class _TokenDatabase:
    """A hyperscan database of the terms' tokens, matched case-insensitively on the UTF-8 text."""

    __slots__ = ("_db", "_error", "_missable", "_tokens")

    def __init__(self, hyperscan: Any, tokens: list[bytes]) -> None:
        sources, missable, _, _ = _fold_tables()
        self._tokens = tokens
        self._missable = len(tokens)
        self._error: type[Exception] = hyperscan.error
        ascii_flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        utf8_flags = ascii_flags | hyperscan.HS_FLAG_UTF8
        patterns = [_hs_pattern(token, sources) for token in tokens] + [_hs_class(missable)]
        flags = [ascii_flags if token.isascii() else utf8_flags for token in tokens]
        flags.append(hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8)
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(expressions=patterns, ids=list(range(len(patterns))), flags=flags)

    def present(self, text: str) -> set[bytes] | None:
        """The tokens found in `text` (a superset of its whole-word tokens), or None when only Python can tell."""
        try:
            raw = text.encode()
        except UnicodeEncodeError:
            return None
        found: list[int] = []
        try:
            self._db.scan(raw, match_event_handler=lambda ident, *_: found.append(ident))
        except self._error:
            return None
        if self._missable in found:
            return None
        return {self._tokens[ident] for ident in found}


def _hs_pattern(token: bytes, sources: dict[str, str]) -> bytes:
    """A token as a hyperscan pattern: ASCII as is (matched caselessly), other characters as every case of them."""
    if token.isascii():
        return token
    text = token.decode("utf-8", "surrogatepass")
    return b"".join(_utf8(char) if char.isascii() else _hs_class(char + sources.get(char, "")) for char in text)


def _hs_class(chars: str) -> bytes:
    return ("[" + "".join(f"\\x{{{ord(char):x}}}" for char in chars) + "]").encode()
