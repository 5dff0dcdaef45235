"""The template `conduit init` writes: documented, loadable, and identical to conduit.toml.example."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conduit.config.loader import load_config
from conduit.config.template import TEMPLATE

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


def test_template_explains_every_key_and_leaves_pricing_commented_out() -> None:
    lines = TEMPLATE.splitlines()
    for key in ("listen", "database", "max_request_bytes", "shutdown_grace_s"):
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        assert lines[index - 1].startswith("# "), key
    for key in ("upstream", "api", "connect_timeout_s", "read_timeout_s"):
        assert any(line.startswith(f"#   {key} ") for line in lines), key
    for key in ("input", "output", "cache_read", "cache_write"):
        assert f"# {key} = " in TEMPLATE, key
    assert '# [pricing."my-finetune"]' in lines
    assert "pricing" not in tomllib.loads(TEMPLATE)
