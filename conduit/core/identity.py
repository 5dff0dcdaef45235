"""Who sent a request, in passthrough mode: a keyed fingerprint of the API key, a short display prefix, the
agent session id and the client family. The key itself is never kept.

Pure: standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from conduit.core.vkey import VirtualKey

_VENDOR_PREFIX = re.compile(r"^(?:[A-Za-z0-9]{1,8}[-_]){0,3}")
_SHOWN_CHARS = 4
_FINGERPRINT_HEX = 24
_CLIENT_MARKERS: tuple[tuple[str, str], ...] = (
    ("claude-cli", "claude-code"),
    ("claude-code", "claude-code"),
    ("codex", "codex"),
    ("aider", "aider"),
    ("anthropic/", "anthropic-sdk"),
    ("openai/", "openai-sdk"),
)


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller as recorded on an event: key fingerprint and prefix (None when no key was sent)."""

    key_id: str | None
    key_prefix: str | None
    session_id: str | None
    client: str
    key_name: str | None = None
    team: str | None = None


def presented_key(x_api_key: str | None, authorization: str | None) -> str | None:
    """The API key a client sent, from `x-api-key` or `Authorization: Bearer …` (in that order)."""
    if x_api_key:
        return x_api_key.strip() or None
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def fingerprint(key: str, secret: bytes) -> str:
    """A stable, keyed, non-reversible id for an API key (HMAC-SHA256, truncated)."""
    return hmac.new(secret, key.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()[:_FINGERPRINT_HEX]


def display_prefix(key: str) -> str:
    """The vendor prefix of a key plus its first few random characters, e.g. `sk-ant-api03-AbCd…`."""
    if len(key) < 20:
        return key[:2] + "…"
    vendor = _VENDOR_PREFIX.match(key)
    head = vendor.group(0) if vendor else ""
    if len(head) > 16:
        head = head[:16]
    return key[: len(head) + _SHOWN_CHARS] + "…"


def client_family(user_agent: str | None, originator: str | None = None) -> str:
    """The client family (claude-code, codex, aider, anthropic-sdk, openai-sdk, other) from the user-agent."""
    if originator and "codex" in originator.lower():
        return "codex"
    ua = (user_agent or "").lower()
    for marker, family in _CLIENT_MARKERS:
        if marker in ua:
            return family
    return "other"


class Identifier:
    """Turns request headers into an Identity; remembers fingerprints so the HMAC runs once per key."""

    __slots__ = ("_secret", "_known")

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._known: dict[str, tuple[str, str]] = {}

    def identify(
        self,
        key: str | None,
        user_agent: str | None,
        originator: str | None,
        session_id: str | None,
    ) -> Identity:
        """The Identity for one request's key, user-agent, `originator` and session-id headers."""
        key_id = prefix = None
        if key is not None:
            known = self._known.get(key)
            if known is None:
                if len(self._known) > 4096:
                    self._known.clear()
                known = self._known[key] = (fingerprint(key, self._secret), display_prefix(key))
            key_id, prefix = known
        return Identity(key_id, prefix, _session(session_id), client_family(user_agent, originator))

    @staticmethod
    def virtual(key: VirtualKey, user_agent: str | None, originator: str | None, session_id: str | None) -> Identity:
        """The Identity of a request made with a virtual key: its id, prefix, owner and team."""
        return Identity(key.id, key.key_prefix, _session(session_id), client_family(user_agent, originator),
                        key.name, key.team)


def _session(session_id: str | None) -> str | None:
    """An agent session id, bounded in length."""
    return session_id[:128] if session_id else None
