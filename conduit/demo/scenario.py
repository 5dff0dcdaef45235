"""The demo's cast: teams, engineers with their agents and limits, governance rules, and the scripted opening
in which every kind of incident (blocked model, secret, sensitive name, exhausted budget) happens at least once.

Pure values; imports only the standard library.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CLAUDE_CODE = "claude-code"
CODEX = "codex"
ANTHROPIC_SDK = "anthropic-sdk"
OPENAI_SDK = "openai-sdk"
CLIENTS = (CLAUDE_CODE, CODEX, ANTHROPIC_SDK, OPENAI_SDK)

NORMAL = "normal"
SECRET = "secret"
BLOCKED_MODEL = "blocked_model"
ENTITY = "entity"

_AWS_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True, slots=True)
class TeamPlan:
    """A team in the demo's conduit.toml: its daily budget and allowed model patterns."""

    name: str
    budget_usd: float
    models: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Engineer:
    """One engineer: the agent they use, its model, how often they send (`weight`) and their key's limits."""

    name: str
    team: str
    client: str
    model: str
    weight: float
    budget_usd: float | None = None
    models: tuple[str, ...] = ()
    blocked_model: str = ""


@dataclass(frozen=True, slots=True)
class Beat:
    """One scripted request of the opening: who sends it and what is special about it."""

    engineer: str
    kind: str = NORMAL


@dataclass(frozen=True, slots=True)
class Scenario:
    """The whole cast, the org budget, governance rules and the scripted opening."""

    teams: tuple[TeamPlan, ...]
    engineers: tuple[Engineer, ...]
    org_budget_usd: float
    blocked_categories: tuple[str, ...]
    entities: tuple[str, ...]
    opening: tuple[Beat, ...]

    def engineer(self, name: str) -> Engineer:
        """The engineer called `name`."""
        return next(person for person in self.engineers if person.name == name)


SCENARIO = Scenario(
    teams=(
        TeamPlan("platform", 40.0, ("claude-*", "gpt-5*")),
        TeamPlan("payments", 0.2, ("claude-*",)),
        TeamPlan("data", 15.0, ("gpt-5*", "claude-sonnet-*", "claude-haiku-*")),
    ),
    engineers=(
        Engineer("alice", "platform", CLAUDE_CODE, "claude-opus-4-8", 3.0),
        Engineer("bob", "platform", CODEX, "gpt-5.3-codex", 2.0),
        Engineer("chen", "platform", CLAUDE_CODE, "claude-sonnet-4-6", 2.0),
        Engineer("dana", "payments", CLAUDE_CODE, "claude-opus-4-8", 2.0, budget_usd=0.12),
        Engineer("femi", "payments", CLAUDE_CODE, "claude-sonnet-4-6", 2.0),
        Engineer("eve", "payments", ANTHROPIC_SDK, "claude-haiku-4-5", 1.5),
        Engineer("farid", "data", OPENAI_SDK, "gpt-5-mini", 1.5, models=("gpt-5-mini", "gpt-5-nano"),
                 blocked_model="gpt-5.5-pro"),
        Engineer("gita", "data", CODEX, "gpt-5.1-codex", 1.5),
    ),
    org_budget_usd=250.0,
    blocked_categories=("aws_access_key", "aws_secret_key", "private_key", "github_token"),
    entities=("Project Falcon", "Acme Corp", "Globex"),
    opening=(
        Beat("farid", BLOCKED_MODEL),
        Beat("dana"),
        Beat("alice"),
        Beat("chen", SECRET),
        Beat("dana"),
        Beat("bob", ENTITY),
        Beat("eve"),
        Beat("dana"),
        Beat("gita"),
        Beat("dana"),
        Beat("farid"),
        Beat("dana"),
        Beat("eve"),
        Beat("dana"),
        Beat("dana"),
        Beat("dana"),
    ),
)


def fake_aws_key(seed: int) -> str:
    """An AWS access key id that is made up at run time from `seed`: format-valid, so the detectors catch it,
    but belonging to no account."""
    rng = random.Random(f"conduit-demo-aws-{seed}")
    return "AKIA" + "".join(rng.choice(_AWS_ID_ALPHABET) for _ in range(16))
