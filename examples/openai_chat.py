"""Send one Chat Completions request through Conduit with the official OpenAI SDK, streamed with usage.

Env: OPENAI_BASE_URL (default http://127.0.0.1:8080/openai/v1), OPENAI_API_KEY, CONDUIT_EXAMPLE_MODEL.
Chat Completions streams carry usage only when asked (`stream_options.include_usage`); without it Conduit
records an estimate.
"""

from __future__ import annotations

import os

import openai

client = openai.OpenAI(
    base_url=os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8080/openai/v1"),
    api_key=os.environ.get("OPENAI_API_KEY", "sk-your-key"),
    max_retries=0,
)
stream = client.chat.completions.create(
    model=os.environ.get("CONDUIT_EXAMPLE_MODEL", "gpt-5-mini"),
    messages=[{"role": "user", "content": "In one sentence: why meter AI agents?"}],
    stream=True,
    stream_options={"include_usage": True},
)
usage = None
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
    if chunk.usage is not None:
        usage = chunk.usage
print()
assert usage is not None, "the stream carried no usage"
print(f"usage: input_tokens={usage.prompt_tokens} output_tokens={usage.completion_tokens}")
