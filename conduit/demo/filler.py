"""Made-up but plausible text for the demo's requests: source files, terminal output, prompts and tool lists,
drawn from a seeded generator so a run repeats exactly. None of it looks like a secret or a sensitive name.

Pure; imports only the standard library.
"""

from __future__ import annotations

import random
from functools import lru_cache

_NOUNS = (
    "invoice", "ledger", "account", "order", "shipment", "report", "cache", "session", "queue", "worker",
    "schedule", "customer", "payment", "refund", "widget", "metric", "event", "batch", "record", "profile",
)  # fmt: skip
_VERBS = (
    "load", "save", "build", "check", "merge", "split", "render", "fetch", "update", "parse", "retry", "format",
)  # fmt: skip
_ASKS = (
    "Fix the failing test in {file}.",
    "Refactor {file} so the {noun} logic lives in one place.",
    "Add type hints to {file} and run the tests.",
    "Why does {verb}_{noun} time out under load? Look at {file}.",
    "Write a migration that adds a {noun}_count column.",
    "Review the diff in {file} and suggest simpler names.",
    "Add retries with backoff around {verb}_{noun} in {file}.",
    "Explain what {file} does, then add docstrings.",
)
_TOOL_NAMES = ("Read", "Edit", "Write", "Bash", "Grep", "Glob", "TodoWrite", "WebFetch", "Task", "NotebookEdit")


def source_file(rng: random.Random, lines: int) -> str:
    """A Python-looking source file of about `lines` lines."""
    out: list[str] = []
    while len(out) < lines:
        noun, verb, other = rng.choice(_NOUNS), rng.choice(_VERBS), rng.choice(_NOUNS)
        out += [
            f"def {verb}_{noun}({other}: {other.title()}, limit: int = {rng.randint(2, 500)}) -> list[{noun.title()}]:",
            f'    """{verb.title()} the {noun} records of one {other}."""',
            f"    found = [item for item in {other}.{noun}s if item.size < limit]",
            f"    log.debug('{verb} %d {noun}s', len(found))",
            f"    return sorted(found, key=lambda item: item.{rng.choice(_NOUNS)}_id)",
            "",
        ]
    return "\n".join(out[:lines])


def terminal_output(rng: random.Random, lines: int) -> str:
    """Test-runner output of about `lines` lines."""
    out = [f"tests/test_{rng.choice(_NOUNS)}.py::test_{rng.choice(_VERBS)}_{rng.choice(_NOUNS)} PASSED"
           for _ in range(max(1, lines - 2))]
    out.append(f"==== {len(out)} passed in {rng.uniform(0.4, 9.0):.2f}s ====")
    return "\n".join(out)


def file_name(rng: random.Random) -> str:
    """A plausible path in a service's repository."""
    return f"src/{rng.choice(_NOUNS)}s/{rng.choice(_VERBS)}_{rng.choice(_NOUNS)}.py"


def ask(rng: random.Random) -> str:
    """What an engineer types to an agent."""
    return rng.choice(_ASKS).format(file=file_name(rng), noun=rng.choice(_NOUNS), verb=rng.choice(_VERBS))


def prose(rng: random.Random, words: int) -> str:
    """A paragraph of ordinary words."""
    pool = _NOUNS + _VERBS + ("the", "a", "with", "and", "then", "for", "each", "when", "so", "it")
    return " ".join(rng.choice(pool) for _ in range(words)).capitalize() + "."


@lru_cache(maxsize=8)
def agent_instructions(agent: str, chars: int) -> str:
    """A long, fixed system prompt for `agent` (the same every request, as real agents send it)."""
    rng = random.Random(f"instructions-{agent}")
    parts = [f"You are {agent}, an interactive coding agent. Follow the repository's conventions."]
    while sum(len(part) for part in parts) < chars:
        parts.append(prose(rng, 60))
    return "\n\n".join(parts)


@lru_cache(maxsize=8)
def tool_specs(agent: str, count: int) -> tuple[tuple[str, str], ...]:
    """The agent's tools as (name, description) pairs, fixed per agent."""
    rng = random.Random(f"tools-{agent}")
    return tuple((name, prose(rng, 250)) for name in _TOOL_NAMES[:count])
