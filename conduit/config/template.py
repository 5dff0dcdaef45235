"""The commented `conduit.toml` that `conduit init` writes; `conduit.toml.example` is a copy of it.

Imports nothing.
"""

from __future__ import annotations

TEMPLATE = """\
# conduit.toml: where Conduit listens, where it records usage, and which providers it forwards to.
# Check it with `conduit config check`; run the proxy with `conduit proxy`.

# Address the proxy listens on, as host:port (an IPv6 address goes in brackets: "[::1]:8080").
# Loopback only by default; "0.0.0.0:8080" lets other machines reach it, so use it only if you mean it.
listen = "127.0.0.1:8080"

# SQLite file for usage events: tokens, cost, status and timings, never prompts or completions.
# A relative path is relative to the folder this file is in.
database = "conduit.db"

# Largest request body accepted, in bytes (32 MiB); a larger one is refused with HTTP 413.
max_request_bytes = 33554432

# Seconds that in-flight streams may take to finish after Ctrl-C or SIGTERM.
shutdown_grace_s = 30

# One [providers.<name>] table per upstream: a request to http://127.0.0.1:8080/<name>/<path>
# is forwarded to <upstream>/<path>. Names use lowercase letters, digits, "-" and "_".
#   upstream           the provider's base URL: https://host[:port][/path], no query string
#   api                its wire format: "anthropic", or "openai" for any OpenAI-compatible API;
#                      when omitted it is inferred from the upstream's host or the provider's name
#   connect_timeout_s  seconds to wait for a connection to the upstream (default 10)
#   read_timeout_s     seconds to wait for the upstream to send more of its response (default 600)

# Claude Code, aider and the Anthropic SDK:
#   ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic
[providers.anthropic]
upstream = "https://api.anthropic.com"
api = "anthropic"
connect_timeout_s = 10
read_timeout_s = 600

# The OpenAI SDK and aider; clients add /v1 themselves, so the upstream has none:
#   OPENAI_BASE_URL=http://127.0.0.1:8080/openai/v1
[providers.openai]
upstream = "https://api.openai.com"
api = "openai"

# Prices in USD per million tokens, for models the built-in pricing book lacks or prices differently.
# input and output are required; cache_read and cache_write default to 0.
# Quote a model name that contains dots: [pricing."gpt-4.1-custom"].
# [pricing."my-finetune"]
# input = 3.0
# output = 15.0
# cache_read = 0.3
# cache_write = 3.75
"""
