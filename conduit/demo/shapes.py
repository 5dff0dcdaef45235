"""The demo's requests in the shapes real clients send: Claude Code turns (Anthropic Messages, streaming, a
growing history, `x-claude-code-session-id`), Codex turns (Responses API, `session-id`, `originator`), and
one-shot Anthropic and OpenAI SDK calls, streaming or not.

Pure builders of bytes and headers; imports the standard library, orjson and the demo's own modules.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from conduit.demo import filler
from conduit.demo.scenario import (
    ANTHROPIC_SDK,
    BLOCKED_MODEL,
    CLAUDE_CODE,
    CODEX,
    ENTITY,
    SECRET,
    Engineer,
)

CLAUDE_CODE_AGENT = "claude-cli/2.1.330 (external, cli)"
CODEX_AGENT = "codex_exec/0.169.0 (Ubuntu 24.4.0; x86_64) xterm-256color (codex-exec; 0.169.0)"
ANTHROPIC_SDK_AGENT = "Anthropic/Python 2.12.0"
OPENAI_SDK_AGENT = "OpenAI/Python 3.54.0"
_BETAS = "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"


@dataclass(frozen=True, slots=True)
class WireRequest:
    """One HTTP request for the proxy: provider key, path after it, headers, body, and whether it streams."""

    provider: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    stream: bool


@dataclass(slots=True)
class AgentSession:
    """One engineer's conversation so far, in their client's wire form; restarts (a new id) after `length` turns."""

    engineer: Engineer
    session_id: str
    length: int
    history: list[Any] = field(default_factory=list)
    turns: int = 0


@dataclass(frozen=True, slots=True)
class Turn:
    """The next request of a session and the history to keep if it succeeds."""

    request: WireRequest
    history: list[Any]


def new_session(engineer: Engineer, rng: random.Random) -> AgentSession:
    """A fresh session for `engineer` that lasts 6 to 18 turns."""
    return AgentSession(engineer, str(uuid.UUID(int=rng.getrandbits(128), version=4)), rng.randint(6, 18))


def next_turn(session: AgentSession, key: str, rng: random.Random, kind: str, secret: str) -> Turn:
    """The session's next request; `kind` adds a scripted incident, and `secret` is the fake key it may carry."""
    client = session.engineer.client
    if client == CLAUDE_CODE:
        return _claude_code(session, key, rng, kind, secret)
    if client == CODEX:
        return _codex(session, key, rng, kind)
    if client == ANTHROPIC_SDK:
        return Turn(_anthropic_sdk(session.engineer, key, rng), session.history)
    return Turn(_openai_sdk(session.engineer, key, rng, kind), session.history)


