"""Wire-format adapters, one per provider API family, looked up by the `api` name used in conduit.toml.

Adapters are pure (bytes and strings in, domain values out) and import no aiohttp.
"""

from __future__ import annotations

from conduit.providers.anthropic import AnthropicAdapter
from conduit.providers.base import Adapter
from conduit.providers.openai import OpenAIAdapter

_ADAPTERS: dict[str, Adapter] = {"anthropic": AnthropicAdapter(), "openai": OpenAIAdapter()}


def adapter_for(api: str) -> Adapter:
    """The shared adapter for `api` (`anthropic` or `openai`); raises ValueError for any other name."""
    adapter = _ADAPTERS.get(api)
    if adapter is None:
        known = ", ".join(sorted(_ADAPTERS))
        raise ValueError(f"unknown provider api {api!r}; expected one of: {known}")
    return adapter
