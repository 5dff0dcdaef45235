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

# File holding the 256-bit master key that seals provider credentials (used by auth = "virtual"); keep it
# private. $CONDUIT_MASTER_KEY overrides it. A relative path is relative to the folder this file is in.
# master_key_file = "conduit.key"

# One [providers.<name>] table per upstream: a request to http://127.0.0.1:8080/<name>/<path>
# is forwarded to <upstream>/<path>. Names use lowercase letters, digits, "-" and "_".
#   upstream           the provider's base URL: https://host[:port][/path], no query string
#   api                its wire format: "anthropic", or "openai" for any OpenAI-compatible API;
#                      when omitted it is inferred from the upstream's host or the provider's name
#   connect_timeout_s  seconds to wait for a connection to the upstream (default 10)
#   read_timeout_s     seconds to wait for the upstream to send more of its response (default 600)
#   auth               who holds the provider key: "passthrough" (default) forwards the client's own key;
#                      "virtual" accepts only Conduit virtual keys (see `conduit keys --help`) and sends
#                      the sealed provider credential named by `credential` instead
#   credential         with auth = "virtual": the name of a credential stored with `conduit credentials set`
#   credential_header  with auth = "virtual": the header the credential goes in: "x-api-key" (default for
#                      api = "anthropic"), "authorization" (default for api = "openai"; sent as
#                      "Bearer <credential>") or "api-key" (default for hosts ending in .openai.azure.com)

# Claude Code, aider and the Anthropic SDK:
#   ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic
[providers.anthropic]
upstream = "https://api.anthropic.com"
api = "anthropic"
connect_timeout_s = 10
read_timeout_s = 600
# To give engineers virtual keys instead of the provider key:
# auth = "virtual"
# credential = "anthropic-prod"

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

# One [teams.<name>] table per team that virtual keys can belong to; every key is optional.
# Names use lowercase letters, digits, "-" and "_".
#   budget      the team's spending cap: { usd = 500, period = "month" }; period is "day", "week" or
#               "month" (default)
#   models      the models the team may use, as name patterns ("*" matches anything); empty or left out: any
#   rate_limit  { rpm = 600, tpm = 4_000_000 }: requests and tokens per minute; either may be left out
# [teams.platform]
# budget = { usd = 500, period = "month" }
# models = ["claude-*", "gpt-5*"]
# rate_limit = { rpm = 600, tpm = 4_000_000 }

# Org-wide budget settings; every key is optional.
#   usd       the spending cap in USD for all requests together; no org budget when left out
#   period    "day", "week" or "month" (default); needs usd
#   timezone  the IANA time zone that days, weeks and months are counted in (default "UTC")
#   mode      how much a request reserves against budgets before it is sent: "estimate" (default), a
#             realistic cost, or "strict", the worst case
#   unpriced  what happens to a request for a model the pricing book does not know, from a key, team or
#             org under a budget: "deny" (default) or "allow"
# [budget]
# usd = 5000
# period = "month"
# timezone = "UTC"
# mode = "estimate"
# unpriced = "deny"

# What Conduit does when a request carries a secret or one of your sensitive names. It scans the decoded
# JSON text of each request, and each category (`conduit governance categories` lists them) is "off" (not
# looked for), "alert" (sent, and the category name recorded on the event; never the value) or "block"
# (refused with HTTP 451 before anything is sent). With no [governance] table every secret category is
# "alert" and no entities are listed. Try it on a file with `conduit governance scan FILE`.
#   mode           the action of every category not named in block, alert or off (default "alert")
#   block          categories to refuse, e.g. ["aws_access_key", "private_key", "github_token"]
#   alert          categories to send but record
#   off            categories not to look for
#   entities       your organisation's own sensitive names (customers, codenames); their category is "entity"
#   entities_file  a text file with more of them, one per line ("#" starts a comment), e.g. "entities.txt";
#                  a relative path is relative to the folder this file is in; read at start and on reload
#   engine         the matcher: "auto" (default), "hyperscan" or "python"
# [governance]
# mode = "alert"
# block = ["aws_access_key", "private_key", "github_token"]
# alert = ["jwt"]
# off = ["generic_secret"]
# entities = ["Acme Corp", "Project Falcon"]
# engine = "auto"
"""
