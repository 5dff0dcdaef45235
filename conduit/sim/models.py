"""The model lists of the simulated provider, in the Anthropic and the OpenAI shape, built once at import.

Imports only the standard library and orjson.
"""

from __future__ import annotations

import orjson

from conduit.sim.turn import FIXED_CREATED_S

ANTHROPIC_MODELS = (
    ("claude-opus-4-8", "Claude Opus 4.8"),
    ("claude-sonnet-4-6", "Claude Sonnet 4.6"),
    ("claude-haiku-4-5", "Claude Haiku 4.5"),
)
OPENAI_MODELS = ("gpt-5", "gpt-5-mini", "gpt-5-codex", "text-embedding-3-small")

ANTHROPIC_MODELS_BODY = orjson.dumps(
    {
        "data": [
            {
                "type": "model",
                "id": model_id,
                "display_name": name,
                "created_at": "2026-01-01T00:00:00Z",
                "lifecycle": "active",
                "max_input_tokens": 200000,
                "max_tokens": 64000,
            }
            for model_id, name in ANTHROPIC_MODELS
        ],
        "has_more": False,
        "first_id": ANTHROPIC_MODELS[0][0],
        "last_id": ANTHROPIC_MODELS[-1][0],
    }
)
OPENAI_MODELS_BODY = orjson.dumps(
    {
        "object": "list",
        "data": [
            {"id": model_id, "object": "model", "created": FIXED_CREATED_S, "owned_by": "system"}
            for model_id in OPENAI_MODELS
        ],
    }
)
