"""The model allow-list as a table: (key patterns, team patterns, request) → allowed or a 403 that says why."""

from __future__ import annotations

import pytest

from conduit.checks.base import Subject
from conduit.checks.model_allowlist import allowed, check_model
from conduit.core.policy import Team
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey

CLAUDE = ("claude-*",)
SONNET_ONLY = ("claude-sonnet-4*",)
MIXED = ("claude-sonnet-4*", "gpt-4o", "gpt-5?-mini")


def subject(key_models: tuple[str, ...] | None, team_models: tuple[str, ...] | None, model: str | None,
            generating: bool = True) -> Subject:
    team = None if team_models is None else Team("platform", models=team_models)
    key = None if key_models is None else VirtualKey("k1", "eng1", "platform", "h", "vk_live_Ab…", models=key_models)
    return Subject(key, team, model, generating, 100, None, None, 0.0)


@pytest.mark.parametrize(("key_models", "team_models", "model", "ok"), [
    # no list anywhere: any model
    ((), (), "gpt-4o", True),
    (None, None, "anything-at-all", True),
    # the team's list applies when the key has none
    ((), CLAUDE, "claude-opus-4-5", True),
    ((), CLAUDE, "gpt-4o", False),
    (None, CLAUDE, "gpt-4o", False),
    # the key's list wins over the team's, in both directions
    (SONNET_ONLY, CLAUDE, "claude-opus-4-5", False),
    (SONNET_ONLY, CLAUDE, "claude-sonnet-4-5-20250929", True),
    (("gpt-*",), CLAUDE, "gpt-4o", True),
    (("gpt-*",), CLAUDE, "claude-sonnet-4-5", False),
    # globs: exact names, ?, character classes, and case sensitivity
    (MIXED, (), "gpt-4o", True),
    (MIXED, (), "gpt-4o-mini", False),
    (MIXED, (), "gpt-5o-mini", True),
    (MIXED, (), "gpt-5-mini", False),
    (("claude-[sh]*",), (), "claude-haiku-4-5", True),
    (("claude-[sh]*",), (), "claude-opus-4-5", False),
    (CLAUDE, (), "Claude-Opus-4-5", False),
    (CLAUDE, (), "anthropic/claude-opus-4-5", False),
    (("*/claude-*",), (), "anthropic/claude-opus-4-5", True),
])
def test_allow_list(key_models: tuple[str, ...] | None, team_models: tuple[str, ...] | None, model: str,
                    ok: bool) -> None:
    verdict = check_model(subject(key_models, team_models, model))
    if ok:
        assert verdict is None
    else:
        assert verdict is not None
        assert (verdict.http_status, verdict.status, verdict.code) == (403, Status.MODEL_BLOCKED, "model_blocked")


@pytest.mark.parametrize(("key_models", "team_models", "model", "says"), [
    (SONNET_ONLY, CLAUDE, "claude-opus-4-5",
     "model 'claude-opus-4-5' is not allowed: key 'eng1' allows only 'claude-sonnet-4*'"),
    ((), MIXED, "o3", "model 'o3' is not allowed: team 'platform' allows only 'claude-sonnet-4*', 'gpt-4o', "
                      "'gpt-5?-mini'"),
    (CLAUDE, (), None, "the request names no model: key 'eng1' allows only 'claude-*'"),
])
def test_denial_names_model_patterns_and_owner(key_models: tuple[str, ...], team_models: tuple[str, ...],
                                               model: str | None, says: str) -> None:
    verdict = check_model(subject(key_models, team_models, model))
    assert verdict is not None and verdict.message == says
    assert verdict.retry_after_s is None


def test_a_request_without_a_model_passes_when_no_list_applies() -> None:
    assert check_model(subject((), (), None)) is None


@pytest.mark.parametrize("model", [None, "text-embedding-3-small", "gpt-4o"])
def test_non_generating_endpoints_pass_under_any_list(model: str | None) -> None:
    assert check_model(subject(CLAUDE, CLAUDE, model, generating=False)) is None


def test_matches_are_memoised_per_patterns_and_model() -> None:
    allowed.cache_clear()
    for _ in range(3):
        check_model(subject(CLAUDE, (), "claude-opus-4-5"))
        check_model(subject(SONNET_ONLY, (), "claude-opus-4-5"))
    info = allowed.cache_info()
    assert (info.misses, info.hits) == (2, 4)
