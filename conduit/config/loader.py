"""Read `conduit.toml` into a validated `Config`, or raise one `ConfigError` naming file, line and key.

Every bad value is an error with a fix in its message; nothing falls back to a default silently.
Imports the standard library and `conduit.config` / `conduit.core` only.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from conduit.config import schema
from conduit.config.errors import ConfigError
from conduit.config.listen import parse_listen
from conduit.config.locate import dotted, find_line
from conduit.config.schema import Config, ProviderConfig
from conduit.core.price import Price

CONFIG_ENV = "CONDUIT_CONFIG"
DEFAULT_CONFIG_NAME = "conduit.toml"

_TOP_KEYS = ("listen", "database", "max_request_bytes", "shutdown_grace_s", "providers", "pricing")
_PROVIDER_KEYS = ("upstream", "api", "connect_timeout_s", "read_timeout_s")
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
_TYPE_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    str: "a string",
    dict: "a table",
    list: "an array",
}


def find_config_path(explicit: Path | None) -> Path:
    """The config file to use: `explicit` (`--config`), else `$CONDUIT_CONFIG`, else `./conduit.toml`."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV, "")
    return Path(from_env) if from_env else Path(DEFAULT_CONFIG_NAME)


def load_config(path: Path) -> Config:
    """Read and validate the config file at `path`; raise ConfigError for anything missing or wrong."""
    src = _Source(path, _read_text(path))
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
        database=_database(src, data.get("database", schema.DEFAULT_DATABASE)),
        providers=_providers(src, data.get("providers")),
        pricing=_pricing(src, data.get("pricing", {})),
        max_request_bytes=src.size_bytes(("max_request_bytes",), max_bytes),
        shutdown_grace_s=src.seconds(("shutdown_grace_s",), grace_s, zero_ok=True),
    )


@dataclass(frozen=True, slots=True)
class _Source:
    """The file being loaded: turns a key path and a message into a located ConfigError."""

    path: Path
    text: str

    def error(self, keys: tuple[str, ...], message: str) -> ConfigError:
        """A ConfigError for the key path `keys`, with the line where it is set when that can be found."""
        return ConfigError(self.path, message, line=find_line(self.text, keys), key=dotted(keys))

    def check_keys(self, where: tuple[str, ...], table: Mapping[str, object], allowed: tuple[str, ...]) -> None:
        """Raise for the first key of `table` not in `allowed`, suggesting the closest allowed key."""
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else "allowed keys here: " + ", ".join(allowed)
                raise self.error((*where, key), f"unknown key; {hint}")

    def typed(self, keys: tuple[str, ...], value: object, kind: type, example: str) -> None:
        """Raise unless `value` is of TOML type `kind` (booleans are never numbers)."""
        if type(value) is kind or (kind is float and type(value) is int):
            return
        got = _TYPE_NAMES.get(type(value), "a date/time")
        want = "a number" if kind is float else _TYPE_NAMES[kind]
        raise self.error(keys, f"must be {want}, not {got}; for example {dotted(keys[-1:])} = {example}")

    def string(self, keys: tuple[str, ...], value: object, example: str) -> str:
        """`value` as a non-empty string, or raise."""
        self.typed(keys, value, str, example)
        assert isinstance(value, str)
        if not value.strip():
            raise self.error(keys, f"must not be empty; for example {dotted(keys[-1:])} = {example}")
        return value

    def table(self, keys: tuple[str, ...], value: object, example: str) -> dict[str, object]:
        """`value` as a table, or raise."""
        if not isinstance(value, dict):
            got = _TYPE_NAMES.get(type(value), "a date/time")
            raise self.error(keys, f"must be a table, not {got}; write it as {example}")
        return value

    def size_bytes(self, keys: tuple[str, ...], value: object) -> int:
        """`value` as a positive integer, or raise."""
        self.typed(keys, value, int, "33554432")
        assert isinstance(value, int)
        if value <= 0:
            raise self.error(keys, f"must be a positive whole number of bytes, not {value}")
        return value

    def seconds(self, keys: tuple[str, ...], value: object, *, zero_ok: bool = False) -> float:
        """`value` as a finite number of seconds, more than zero (or zero too when `zero_ok`), or raise."""
        self.typed(keys, value, float, "30")
        assert isinstance(value, (int, float))
        if not math.isfinite(value):
            raise self.error(keys, f"must be a finite number of seconds, not {value}")
        if value < 0 or (value == 0 and not zero_ok):
            least = "zero or more" if zero_ok else "more than zero"
            raise self.error(keys, f"must be {least} seconds, not {value}")
        return float(value)


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


