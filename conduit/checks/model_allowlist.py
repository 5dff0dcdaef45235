"""The model allow-list: a generating request may name only a model that matches its key's patterns, or, when
the key has none, its team's (the narrower list wins); no list means any model. Denials are a clear 403; the
model is never rewritten. Pure: imports the standard library, `conduit.core` and `conduit.checks.base` only.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache

from conduit.checks.base import Deny, Subject
from conduit.core.status import Status

CODE = "model_blocked"
_MODEL_CHARS_SHOWN = 200


def check_model(subject: Subject) -> Deny | None:
    """None when the request may use its model, else a 403 naming the model, the allowed patterns and whose list."""
    if not subject.generating:
        return None
    patterns, owner = _patterns_of(subject)
    if not patterns:
        return None
    model = subject.model
    if model is not None and allowed(patterns, model):
        return None
    shown = ", ".join(f"'{pattern}'" for pattern in patterns)
    what = "the request names no model" if model is None else f"model '{model[:_MODEL_CHARS_SHOWN]}' is not allowed"
    return Deny(403, Status.MODEL_BLOCKED, CODE, f"{what}: {owner} allows only {shown}")


@lru_cache(maxsize=4096)
def allowed(patterns: tuple[str, ...], model: str) -> bool:
    """True when `model` matches one of the glob `patterns` (case-sensitive, memoised per pair)."""
    return any(fnmatchcase(model, pattern) for pattern in patterns)


def _patterns_of(subject: Subject) -> tuple[tuple[str, ...], str]:
    """The patterns that apply and whose they are: the key's if it has any, else its team's."""
    key, team = subject.key, subject.team
    if key is not None and key.models:
        return key.models, f"key '{key.name}'"
    if team is not None and team.models:
        return team.models, f"team '{team.name}'"
    return (), ""
