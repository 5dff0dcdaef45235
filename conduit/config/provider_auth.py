"""The auth keys of a `[providers.<key>]` table: who holds the provider key, and where a sealed one is sent.

`passthrough` forwards the client's own key; `virtual` swaps a Conduit virtual key for the sealed credential
named here. Imports the standard library and `conduit.config` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from conduit.config import schema
from conduit.config.source import Source

_AZURE_SUFFIX = ".openai.azure.com"
_HEADER_BY_API = {"anthropic": "x-api-key", "openai": "authorization"}
_VIRTUAL_ONLY = ("credential", "credential_header")


@dataclass(frozen=True, slots=True)
class ProviderAuth:
    """A provider's auth settings: the mode, the credential's name (virtual only) and its header."""

    mode: str
    credential: str | None
    header: str


def default_credential_header(upstream: str, api: str) -> str:
    """The header a sealed credential goes in when none is configured: Azure's `api-key`, else by API."""
    host = (urlsplit(upstream).hostname or "").lower()
    return "api-key" if host.endswith(_AZURE_SUFFIX) else _HEADER_BY_API[api]


def provider_auth(src: Source, keys: tuple[str, ...], table: Mapping[str, object], upstream: str,
                  api: str) -> ProviderAuth:
    """The auth settings of the provider table `table` at `keys`; raise ConfigError for a bad or missing value."""
    mode = src.choice((*keys, "auth"), table.get("auth", schema.AUTH_MODES[0]), schema.AUTH_MODES)
    default_header = default_credential_header(upstream, api)
    if mode == "passthrough":
        for key in _VIRTUAL_ONLY:
            if key in table:
                raise src.error((*keys, key), 'is only used with auth = "virtual" (in passthrough mode clients send '
                                              f'their own provider keys); add auth = "virtual" or remove {key}')
        return ProviderAuth(mode, None, default_header)
    if "credential" not in table:
        raise src.error(keys, f'has auth = "virtual" but no credential; add credential = "{keys[-1]}-prod", '
                              f"naming a credential stored with `conduit credentials set NAME --provider {keys[-1]}`")
    header = table.get("credential_header")
    return ProviderAuth(mode, _credential(src, keys, table["credential"]),
                        default_header if header is None else _header(src, keys, header))


def _credential(src: Source, keys: tuple[str, ...], value: object) -> str:
    credential_keys = (*keys, "credential")
    name = src.string(credential_keys, value, f'"{keys[-1]}-prod"')
    if not schema.CREDENTIAL_NAME.fullmatch(name):
        raise src.error(credential_keys, "credential names use lowercase letters, digits, '.', '-' and '_', "
                                         f'starting with a letter or digit, e.g. "{keys[-1]}-prod"')
    return name


def _header(src: Source, keys: tuple[str, ...], value: object) -> str:
    header_keys = (*keys, "credential_header")
    text = src.string(header_keys, value, f'"{schema.CREDENTIAL_HEADERS[0]}"')
    return src.choice(header_keys, text.lower(), schema.CREDENTIAL_HEADERS)