def _listen(src: _Source, value: object) -> tuple[str, int]:
    text = src.string(("listen",), value, '"127.0.0.1:8080"')
    try:
        return parse_listen(text)
    except ValueError as err:
        raise src.error(("listen",), str(err)) from None


def _database(src: _Source, value: object) -> Path:
    database = Path(src.string(("database",), value, '"conduit.db"')).expanduser()
    if database.is_absolute():
        return database
    return src.path.absolute().parent / database


def _providers(src: _Source, value: object) -> Mapping[str, ProviderConfig]:
    example = '[providers.anthropic] with upstream = "https://api.anthropic.com"'
    tables = src.table(("providers",), {} if value is None else value, example)
    if not tables:
        raise src.error(("providers",), f"no providers configured; add a table such as {example}")
    return MappingProxyType({key: _provider(src, key, table) for key, table in tables.items()})


def _provider(src: _Source, key: str, value: object) -> ProviderConfig:
    keys = ("providers", key)
    if not _PROVIDER_NAME.fullmatch(key):
        raise src.error(keys, "provider names become URL paths (/<name>/...): use lowercase letters, digits, "
                              "'-' and '_', starting with a letter or digit")
    if key in schema.RESERVED_PROVIDER_KEYS:
        raise src.error(keys, f"`{key}` is reserved for Conduit's own endpoints; choose another provider name")
    table = src.table(keys, value, f'[providers.{key}] with upstream = "https://..."')
    src.check_keys(keys, table, _PROVIDER_KEYS)
    if "upstream" not in table:
        raise src.error(keys, 'has no upstream; add upstream = "https://api.example.com"')
    upstream = _upstream(src, (*keys, "upstream"), table["upstream"])
    connect_s, read_s = schema.DEFAULT_CONNECT_TIMEOUT_S, schema.DEFAULT_READ_TIMEOUT_S
    return ProviderConfig(
        key=key,
        upstream=upstream,
        api=_api(src, keys, table.get("api"), upstream),
        connect_timeout_s=src.seconds((*keys, "connect_timeout_s"), table.get("connect_timeout_s", connect_s)),
        read_timeout_s=src.seconds((*keys, "read_timeout_s"), table.get("read_timeout_s", read_s)),
    )


def _upstream(src: _Source, keys: tuple[str, ...], value: object) -> str:
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


def _api(src: _Source, keys: tuple[str, ...], value: object, upstream: str) -> str:
    if value is not None:
        api = src.string((*keys, "api"), value, '"anthropic"')
        if api not in schema.APIS:
            close = difflib.get_close_matches(api, schema.APIS, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
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


def _pricing(src: _Source, value: object) -> Mapping[str, Price]:
    example = '[pricing."model-name"] with input = 3.0 and output = 15.0'
    tables = src.table(("pricing",), value, example)
    return MappingProxyType({model: _price(src, model, table) for model, table in tables.items()})


def _price(src: _Source, model: str, value: object) -> Price:
    keys = ("pricing", model)
    table = src.table(keys, value, f"[{dotted(keys)}] with input = 3.0 and output = 15.0 (USD per million tokens)")
    src.check_keys(keys, table, _PRICE_KEYS)
    missing = [name for name in ("input", "output") if name not in table]
    if missing:
        raise src.error(keys, f"missing {' and '.join(missing)}; add the price in USD per million tokens, "
                              f"e.g. {missing[0]} = 3.0")
    prices = {name: _usd(src, (*keys, name), table[name]) for name in _PRICE_KEYS if name in table}
    return Price(**prices)


def _usd(src: _Source, keys: tuple[str, ...], value: object) -> float:
    src.typed(keys, value, float, "3.0")
    assert isinstance(value, (int, float))
    if not math.isfinite(value) or value < 0:
        raise src.error(keys, f"must be a price of zero or more USD per million tokens, not {value}")
    return float(value)
