"""Send one Messages API request through Conduit with the official Anthropic SDK and print the reply and usage.

Env: ANTHROPIC_BASE_URL (default http://127.0.0.1:8080/anthropic — no /v1, the SDK adds it), ANTHROPIC_API_KEY
(your provider key in passthrough mode, or a Conduit virtual key), CONDUIT_EXAMPLE_MODEL.
"""

from __future__ import annotations

import os

import anthropic

client = anthropic.Anthropic(
    base_url=os.environ.get("ANTHROPIC_BASE_URL", "http://127.0.0.1:8080/anthropic"),
    api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-your-key"),
    max_retries=0,
)
message = client.messages.create(
    model=os.environ.get("CONDUIT_EXAMPLE_MODEL", "claude-sonnet-4-6"),
    max_tokens=256,
    messages=[{"role": "user", "content": "In one sentence: what does a metering proxy do?"}],
)
print("".join(block.text for block in message.content if block.type == "text"))
print(f"usage: input_tokens={message.usage.input_tokens} output_tokens={message.usage.output_tokens}")
