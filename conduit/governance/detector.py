"""The shape of one secret detector: literal anchors, a hyperscan-safe core regex, a stricter Python regex checked
at each anchor, and an optional validator on the matched value. Pure: standard library and `entropy` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from conduit.governance.entropy import is_placeholder, looks_random

Validator = Callable[[re.Match[str]], bool]

END = r"(?![A-Za-z0-9_])"
"""Right edge of a token whose alphabet is letters and digits: no letter, digit or `_` may follow."""

END_WORD = r"(?![A-Za-z0-9_-])"
"""Right edge of a token that may hold `_` or `-`: none of those may follow either."""

_ESCAPE_BEFORE = re.compile(r"\\(?:[ntrbf]|u[0-9A-Fa-f]{4})\Z")


@dataclass(frozen=True, slots=True)
class Detector:
    """One kind of secret: where it can start (`prefixes`), its shape (`core`, `strict`) and how it is checked.

    `strict` is matched where a token can start: at each occurrence of a prefix, or up to `lead_max` letters,
    digits or `lead` characters before it. `core` (no lookarounds, hyperscan syntax) must match there whenever
    `strict` does, so an engine may use it to skip hopeless anchors and the result never depends on the engine.
    With `edge`, a token glued to a letter, digit, `_` or `glue` character on its left is not one. The finding
    is the `secret` group if `strict` has one, else the whole match, and only if `validate` accepts the match.
    """

    name: str
    category: str
    prefixes: tuple[str, ...]
    core: str
    strict: str
    caseless: bool = False
    lead: str = ""
    lead_max: int = 0
    edge: bool = True
    glue: str = ""
    validate: Validator | None = None
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flags = re.ASCII | (re.IGNORECASE if self.caseless else 0)
        object.__setattr__(self, "core", shortest_tail(self.core))
        object.__setattr__(self, "compiled", re.compile(self.strict, flags))

    def start_of(self, text: str, anchor: int) -> int:
        """Where a token whose anchor is at `anchor` begins: up to `lead_max` glued characters earlier."""
        start, floor = anchor, max(0, anchor - self.lead_max)
        while start > floor and _is_lead(text[start - 1], self.lead):
            start -= 1
        return start

    def match_at(self, text: str, start: int) -> tuple[int, int] | None:
        """The span of the secret if a token of this kind starts at `start`, else None."""
        if self.edge and not left_edge_ok(text, start, self.glue):
            return None
        m = self.compiled.match(text, start)
        if m is None or (self.validate is not None and not self.validate(m)):
            return None
        if "secret" in self.compiled.groupindex:
            return m.span("secret")
        return m.span()


def _is_lead(ch: str, extra: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in extra)


def left_edge_ok(text: str, start: int, glue: str = "") -> bool:
    """Whether a token starting at `start` is not glued to a letter, digit, `_` or `glue` character on its left.

    A JSON escape such as `\\n` or `\\u0022` just before the token does not count as glue.
    """
    if start == 0:
        return True
    prev = text[start - 1]
    if prev in glue or prev == "_":
        return False
    if not (prev.isascii() and prev.isalnum()):
        return True
    return _ESCAPE_BEFORE.search(text, max(0, start - 6), start) is not None


def token(name: str, category: str, prefixes: tuple[str, ...], body: str, *, end: str = END,
          validate: Validator | None = None, caseless: bool = False, core: str | None = None) -> Detector:
    """A detector for `prefix + body`: the strict form adds the right edge `end`, the core is `prefix + core`
    (by default `body` with a final `{n,m}` cut to `{n}`)."""
    head = "(?:" + "|".join(re.escape(p) for p in prefixes) + ")"
    core_body = shortest_tail(body) if core is None else core
    return Detector(name, category, prefixes, head + core_body, head + body + end, caseless=caseless,
                    validate=validate if validate is not None else body_is_random)


_TAIL_RANGE = re.compile(r"\{(\d+),\d*\}$")


def shortest_tail(body: str) -> str:
    """`body` with a final `{n,m}` repeat cut to `{n}`: enough to find where a token starts, and one report."""
    return _TAIL_RANGE.sub(lambda m: "{" + m.group(1) + "}", body)


def body_is_random(m: re.Match[str]) -> bool:
    """Whether the whole match is not a placeholder (`xxxx`, `EXAMPLE`, `${VAR}`, alphabet runs)."""
    return not is_placeholder(m.group())


def random_after(prefix_len: int, min_bits: float = 3.0) -> Validator:
    """A validator requiring the part after the first `prefix_len` characters to look generated."""

    def check(m: re.Match[str]) -> bool:
        return looks_random(m.group()[prefix_len:], min_bits)

    return check
