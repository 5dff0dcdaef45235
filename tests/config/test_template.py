"""The template `conduit init` writes: documented, loadable, and identical to conduit.toml.example."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conduit.config.loader import load_config
from conduit.config.template import TEMPLATE
from conduit.core.policy import Budget, BudgetSettings, RateLimit, Team

EXAMPLE = Path(__file__).resolve().parents[2] / "conduit.toml.example"


def test_example_file_is_byte_identical_to_template() -> None:
    assert EXAMPLE.read_bytes() == TEMPLATE.encode("utf-8")


def test_template_loads_with_anthropic_and_openai(tmp_path: Path) -> None:
    path = tmp_path / "conduit.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    config = load_config(path)
    assert (config.listen_host, config.listen_port) == ("127.0.0.1", 8080)
    assert config.database == tmp_path / "conduit.db"
    assert {key: (p.upstream, p.api) for key, p in config.providers.items()} == {
        "anthropic": ("https://api.anthropic.com", "anthropic"),
        "openai": ("https://api.openai.com", "openai"),
    }
    assert dict(config.pricing) == {}
    assert {p.auth for p in config.providers.values()} == {"passthrough"}
    assert dict(config.teams) == {}
    assert config.budget == BudgetSettings()
    assert config.master_key_file == tmp_path / "conduit.key"


def test_template_explains_every_key_and_leaves_pricing_commented_out() -> None:
    lines = TEMPLATE.splitlines()
    for key in ("listen", "database", "max_request_bytes", "shutdown_grace_s"):
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        assert lines[index - 1].startswith("# "), key
    keys = ("upstream", "api", "connect_timeout_s", "read_timeout_s", "auth", "credential", "credential_header")
    for key in (*keys, "budget", "models", "rate_limit", "usd", "period", "timezone", "mode", "unpriced"):
        assert any(line.startswith(f"#   {key} ") for line in lines), key
    for key in ("input", "output", "cache_read", "cache_write"):
        assert f"# {key} = " in TEMPLATE, key
    assert '# [pricing."my-finetune"]' in lines
    assert "pricing" not in tomllib.loads(TEMPLATE)
    for key in ("master_key_file", "teams", "budget"):
        assert key not in tomllib.loads(TEMPLATE), key
        assert re.search(rf"^# \[?{key}", TEMPLATE, re.MULTILINE), key


def test_commented_out_examples_load_as_documented(tmp_path: Path) -> None:
    uncommented = re.sub(r"^# (?=\[|[a-z_]+ = )", "", TEMPLATE, flags=re.MULTILINE)
    path = tmp_path / "conduit.toml"
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(path)
    assert config.master_key_file == tmp_path / "conduit.key"
    anthropic = config.providers["anthropic"]
    assert (anthropic.auth, anthropic.credential, anthropic.credential_header) == (
        "virtual", "anthropic-prod", "x-api-key"
    )
    assert config.providers["openai"].auth == "passthrough"
    assert list(config.pricing) == ["my-finetune"]
    assert dict(config.teams) == {
        "platform": Team("platform", Budget(500.0, "month"), ("claude-*", "gpt-5*"), RateLimit(600, 4_000_000))
    }
    assert config.budget == BudgetSettings(Budget(5000.0, "month"), "UTC", "estimate", "deny")
