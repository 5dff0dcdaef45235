"""Maps `/<provider_key>/<rest>?<query>` to the provider's configured upstream, and nowhere else.

The target URL is the configured upstream followed by the request's path and query, byte for byte. Paths that
could step outside the upstream's base path (dot segments, empty segments, backslashes) or requests in absolute
form are refused, and the built URL's origin is checked against the configured one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from yarl import URL

from conduit.config.schema import ProviderConfig


@dataclass(frozen=True, slots=True)
class Route:
    """Where one request goes: the provider, the path relative to the upstream (no query) and the full URL."""

    provider: ProviderConfig
    path: str
    target: URL


@dataclass(frozen=True, slots=True)
class RouteError:
    """Why a request has no route: HTTP status, stable code and a message for the client."""

    status: int
    code: str
    message: str


class Router:
    """Resolves raw request targets against the configured providers."""

    __slots__ = ("_providers", "_origins", "_listing")

    def __init__(self, providers: Mapping[str, ProviderConfig]) -> None:
        self._providers = dict(providers)
        self._origins = {key: URL(p.upstream).origin() for key, p in providers.items()}
        self._listing = ", ".join(f"/{key}" for key in sorted(providers))

    @property
    def provider_keys(self) -> list[str]:
        """The configured provider keys, sorted."""
        return sorted(self._providers)

    def resolve(self, raw_target: str) -> Route | RouteError:
        """The route for a raw request target such as `/anthropic/v1/messages?beta=true`."""
        if not raw_target.startswith("/") or raw_target.startswith("//"):
            return RouteError(400, "invalid_request_target", "request target must be a path like /<provider>/…")
        path, sep, query = raw_target.partition("?")
        key, slash, rest = path[1:].partition("/")
        provider = self._providers.get(key)
        if provider is None:
            return RouteError(
                404,
                "unknown_provider",
                f"no provider {key!r} is configured; use one of: {self._listing} (see [providers] in conduit.toml)",
            )
        rest = slash + rest
        problem = _unsafe(rest)
        if problem:
            return RouteError(400, "invalid_path", f"path refused: {problem}")
        target = URL(provider.upstream + rest + sep + query, encoded=True)
        if target.origin() != self._origins[key]:
            return RouteError(400, "invalid_path", "path refused: it would leave the configured upstream")
        return Route(provider, rest, target)


def _unsafe(rest: str) -> str | None:
    """Why a provider-relative path is unsafe to append to an upstream URL, or None if it is safe."""
    if "\\" in rest:
        return "backslashes are not allowed"
    segments = rest.split("/")[1:]
    for index, segment in enumerate(segments):
        if segment == "" and index != len(segments) - 1:
            return "empty path segments (//) are not allowed"
        if "%" in segment:
            segment = unquote(segment)
            if "/" in segment or "\\" in segment:
                return "encoded slashes are not allowed"
        if segment in (".", ".."):
            return "dot segments (. and ..) are not allowed"
    return None
