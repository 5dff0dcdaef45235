"""Send one Responses API request through Conduit with the official OpenAI SDK (the API Codex CLI uses).

Env: OPENAI_BASE_URL (default http://127.0.0.1:8080/openai/v1), OPENAI_API_KEY, CONDUIT_EXAMPLE_MODEL.
"""

from __future__ import annotations

import os

import openai

client = openai.OpenAI(
    base_url=os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8080/openai/v1"),
    api_key=os.environ.get("OPENAI_API_KEY", "sk-your-key"),
    max_retries=0,
)
response = client.responses.create(
    model=os.environ.get("CONDUIT_EXAMPLE_MODEL", "gpt-5"),
    input="In one sentence: what is a virtual key?",
)
print(response.output_text)
assert response.usage is not None
print(f"usage: input_tokens={response.usage.input_tokens} output_tokens={response.usage.output_tokens}")
