"""Pure domain types shared by every layer: usage, events, pricing, identity, estimates.

Imports nothing but the standard library (and orjson where noted).
"""
