"""Loading conduit.toml: good files become a Config, every bad value is a ConfigError naming line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conduit.config.errors import ConfigError
from conduit.config.loader import find_config_path, infer_api, load_config
from conduit.core.policy import BudgetSettings
from conduit.core.price import Price

ANTHROPIC = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conduit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_gets_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC))
    assert config.path == (tmp_path / "conduit.toml").absolute()
    assert (config.listen_host, config.listen_port) == ("127.0.0.1", 8080)
    assert config.database == tmp_path / "conduit.db"
    assert config.max_request_bytes == 32 * 1024 * 1024
    assert config.shutdown_grace_s == 30.0
    assert dict(config.pricing) == {}
    provider = config.providers["anthropic"]
    assert (provider.key, provider.upstream, provider.api) == ("anthropic", "https://api.anthropic.com", "anthropic")
    assert (provider.connect_timeout_s, provider.read_timeout_s) == (10.0, 600.0)
    assert (provider.auth, provider.credential, provider.credential_header) == ("passthrough", None, "x-api-key")
    assert config.master_key_file == tmp_path / "conduit.key"
    assert dict(config.teams) == {}
    assert config.budget == BudgetSettings()


def test_full_file(tmp_path: Path) -> None:
    text = """\
listen = "[::1]:9090"
database = "data/usage.db"
master_key_file = "secrets/master.key"
max_request_bytes = 1024
shutdown_grace_s = 0

[providers.corp-claude]
upstream = "https://gateway.example.com/anthropic/"
api = "anthropic"
connect_timeout_s = 2.5
read_timeout_s = 30

[providers.openai]
upstream = "http://127.0.0.1:9000"

[pricing."my-finetune"]
input = 3
output = 15.0
cache_read = 0.3
cache_write = 3.75