def _claude_code(session: AgentSession, key: str, rng: random.Random, kind: str, secret: str) -> Turn:
    history = _claude_code_history(session.history, rng, kind, secret)
    engineer = session.engineer
    doc = {
        "model": engineer.model,
        "max_tokens": 32000,
        "system": [
            {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."},
            {"type": "text", "text": filler.agent_instructions("Claude Code", 24000),
             "cache_control": {"type": "ephemeral"}},
        ],
        "messages": history,
        "tools": [{"name": name, "description": text, "input_schema": {"type": "object", "properties": {
            "file_path": {"type": "string"}}}} for name, text in filler.tool_specs("Claude Code", 10)],
        "metadata": {"user_id": orjson.dumps({"device_id": engineer.name, "session_id": session.session_id}).decode()},
        "stream": True,
    }
    headers = {
        "x-api-key": key,
        "anthropic-version": "2023-06-01",
        "anthropic-beta": _BETAS,
        "x-claude-code-session-id": session.session_id,
        "user-agent": CLAUDE_CODE_AGENT,
        "x-app": "cli",
        **_sim_knobs(rng, 80, 500),
    }
    return Turn(WireRequest("anthropic", "/v1/messages?beta=true", headers, orjson.dumps(doc), True), history)


def _claude_code_history(before: list[Any], rng: random.Random, kind: str, secret: str) -> list[Any]:
    """The messages of the next turn: the engineer's ask first, then the tool the agent ran and its result."""
    history = list(before)
    if not history:
        history.append({"role": "user", "content": [{"type": "text", "text": filler.ask(rng)}]})
        if kind != SECRET:
            return history
    call_id = "toolu_01" + uuid.UUID(int=rng.getrandbits(128)).hex[:22]
    tool, output = _tool_step(rng, kind, secret)
    history.append({"role": "assistant", "content": [
        {"type": "text", "text": filler.prose(rng, 12)},
        {"type": "tool_use", "id": call_id, "name": tool, "input": {"file_path": filler.file_name(rng)}},
    ]})
    history.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": call_id, "content": output}]})
    return history


def _tool_step(rng: random.Random, kind: str, secret: str) -> tuple[str, str]:
    """The tool an agent ran last turn and its output; a SECRET beat reads a `.env` file holding the fake key."""
    if kind == SECRET:
        return "Read", f"AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID={secret}\nLOG_LEVEL=debug\n"
    if rng.random() < 0.4:
        return "Bash", filler.terminal_output(rng, rng.randint(10, 40))
    return "Read", filler.source_file(rng, rng.randint(30, 120))


def _codex(session: AgentSession, key: str, rng: random.Random, kind: str) -> Turn:
    history = _codex_history(session.history, rng, kind)
    doc = {
        "model": session.engineer.model,
        "instructions": filler.agent_instructions("Codex", 16000),
        "input": [{"type": "message", "role": "developer",
                   "content": [{"type": "input_text", "text": filler.agent_instructions("Codex sandbox", 1500)}]},
                  *history],
        "tools": [{"type": "function", "name": name, "description": text, "strict": False,
                   "parameters": {"type": "object", "properties": {}}}
                  for name, text in filler.tool_specs("Codex", 5)],
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "reasoning": {"effort": "medium", "summary": "auto"},
        "store": False,
        "stream": True,
        "include": ["reasoning.encrypted_content"],
        "prompt_cache_key": session.session_id,
    }
    headers = {
        "authorization": f"Bearer {key}",
        "session-id": session.session_id,
        "originator": "codex_exec",
        "user-agent": CODEX_AGENT,
        "accept": "text/event-stream",
        **_sim_knobs(rng, 100, 500),
    }
    return Turn(WireRequest("openai", "/v1/responses", headers, orjson.dumps(doc), True), history)


def _codex_history(before: list[Any], rng: random.Random, kind: str) -> list[Any]:
    """The input items of the next turn: the last shell call and its output, then the engineer's next ask
    (naming the org's customer and codename on an ENTITY beat)."""
    history = list(before)
    ask = filler.ask(rng)
    if kind == ENTITY:
        ask = "Check the Project Falcon export against the fields Acme Corp asked for. " + ask
    if history:
        call_id = "call_" + uuid.UUID(int=rng.getrandbits(128)).hex[:24]
        command = orjson.dumps({"command": ["bash", "-lc", "pytest -q"]}).decode()
        history.append({"type": "function_call", "name": "shell", "arguments": command, "call_id": call_id})
        history.append({"type": "function_call_output", "call_id": call_id,
                        "output": filler.terminal_output(rng, rng.randint(8, 30))})
    history.append({"type": "message", "role": "user", "content": [{"type": "input_text", "text": ask}]})
    return history


def _anthropic_sdk(engineer: Engineer, key: str, rng: random.Random) -> WireRequest:
    stream = rng.random() < 0.5
    doc = {
        "model": engineer.model,
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Summarise this support ticket in one line: "
                      + filler.prose(rng, rng.randint(80, 400))}],
        **({"stream": True} if stream else {}),
    }
    headers = {
        "authorization": f"Bearer {key}",
        "anthropic-version": "2023-06-01",
        "user-agent": ANTHROPIC_SDK_AGENT,
        "x-stainless-lang": "python",
        **_sim_knobs(rng, 30, 200),
    }
    return WireRequest("anthropic", "/v1/messages", headers, orjson.dumps(doc), stream)


def _openai_sdk(engineer: Engineer, key: str, rng: random.Random, kind: str) -> WireRequest:
    stream = rng.random() < 0.6
    model = engineer.blocked_model if kind == BLOCKED_MODEL and engineer.blocked_model else engineer.model
    doc: dict[str, Any] = {
        "model": model,
        "messages": [
            {"role": "system", "content": "You label data quality issues in CSV rows."},
            {"role": "user", "content": filler.prose(rng, rng.randint(60, 300))},
        ],
    }
    if stream:
        doc["stream"] = True
        if rng.random() < 0.7:
            doc["stream_options"] = {"include_usage": True}
    headers = {"authorization": f"Bearer {key}", "user-agent": OPENAI_SDK_AGENT, "x-stainless-lang": "python",
               **_sim_knobs(rng, 30, 250)}
    return WireRequest("openai", "/v1/chat/completions", headers, orjson.dumps(doc), stream)


def _sim_knobs(rng: random.Random, low_tokens: int, high_tokens: int) -> dict[str, str]:
    """The simulated provider's per-request knobs: reply length, time to first byte and pace of the stream."""
    return {
        "x-sim-output-tokens": str(rng.randint(low_tokens, high_tokens)),
        "x-sim-latency-ms": str(rng.randint(120, 650)),
        "x-sim-chunk-delay-ms": str(rng.choice((1, 2, 3, 4))),
    }
