"""Value checks shared by the secret detectors: Shannon entropy, and the shapes of values that only stand in
for a secret (templates, masks, documentation examples, runs and sequences). Pure: standard library only.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_TEMPLATE = re.compile(r"\$\{|\$\(|\{\{|\}\}|<[^<>]*>|%\(|%[sd]\b|\[\[|^\$[A-Za-z_]|^%[A-Za-z_]+%$")
_MASK = re.compile(r"(?i)x{4,}|\*{3,}|#{3,}|\.{3,}|•{2,}|0{8,}|(.)\1{7,}")
_EXAMPLE_WORDS = re.compile(
    r"(?i)example|sample|dummy|placeholder|changeme|change[_-]me|your[_-]|yourkey|yoursecret|insert[_-]?"
    r"|redacted|replace[_-]?me|fake|not[_-]?a[_-]?(?:real|secret)|secret[_-]?here|key[_-]?here|token[_-]?here"
    r"|password[_-]?here|_here\b|todo|tbd|lorem"
)
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "0123456789", "9876543210",
              "qwertyuiop", "asdfghjkl")
_RUN = 6
_RUNS = frozenset(seq[i:i + _RUN] for seq in _SEQUENCES for i in range(len(seq) - _RUN + 1))


def shannon_bits(value: str) -> float:
    """The Shannon entropy of `value` in bits per character (0.0 for an empty string)."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


def has_sequence(value: str) -> bool:
    """Whether `value` holds a six-character keyboard or alphabet run such as `abcdef` or `123456`."""
    lowered = value.lower()
    return any(lowered[i:i + _RUN] in _RUNS for i in range(len(lowered) - _RUN + 1))


def is_masked(value: str) -> bool:
    """Whether `value` is masked or padded: runs of `x`, `*`, `#`, dots, zeros or one repeated character."""
    return _MASK.search(value) is not None


def is_template(value: str) -> bool:
    """Whether `value` is a template or variable reference (`${VAR}`, `{{ x }}`, `<your-key>`, `%s`, `$VAR`)."""
    return _TEMPLATE.search(value) is not None


def is_example(value: str) -> bool:
    """Whether `value` names itself as an example (`EXAMPLE`, `changeme`, `your-key`, `fake`, `xxxx`...)."""
    return _EXAMPLE_WORDS.search(value) is not None


def is_repetitive(value: str) -> bool:
    """Whether a long `value` mostly repeats itself (`abcd1234abcd1234...`): few distinct three-letter windows."""
    if len(value) < 16:
        return False
    windows = len(value) - 2
    return len({value[i:i + 3] for i in range(windows)}) < 0.6 * windows


def is_placeholder(value: str) -> bool:
    """Whether `value` only stands in for a secret: a template, a mask, an example word, a run or a repeat."""
    return (is_template(value) or is_masked(value) or is_example(value) or has_sequence(value)
            or is_repetitive(value))


def char_classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters `value` uses (0 to 4)."""
    lower = upper = digit = other = 0
    for ch in value:
        if "a" <= ch <= "z":
            lower = 1
        elif "A" <= ch <= "Z":
            upper = 1
        elif "0" <= ch <= "9":
            digit = 1
        else:
            other = 1
    return lower + upper + digit + other


def looks_random(value: str, min_bits: float = 3.0) -> bool:
    """Whether a token body is neither a placeholder nor too uniform to be a generated credential."""
    if is_placeholder(value):
        return False
    return shannon_bits(value) >= min_bits and char_classes(value) >= 2
