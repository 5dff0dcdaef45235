"""`conduit export`: metadata-only usage rows as CSV, JSON or JSONL, streamed from the store in constant memory,
hashed while written, and written atomically to a file (or to stdout).

Imports the standard library, orjson, `conduit.core` and `conduit.store`; never `conduit.proxy`.
"""
