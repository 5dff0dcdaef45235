"""Identity helpers: key extraction, fingerprints, display prefixes, client families."""

from __future__ import annotations

import pytest

from conduit.core.identity import Identifier, client_family, display_prefix, fingerprint, presented_key


def test_presented_key_prefers_x_api_key_then_bearer() -> None:
    assert presented_key("sk-a", "Bearer sk-b") == "sk-a"
    assert presented_key(None, "Bearer sk-b") == "sk-b"
    assert presented_key(None, "bearer  sk-b ") == "sk-b"
    assert presented_key(None, "Basic abc") is None
    assert presented_key("", None) is None


def test_fingerprint_is_keyed_and_stable() -> None:
    assert fingerprint("sk-x", b"1" * 32) == fingerprint("sk-x", b"1" * 32)
    assert fingerprint("sk-x", b"1" * 32) != fingerprint("sk-x", b"2" * 32)
    assert "sk-x" not in fingerprint("sk-x", b"1" * 32)


@pytest.mark.parametrize(
    ("key", "prefix"),
    [
        ("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx", "sk-ant-api03-AbCd…"),
        ("sk-proj-AbCdEfGhIjKlMnOpQrStUvWx", "sk-proj-AbCd…"),
        ("AbCdEfGhIjKlMnOpQrStUvWxYz", "AbCd…"),
        ("short-key", "sh…"),
    ],
)
def test_display_prefix_shows_vendor_prefix_and_four_characters(key: str, prefix: str) -> None:
    assert display_prefix(key) == prefix


@pytest.mark.parametrize(
    ("user_agent", "originator", "family"),
    [
        ("claude-cli/2.1.330 (external, cli)", None, "claude-code"),
        ("codex_exec/0.169.0", None, "codex"),
        ("Mozilla/5.0", "codex_cli_rs", "codex"),
        ("aider/0.86", None, "aider"),
        ("Anthropic/Python 2.12.0", None, "anthropic-sdk"),
        ("OpenAI/Python 3.54.0", None, "openai-sdk"),
        ("curl/8.5.0", None, "other"),
        (None, None, "other"),
    ],
)
def test_client_family(user_agent: str | None, originator: str | None, family: str) -> None:
    assert client_family(user_agent, originator) == family


def test_identifier_caches_and_truncates_session_ids() -> None:
    ident = Identifier(b"k" * 32).identify("sk-ant-api03-AbCdEfGhIjKlMnOpQrSt", "aider/1", None, "s" * 500)
    assert ident.client == "aider" and ident.session_id == "s" * 128 and ident.key_id
