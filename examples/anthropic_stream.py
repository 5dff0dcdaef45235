"""Stream one Messages API reply through Conduit with the official Anthropic SDK, printing text as it arrives.

Env: ANTHROPIC_BASE_URL (default http://127.0.0.1:8080/anthropic), ANTHROPIC_API_KEY, CONDUIT_EXAMPLE_MODEL.
Conduit passes the SSE stream through chunk by chunk and reads usage from message_start and message_delta.
"""

from __future__ import annotations

import os

import anthropic

client = anthropic.Anthropic(
    base_url=os.environ.get("ANTHROPIC_BASE_URL", "http://127.0.0.1:8080/anthropic"),
    api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-your-key"),
    max_retries=0,
)
with client.messages.stream(
    model=os.environ.get("CONDUIT_EXAMPLE_MODEL", "claude-sonnet-4-6"),
    max_tokens=256,
    messages=[{"role": "user", "content": "Stream a haiku about budgets."}],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    message = stream.get_final_message()
print()
print(f"usage: input_tokens={message.usage.input_tokens} output_tokens={message.usage.output_tokens}")