[pricing."gpt-4.1-custom"]
input = 1.0
output = 2
"""
    config = load_config(write(tmp_path, text))
    assert (config.listen_host, config.listen_port) == ("::1", 9090)
    assert config.database == tmp_path / "data" / "usage.db"
    assert config.master_key_file == tmp_path / "secrets" / "master.key"
    assert (config.max_request_bytes, config.shutdown_grace_s) == (1024, 0.0)
    assert list(config.providers) == ["corp-claude", "openai"]
    claude = config.providers["corp-claude"]
    assert claude.upstream == "https://gateway.example.com/anthropic"
    assert (claude.connect_timeout_s, claude.read_timeout_s) == (2.5, 30.0)
    assert isinstance(claude.read_timeout_s, float)
    assert config.providers["openai"].api == "openai"
    assert config.pricing["my-finetune"] == Price(3.0, 15.0, 0.3, 3.75)
    assert config.pricing["gpt-4.1-custom"] == Price(1.0, 2.0)
    assert isinstance(config.pricing["my-finetune"].input, float)
    assert isinstance(config.pricing["gpt-4.1-custom"].output, float)


def test_absolute_database_and_key_paths_are_kept(tmp_path: Path) -> None:
    db, key = tmp_path / "elsewhere" / "c.db", tmp_path / "vault" / "c.key"
    text = f'database = "{db.as_posix()}"\nmaster_key_file = "{key.as_posix()}"\n' + ANTHROPIC
    config = load_config(write(tmp_path, text))
    assert (config.database, config.master_key_file) == (db, key)


def test_relative_paths_follow_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "conduit.toml").write_text(ANTHROPIC)
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("etc/conduit.toml"))
    assert (config.database, config.master_key_file) == (folder / "conduit.db", folder / "conduit.key")


def test_config_is_read_only(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC))
    with pytest.raises(TypeError):
        config.providers["x"] = config.providers["anthropic"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("upstream", "key", "api"),
    [
        ("https://api.anthropic.com", "x", "anthropic"),
        ("https://api.openai.com", "x", "openai"),
        ("https://corp.openai.azure.com/openai", "x", "openai"),
        ("https://openrouter.ai/api", "x", "openai"),
        ("https://api.groq.com/openai", "x", "openai"),
        ("https://api.together.xyz", "x", "openai"),
        ("https://api.mistral.ai", "x", "openai"),
        ("https://api.deepseek.com", "x", "openai"),
        ("https://api.fireworks.ai/inference", "x", "openai"),
        ("http://127.0.0.1:9000", "claude-local", "anthropic"),
        ("http://127.0.0.1:9000", "my-anthropic", "anthropic"),
        ("http://127.0.0.1:9000", "gpt", "openai"),
        ("http://127.0.0.1:9000", "azure-east", "openai"),
        ("http://127.0.0.1:9000", "codex", "openai"),
        ("http://127.0.0.1:9000", "ollama", None),
        ("https://notanthropic.com", "x", None),
    ],
)
def test_infer_api(upstream: str, key: str, api: str | None) -> None:
    assert infer_api(upstream, key) == api


def test_explicit_api_wins_over_inference(tmp_path: Path) -> None:
    path = write(tmp_path, '[providers.claude]\nupstream = "https://api.anthropic.com"\napi = "openai"\n')
    assert load_config(path).providers["claude"].api == "openai"


# (file text, line, key, words the message must contain)
BAD = [
    ("listn = 1\n" + ANTHROPIC, 1, "listn", "did you mean `listen`?"),
    ("colour = 1\n" + ANTHROPIC, 1, "colour", "allowed keys here: listen, database"),
    (ANTHROPIC + "uptream = 'x'\n", 3, "providers.anthropic.uptream", "did you mean `upstream`?"),
    (ANTHROPIC + '\n[pricing."m"]\ninput = 1\noutput = 2\ncached = 1\n', 7, 'pricing.m.cached', "did you mean"),
    ('listen = 8080\n' + ANTHROPIC, 1, "listen", "must be a string, not an integer"),
    ('database = ["a"]\n' + ANTHROPIC, 1, "database", "must be a string, not an array"),
    ('database = ""\n' + ANTHROPIC, 1, "database", "must not be empty"),
    ("master_key_file = 1\n" + ANTHROPIC, 1, "master_key_file", 'for example master_key_file = "conduit.key"'),
    ('master_key_file = " "\n' + ANTHROPIC, 1, "master_key_file", "must not be empty"),
    ("master_key = 'k'\n" + ANTHROPIC, 1, "master_key", "did you mean `master_key_file`?"),
    ('max_request_bytes = "32MiB"\n' + ANTHROPIC, 1, "max_request_bytes", "must be an integer, not a string"),
    ("max_request_bytes = 1.5\n" + ANTHROPIC, 1, "max_request_bytes", "must be an integer, not a float"),
    ("max_request_bytes = -1\n" + ANTHROPIC, 1, "max_request_bytes", "must be a positive whole number"),
    ("shutdown_grace_s = true\n" + ANTHROPIC, 1, "shutdown_grace_s", "must be a number, not a boolean"),
    ("shutdown_grace_s = -1\n" + ANTHROPIC, 1, "shutdown_grace_s", "must be zero or more seconds"),
    ("shutdown_grace_s = inf\n" + ANTHROPIC, 1, "shutdown_grace_s", "must be a finite number"),
    ('listen = "localhost"\n' + ANTHROPIC, 1, "listen", "has no port"),
    ('listen = "::1:8080"\n' + ANTHROPIC, 1, "listen", "in brackets"),
    ('\n\n[providers.anthropic]\nupstream = 5\n', 4, "providers.anthropic.upstream", "must be a string"),
    ("[providers.anthropic]\napi = 'anthropic'\n", 1, "providers.anthropic", "has no upstream"),
    ('[providers.a]\nupstream = "api.anthropic.com"\n', 2, "providers.a.upstream", "https://"),
    ('[providers.a]\nupstream = "ftp://api.anthropic.com"\n', 2, "providers.a.upstream", "https://"),
    ('[providers.a]\nupstream = "https://"\n', 2, "providers.a.upstream", "needs a host"),
    ('[providers.a]\nupstream = "https://h:0"\n', 2, "providers.a.upstream", "port from 1 to 65535"),
    ('[providers.a]\nupstream = "https://h:99999"\n', 2, "providers.a.upstream", "port from 1 to 65535"),
    ('[providers.a]\nupstream = "http://[::1"\n', 2, "providers.a.upstream", "brackets"),
    ('[providers.a]\nupstream = "https://h /v1"\n', 2, "providers.a.upstream", "no spaces"),
    ('[providers.a]\nupstream = "https://h/v1?x=1"\n', 2, "providers.a.upstream", "?query"),
    ('[providers.a]\nupstream = "https://h/v1#top"\n', 2, "providers.a.upstream", "#fragment"),
    ('[providers.a]\nupstream = "https://u@h"\n', 2, "providers.a.upstream", "user:password@"),
    (ANTHROPIC + 'api = "antropic"\n', 3, "providers.anthropic.api", 'did you mean "anthropic"?'),
    (ANTHROPIC + "api = 1\n", 3, "providers.anthropic.api", "must be a string"),
    ('[providers.local]\nupstream = "http://127.0.0.1:1"\n', 1, "providers.local", 'api = "anthropic"'),
    ('[providers.Anthropic]\nupstream = "https://api.anthropic.com"\n', 1, "providers.Anthropic", "lowercase"),
    ('[providers."my provider"]\nupstream = "https://a.anthropic.com"\n', 1, 'providers."my provider"', "lowercase"),
    ('[providers._x]\nupstream = "https://api.anthropic.com"\n', 1, "providers._x", "starting with a letter"),
    ('[providers.healthz]\nupstream = "https://api.openai.com"\n', 1, "providers.healthz", "reserved"),
    ('[providers.conduit]\nupstream = "https://api.openai.com"\n', 1, "providers.conduit", "reserved"),
    ('[providers.readyz]\nupstream = "https://api.openai.com"\n', 1, "providers.readyz", "reserved"),
    ('[providers.metrics]\nupstream = "https://api.openai.com"\n', 1, "providers.metrics", "reserved"),
    ('[providers.metrics]\nupstream = "https://api.openai.com"\n', 1, "providers.metrics", "/healthz, /readyz and"),
    ("[providers]\n", 1, "providers", "no providers configured"),
    ('providers = "openai"\n', 1, "providers", "must be a table, not a string"),
    ('[providers]\nopenai = "https://api.openai.com"\n', 2, "providers.openai", "must be a table"),
    (ANTHROPIC + "connect_timeout_s = -1\n", 3, "providers.anthropic.connect_timeout_s", "more than zero"),
    (ANTHROPIC + "read_timeout_s = 0\n", 3, "providers.anthropic.read_timeout_s", "more than zero"),
    (ANTHROPIC + "read_timeout_s = '600'\n", 3, "providers.anthropic.read_timeout_s", "must be a number"),
    (ANTHROPIC + '[pricing."gpt-4.1-x"]\ninput = 1\n', 3, 'pricing."gpt-4.1-x"', "missing output"),
    (ANTHROPIC + "[pricing.m]\ncache_read = 1\n", 3, "pricing.m", "missing input and output"),
    (ANTHROPIC + "[pricing.m]\ninput = 1\noutput = -2\n", 5, "pricing.m.output", "zero or more USD"),
    (ANTHROPIC + "[pricing.m]\ninput = nan\noutput = 2\n", 4, "pricing.m.input", "zero or more USD"),
    (ANTHROPIC + "[pricing.m]\ninput = false\noutput = 2\n", 4, "pricing.m.input", "must be a number, not a boolean"),
    (ANTHROPIC + "[pricing]\nm = 3.0\n", 4, "pricing.m", "must be a table"),
    (ANTHROPIC + "[pricing]\nm = { input = 1, outptu = 2 }\n", 4, "pricing.m.outptu", "did you mean `output`?"),
    ("pricing = 1\n" + ANTHROPIC, 1, "pricing", "must be a table"),
]


@pytest.mark.parametrize(("text", "line", "key", "says"), BAD)
def test_bad_value_is_located(tmp_path: Path, text: str, line: int, key: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    err = caught.value
    assert (err.path, err.line, err.key) == (path, line, key)
    assert says in err.message
    assert str(err) == f"{path}:{line}: {key}: {err.message}"


def test_missing_providers_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, 'listen = "127.0.0.1:8080"\n'))
    assert (caught.value.key, caught.value.line) == ("providers", None)
    assert "[providers.anthropic]" in caught.value.message


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("listen = \n" + ANTHROPIC, 1, "invalid TOML: Invalid value at column 10"),
        ('listen = "x"\nlisten = "y"\n', 2, "invalid TOML"),
        ("[providers.a\n", 1, "invalid TOML"),
    ],
)
def test_syntax_error_has_tomls_line(tmp_path: Path, text: str, line: int, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.line == line
    assert caught.value.key is None
    assert says in caught.value.message


def test_syntax_error_at_end_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, 'listen = "127.0.0.1'))
    assert caught.value.line is None
    assert "end of the file" in caught.value.message


def test_missing_file_says_to_run_init(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: no such file; run `conduit init` to create one"


def test_folder_and_non_utf8_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'database = "caf\xe9.db"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_upstream_value_never_appears_in_errors(tmp_path: Path) -> None:
    secret = "sk-canary-8d1f0c"
    for upstream in (f"https://user:{secret}@h", f"https://h/v1?key={secret}", f"https://h/{secret} x"):
        with pytest.raises(ConfigError) as caught:
            load_config(write(tmp_path, f'[providers.a]\nupstream = "{upstream}"\n'))
        assert secret not in str(caught.value)


class TestFindConfigPath:
    """--config beats $CONDUIT_CONFIG beats ./conduit.toml; existence is not checked."""

    def test_explicit_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CONDUIT_CONFIG", "/from/env.toml")
        assert find_config_path(Path("given.toml")) == Path("given.toml")

    def test_env_next(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CONDUIT_CONFIG", "/from/env.toml")
        assert find_config_path(None) == Path("/from/env.toml")

    @pytest.mark.parametrize("env", [None, ""])
    def test_default_is_cwd(self, monkeypatch: pytest.MonkeyPatch, env: str | None) -> None:
        if env is None:
            monkeypatch.delenv("CONDUIT_CONFIG", raising=False)
        else:
            monkeypatch.setenv("CONDUIT_CONFIG", env)
        assert find_config_path(None) == Path("conduit.toml")
