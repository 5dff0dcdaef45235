"""Read `conduit.toml` into a validated `Config`, or raise one `ConfigError` naming file, line and key.

Every bad value is an error with a fix in its message; nothing falls back to a default silently.
Imports the standard library and `conduit.config` / `conduit.core` only.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from conduit.config import schema
from conduit.config.errors import ConfigError
from conduit.config.governance import parse_governance
from conduit.config.listen import parse_listen
from conduit.config.locate import dotted
from conduit.config.policy import parse_budget_settings, parse_teams
from conduit.config.provider_auth import provider_auth
from conduit.config.schema import Config, ProviderConfig
from conduit.config.source import Source, closest
from conduit.core.price import Price

CONFIG_ENV = "CONDUIT_CONFIG"
DEFAULT_CONFIG_NAME = "conduit.toml"

_TOP_KEYS = (
    "listen", "database", "max_request_bytes", "shutdown_grace_s", "master_key_file", "providers", "pricing",
    "teams", "budget", "governance",
)
_PROVIDER_KEYS = (
    "upstream", "api", "connect_timeout_s", "read_timeout_s", "auth", "credential", "credential_header",
)
_PRICE_KEYS = ("input", "output", "cache_read", "cache_write")
_PROVIDER_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")
_API_BY_DOMAIN = {
    "anthropic.com": "anthropic",
    "openai.com": "openai",
    "openai.azure.com": "openai",
    "openrouter.ai": "openai",
    "groq.com": "openai",
    "together.xyz": "openai",
    "together.ai": "openai",
    "mistral.ai": "openai",
    "deepseek.com": "openai",
    "fireworks.ai": "openai",
    "x.ai": "openai",
    "perplexity.ai": "openai",
    "cerebras.ai": "openai",
    "deepinfra.com": "openai",
}
_API_BY_NAME = (
    ("anthropic", "anthropic"),
    ("claude", "anthropic"),
    ("openai", "openai"),
    ("gpt", "openai"),
    ("azure", "openai"),
    ("codex", "openai"),
)


def find_config_path(explicit: Path | None) -> Path:
    """The config file to use: `explicit` (`--config`), else `$CONDUIT_CONFIG`, else `./conduit.toml`."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV, "")
    return Path(from_env) if from_env else Path(DEFAULT_CONFIG_NAME)


