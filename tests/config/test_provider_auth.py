"""A provider's auth keys: passthrough by default, virtual with a named credential and a resolved header."""

from __future__ import annotations

from pathlib import Path

import pytest

from conduit.config.errors import ConfigError
from conduit.config.loader import load_config
from conduit.config.provider_auth import default_credential_header


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conduit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def provider(upstream: str, extra: str = "", name: str = "p") -> str:
    return f'[providers.{name}]\nupstream = "{upstream}"\n{extra}'


@pytest.mark.parametrize(
    ("upstream", "api", "header"),
    [
        ("https://api.anthropic.com", "anthropic", "x-api-key"),
        ("https://api.openai.com", "openai", "authorization"),
        ("https://openrouter.ai/api", "openai", "authorization"),
        ("https://corp.openai.azure.com/openai", "openai", "api-key"),
        ("https://CORP.OpenAI.Azure.com", "openai", "api-key"),
        ("https://openai.azure.com.evil.example", "openai", "authorization"),
    ],
)
def test_default_credential_header(upstream: str, api: str, header: str) -> None:
    assert default_credential_header(upstream, api) == header


def test_passthrough_is_the_default_and_still_resolves_the_header(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, provider("https://api.anthropic.com")))
    p = config.providers["p"]
    assert (p.auth, p.credential, p.credential_header) == ("passthrough", None, "x-api-key")


@pytest.mark.parametrize(
    ("upstream", "extra", "expected"),
    [
        ("https://api.anthropic.com", 'credential = "anthropic-prod"\n', ("anthropic-prod", "x-api-key")),
        ("https://api.openai.com", 'credential = "oa.v2_1"\n', ("oa.v2_1", "authorization")),
        ("https://corp.openai.azure.com/openai", 'credential = "az"\n', ("az", "api-key")),
        ("https://api.anthropic.com", 'credential = "c"\ncredential_header = "authorization"\n',
         ("c", "authorization")),
        ("https://api.openai.com", 'credential = "c"\ncredential_header = "X-Api-Key"\n', ("c", "x-api-key")),
        ("https://corp.openai.azure.com", 'credential = "c"\ncredential_header = "api-key"\n', ("c", "api-key")),
    ],
)
def test_virtual(tmp_path: Path, upstream: str, extra: str, expected: tuple[str, str]) -> None:
    config = load_config(write(tmp_path, provider(upstream, 'auth = "virtual"\n' + extra)))
    p = config.providers["p"]
    assert (p.auth, p.credential, p.credential_header) == ("virtual", *expected)


def test_inline_provider_table(tmp_path: Path) -> None:
    text = '[providers]\np = { upstream = "https://api.openai.com", auth = "virtual", credential = "oa" }\n'
    p = load_config(write(tmp_path, text)).providers["p"]
    assert (p.auth, p.credential, p.credential_header) == ("virtual", "oa", "authorization")


ANTHROPIC = "https://api.anthropic.com"
# (text after the upstream line, line, key after `providers.p.`, words the message contains)
BAD = [
    ('auth = "vitrual"\n', 3, "providers.p.auth", 'did you mean "virtual"?'),
    ('auth = "bearer"\n', 3, "providers.p.auth", 'use "passthrough" or "virtual"'),
    ("auth = true\n", 3, "providers.p.auth", "must be a string, not a boolean"),
    ('auth = "virtual"\n', 1, "providers.p", 'has auth = "virtual" but no credential; add credential = '),
    ('auth = "virtual"\ncredential_header = "api-key"\n', 1, "providers.p", "but no credential"),
    ('credential = "c"\n', 3, "providers.p.credential", 'only used with auth = "virtual"'),
    ('auth = "passthrough"\ncredential = "c"\n', 4, "providers.p.credential", 'add auth = "virtual" or remove'),
    ('credential_header = "api-key"\n', 3, "providers.p.credential_header", 'only used with auth = "virtual"'),
    ('auth = "virtual"\ncredential = ""\n', 4, "providers.p.credential", "must not be empty"),
    ('auth = "virtual"\ncredential = 7\n', 4, "providers.p.credential", "must be a string, not an integer"),
    ('auth = "virtual"\ncredential = "Anthropic Prod"\n', 4, "providers.p.credential", "lowercase letters"),
    ('auth = "virtual"\ncredential = "-x"\n', 4, "providers.p.credential", "starting with a letter or digit"),
    ('auth = "virtual"\ncredential = "c"\ncredential_header = "x-api-token"\n', 5, "providers.p.credential_header",
     'use "x-api-key", "authorization" or "api-key"'),
    ('auth = "virtual"\ncredential = "c"\ncredential_header = "x-api-kye"\n', 5, "providers.p.credential_header",
     'did you mean "x-api-key"?'),
    ('auth = "virtual"\ncredential = "c"\ncredential_header = ["x-api-key"]\n', 5,
     "providers.p.credential_header", "must be a string, not an array"),
    ('auth = "virtual"\ncredential = "c"\ncredentials = "d"\n', 5, "providers.p.credentials",
     "did you mean `credential`?"),
]


@pytest.mark.parametrize(("extra", "line", "key", "says"), BAD)
def test_bad_value_is_located(tmp_path: Path, extra: str, line: int, key: str, says: str) -> None:
    path = write(tmp_path, provider(ANTHROPIC, extra))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    err = caught.value
    assert (err.path, err.line, err.key) == (path, line, key)
    assert says in err.message
    assert str(err) == f"{path}:{line}: {key}: {err.message}"
