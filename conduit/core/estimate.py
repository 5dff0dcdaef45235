"""Token estimates for when a provider never reported usage (cut streams, clients that did not ask for it).

Pure arithmetic on character counts; imports only the standard library.
"""

from __future__ import annotations

import re

CHARS_PER_TOKEN = 4

# UTF-8 continuation bytes: deleting them leaves one byte per character.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_ESCAPE = re.compile(rb"\\(?:u[0-9a-fA-F]{4}|.)", re.DOTALL)


def estimate_tokens(chars: int) -> int:
    """Roughly how many tokens `chars` characters of text make: one per four characters, rounded up."""
    if chars <= 0:
        return 0
    return -(-chars // CHARS_PER_TOKEN)


def json_string_chars(raw: bytes) -> int:
    """How many characters the body of a JSON string literal stands for, counted without decoding it.

    `raw` is the UTF-8 text between the quotes; each escape (`\\n`, `\\"`, `\\u00e9`) counts as one character.
    """
    chars = len(raw.translate(None, _CONTINUATION_BYTES))
    if b"\\" in raw:
        for escape in _ESCAPE.finditer(raw):
            chars -= len(escape.group()) - 1
    return chars
