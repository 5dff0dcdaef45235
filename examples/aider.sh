#!/usr/bin/env sh
# aider through Conduit. Pass your own key (passthrough) or a Conduit virtual key.
# OpenAI models: Chat Completions through /openai/v1. aider never asks for stream usage, so Conduit
# records estimated token counts for its streamed replies (tokens_estimated = 1).
aider --model gpt-5 \
    --openai-api-base http://127.0.0.1:8080/openai/v1 \
    --openai-api-key "${OPENAI_API_KEY:?set OPENAI_API_KEY}" \
    "$@"

# Anthropic models instead: the Messages API through /anthropic (sent with x-api-key).
#   ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic aider --model sonnet --anthropic-api-key "$ANTHROPIC_API_KEY"