def load_config(path: Path) -> Config:
    """Read and validate the config file at `path`; raise ConfigError for anything missing or wrong."""
    src = Source(path, _read_text(path))
    try:
        data = tomllib.loads(src.text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(path, err) from None
    src.check_keys((), data, _TOP_KEYS)
    host, port = _listen(src, data.get("listen", schema.DEFAULT_LISTEN))
    max_bytes = data.get("max_request_bytes", schema.DEFAULT_MAX_REQUEST_BYTES)
    grace_s = data.get("shutdown_grace_s", schema.DEFAULT_SHUTDOWN_GRACE_S)
    return Config(
        path=path.absolute(),
        listen_host=host,
        listen_port=port,
        database=_file(src, "database", data.get("database", schema.DEFAULT_DATABASE)),
        providers=_providers(src, data.get("providers")),
        pricing=_pricing(src, data.get("pricing", {})),
        max_request_bytes=src.positive_int(("max_request_bytes",), max_bytes, "33554432", "bytes"),
        shutdown_grace_s=src.seconds(("shutdown_grace_s",), grace_s, zero_ok=True),
        teams=parse_teams(src, data.get("teams", {})),
        budget=parse_budget_settings(src, data.get("budget", {})),
        master_key_file=_file(src, "master_key_file", data.get("master_key_file", schema.DEFAULT_MASTER_KEY_FILE)),
        governance=parse_governance(src, data.get("governance", {})),
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, "no such file; run `conduit init` to create one") from None
    except IsADirectoryError:
        raise ConfigError(path, "is a folder, not a file; point --config at the conduit.toml inside it") from None
    except UnicodeDecodeError as err:
        raise ConfigError(path, f"is not UTF-8 text (bad byte at offset {err.start}); save it as UTF-8") from None
    except OSError as err:
        raise ConfigError(path, f"cannot be read ({err.strerror}); check its permissions") from None


def _syntax_error(path: Path, err: tomllib.TOMLDecodeError) -> ConfigError:
    match = _TOML_POSITION.match(str(err))
    if match is None:
        return ConfigError(path, f"invalid TOML: {err}; fix the syntax")
    if match.group("line") is None:
        return ConfigError(path, f"invalid TOML: {match.group('msg')} at the end of the file; fix the syntax there")
    where = f"at column {match.group('column')}"
    message = f"invalid TOML: {match.group('msg')} {where}; fix the syntax on that line"
    return ConfigError(path, message, line=int(match.group("line")))


def _listen(src: Source, value: object) -> tuple[str, int]:
    text = src.string(("listen",), value, '"127.0.0.1:8080"')
    try:
        return parse_listen(text)
    except ValueError as err:
        raise src.error(("listen",), str(err)) from None


def _file(src: Source, key: str, value: object) -> Path:
    """The file named by the top-level `key`; a relative path is relative to the config file's folder."""
    file = Path(src.string((key,), value, '"conduit.db"' if key == "database" else '"conduit.key"')).expanduser()
    if file.is_absolute():
        return file
    return src.path.absolute().parent / file


def _providers(src: Source, value: object) -> Mapping[str, ProviderConfig]:
    example = '[providers.anthropic] with upstream = "https://api.anthropic.com"'
    tables = src.table(("providers",), {} if value is None else value, example)
    if not tables:
        raise src.error(("providers",), f"no providers configured; add a table such as {example}")
    return MappingProxyType({key: _provider(src, key, table) for key, table in tables.items()})


def _provider(src: Source, key: str, value: object) -> ProviderConfig:
    keys = ("providers", key)
    if not _PROVIDER_NAME.fullmatch(key):
        raise src.error(keys, "provider names become URL paths (/<name>/...): use lowercase letters, digits, "
                              "'-' and '_', starting with a letter or digit")
    if key in schema.RESERVED_PROVIDER_KEYS:
        raise src.error(keys, f"`{key}` is reserved for Conduit's own endpoints (/healthz, /readyz and /metrics "
                              f"answer on the proxy's address); choose another provider name, e.g. `{key}-api`")
    table = src.table(keys, value, f'[providers.{key}] with upstream = "https://..."')
    src.check_keys(keys, table, _PROVIDER_KEYS)
    if "upstream" not in table:
        raise src.error(keys, 'has no upstream; add upstream = "https://api.example.com"')
    upstream = _upstream(src, (*keys, "upstream"), table["upstream"])
    api = _api(src, keys, table.get("api"), upstream)
    auth = provider_auth(src, keys, table, upstream, api)
    connect_s, read_s = schema.DEFAULT_CONNECT_TIMEOUT_S, schema.DEFAULT_READ_TIMEOUT_S
    return ProviderConfig(
        key=key,
        upstream=upstream,
        api=api,
        connect_timeout_s=src.seconds((*keys, "connect_timeout_s"), table.get("connect_timeout_s", connect_s)),
        read_timeout_s=src.seconds((*keys, "read_timeout_s"), table.get("read_timeout_s", read_s)),
        auth=auth.mode,
        credential=auth.credential,
        credential_header=auth.header,
    )


def _upstream(src: Source, keys: tuple[str, ...], value: object) -> str:
    """The upstream base URL without one trailing slash; its text never appears in an error (it may hold a key)."""
    text = src.string(keys, value, '"https://api.anthropic.com"')
    shape = "must look like https://host[:port][/path]"
    if any(char.isspace() for char in text):
        raise src.error(keys, f"{shape} with no spaces")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise src.error(keys, f"{shape}; check the brackets around an IPv6 host") from None
    if parts.scheme not in ("http", "https") or not text.startswith(f"{parts.scheme}://"):
        raise src.error(keys, f"{shape}; it must start with https:// or http://")
    if "@" in parts.netloc:
        raise src.error(keys, f"{shape}; remove the user:password@ part (credentials do not belong in the URL)")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise src.error(keys, f"{shape}; remove the ?query or #fragment part")
    try:
        port_ok = parts.hostname is not None and (parts.port is None or parts.port > 0)
    except ValueError:
        port_ok = False
    if not port_ok:
        raise src.error(keys, f"{shape}; it needs a host name and, if given, a port from 1 to 65535")
    return text[:-1] if text.endswith("/") else text


def _api(src: Source, keys: tuple[str, ...], value: object, upstream: str) -> str:
    if value is not None:
        api = src.string((*keys, "api"), value, '"anthropic"')
        if api not in schema.APIS:
            close = closest(api, schema.APIS)
            hint = f' (did you mean "{close}"?)' if close else ""
            message = f'unknown api "{api}"{hint}; use "anthropic", or "openai" for any OpenAI-compatible API'
            raise src.error((*keys, "api"), message)
        return api
    inferred = infer_api(upstream, keys[-1])
    if inferred is None:
        raise src.error(keys, 'cannot tell which API this upstream speaks; add api = "anthropic" or '
                              'api = "openai" (for any OpenAI-compatible API)')
    return inferred


def infer_api(upstream: str, provider_key: str) -> str | None:
    """The API family implied by the upstream's host, failing that by the provider's name, else None."""
    host = (urlsplit(upstream).hostname or "").lower()
    for domain, api in _API_BY_DOMAIN.items():
        if host == domain or host.endswith("." + domain):
            return api
    name = provider_key.lower()
    return next((api for word, api in _API_BY_NAME if word in name), None)


def _pricing(src: Source, value: object) -> Mapping[str, Price]:
    example = '[pricing."model-name"] with input = 3.0 and output = 15.0'
    tables = src.table(("pricing",), value, example)
    return MappingProxyType({model: _price(src, model, table) for model, table in tables.items()})


def _price(src: Source, model: str, value: object) -> Price:
    keys = ("pricing", model)
    table = src.table(keys, value, f"[{dotted(keys)}] with input = 3.0 and output = 15.0 (USD per million tokens)")
    src.check_keys(keys, table, _PRICE_KEYS)
    missing = [name for name in ("input", "output") if name not in table]
    if missing:
        raise src.error(keys, f"missing {' and '.join(missing)}; add the price in USD per million tokens, "
                              f"e.g. {missing[0]} = 3.0")
    prices = {name: _usd(src, (*keys, name), table[name]) for name in _PRICE_KEYS if name in table}
    return Price(**prices)


def _usd(src: Source, keys: tuple[str, ...], value: object) -> float:
    src.typed(keys, value, float, "3.0")
    assert isinstance(value, (int, float))
    if not math.isfinite(value) or value < 0:
        raise src.error(keys, f"must be a price of zero or more USD per million tokens, not {value}")
    return float(value)
