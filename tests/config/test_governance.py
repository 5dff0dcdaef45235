"""The [governance] table and its entities file: exact settings when good, a located ConfigError when bad."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conduit.config.errors import ConfigError
from conduit.config.loader import load_config
from conduit.config.schema import GOVERNANCE_ACTIONS, GovernanceConfig
from conduit.config.template import TEMPLATE
from conduit.governance.categories import CATEGORIES, SECRET_CATEGORIES

ANTHROPIC = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'


def write(folder: Path, text: str, name: str = "conduit.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_table_alerts_on_every_secret_and_lists_no_entities(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, ANTHROPIC)).governance
    assert settings == GovernanceConfig(mode="alert", actions={}, entities=(), engine="auto")
    assert {settings.action_for(name) for name in CATEGORIES} == {"alert"}


def test_empty_table_is_the_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, ANTHROPIC + "[governance]\n")).governance == GovernanceConfig()


def test_every_key(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    write(folder, "# customers\nGlobex\n\nAcme Corp\n  Initech  \n# codenames\nProject Falcon\n", "entities.txt")
    path = write(folder, ANTHROPIC + """
[governance]
mode = "off"
block = ["aws_access_key", "private_key", "github_token"]
alert = ["jwt", "entity"]
off = []
entities = ["Acme Corp", "Project Falcon", "Umbrella"]
entities_file = "entities.txt"
engine = "python"
""")
    settings = load_config(path).governance
    assert settings.mode == "off"
    assert dict(settings.actions) == {
        "aws_access_key": "block", "private_key": "block", "github_token": "block", "jwt": "alert", "entity": "alert",
    }
    assert settings.entities == ("Acme Corp", "Project Falcon", "Umbrella", "Globex", "Initech")
    assert settings.engine == "python"
    assert settings.action_for("private_key") == "block"
    assert settings.action_for("entity") == "alert"
    assert settings.action_for("slack_token") == "off"


def test_off_list_and_block_mode(tmp_path: Path) -> None:
    path = write(tmp_path, ANTHROPIC + '[governance]\nmode = "block"\noff = ["generic_secret"]\n')
    settings = load_config(path).governance
    assert settings.action_for("generic_secret") == "off"
    assert {settings.action_for(name) for name in SECRET_CATEGORIES if name != "generic_secret"} == {"block"}


def test_entities_file_may_be_absolute_and_large(tmp_path: Path) -> None:
    names = [f"Customer {number:05d}" for number in range(5000)]
    listed = write(tmp_path, "\n".join(names) + "\n", "all-customers.txt")
    config_dir = tmp_path / "conf"
    config_dir.mkdir()
    path = write(config_dir, ANTHROPIC + f'[governance]\nentities_file = "{listed.as_posix()}"\n')
    assert load_config(path).governance.entities == tuple(names)


def test_actions_and_entities_are_read_only(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, ANTHROPIC + '[governance]\nblock = ["jwt"]\n')).governance
    with pytest.raises(TypeError):
        settings.actions["jwt"] = "off"  # type: ignore[index]


def test_entity_names_stay_out_of_the_repr(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ANTHROPIC + '[governance]\nentities = ["Zanzibar Holdings"]\n'))
    assert config.governance.entities == ("Zanzibar Holdings",)
    assert "Zanzibar" not in repr(config)


def test_modes_are_the_scanner_actions() -> None:
    assert GOVERNANCE_ACTIONS == ("off", "alert", "block")


def test_template_example_loads_as_documented(tmp_path: Path) -> None:
    start = TEMPLATE.index("# [governance]")
    example = re.sub(r"^# ", "", TEMPLATE[start:], flags=re.MULTILINE)
    settings = load_config(write(tmp_path, ANTHROPIC + example)).governance
    assert settings == GovernanceConfig(
        mode="alert",
        actions={"aws_access_key": "block", "private_key": "block", "github_token": "block", "jwt": "alert",
                 "generic_secret": "off"},
        entities=("Acme Corp", "Project Falcon"),
        engine="auto",
    )
    for key in ("mode", "block", "alert", "off", "entities", "entities_file", "engine"):
        assert re.search(rf"^#   {key} ", TEMPLATE, re.MULTILINE), key


# (table text, line of the error, key, words the error must contain): one case per kind of mistake.
BAD = [
    ('blocks = ["jwt"]', 2, "governance.blocks", "unknown key; did you mean `block`?"),
    ('mode = "deny"', 2, "governance.mode", 'unknown value "deny"; use "off", "alert" or "block"'),
    ("mode = 1", 2, "governance.mode", "must be a string, not an integer"),
    ('engine = "rust"', 2, "governance.engine", 'use "auto", "hyperscan" or "python"'),
    ('engine = "hyperscn"', 2, "governance.engine", 'did you mean "hyperscan"?'),
    ('block = "jwt"', 2, "governance.block", "must be an array, not a string"),
    ('block = ["jwt", 7]', 2, "governance.block", 'item 2 must be a category name such as "private_key"'),
    ('block = ["aws_acces_key"]', 2, "governance.block",
     'unknown category "aws_acces_key"; did you mean "aws_access_key"? `conduit governance categories` lists'),
    ('off = ["zzz"]', 2, "governance.off", 'unknown category "zzz"; `conduit governance categories` lists'),
    ('block = ["jwt"]\nalert = ["slack_token", "jwt"]', 3, "governance.alert",
     '"jwt" is also in block; keep each category in one list only'),
    ('alert = ["entity"]\noff = ["entity"]', 3, "governance.off", '"entity" is also in alert'),
    ('entities = "Zorblax"', 2, "governance.entities", "must be an array, not a string"),
    ('entities = ["Zorblax", "  "]', 2, "governance.entities", "item 2 must hold at least one letter or digit"),
    ('entities = ["Zorblax", "--"]', 2, "governance.entities", "item 2 must hold at least one letter or digit"),
    ('entities = ["Zorblax", 3]', 2, "governance.entities", 'item 2 must be a name such as "Acme Corp", not an'),
    ("entities_file = 3", 2, "governance.entities_file", "must be a string, not an integer"),
    ('entities_file = ""', 2, "governance.entities_file", "must not be empty"),
]


@pytest.mark.parametrize(("table", "line", "key", "words"), BAD)
def test_bad_table(tmp_path: Path, table: str, line: int, key: str, words: str) -> None:
    path = write(tmp_path, "[governance]\n" + table + "\n" + ANTHROPIC)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert (caught.value.line, caught.value.key) == (line, key)
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: {key}: ")
    assert "\n" not in str(caught.value)
    assert "Zorblax" not in str(caught.value)


def test_governance_must_be_a_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="governance: must be a table, not a string"):
        load_config(write(tmp_path, 'governance = "on"\n' + ANTHROPIC))


def entities_error(tmp_path: Path, entities: bytes | None, name: str = "entities.txt") -> ConfigError:
    """The error loading a config whose entities_file is `name`, holding `entities` (None: no such file)."""
    if entities is not None:
        (tmp_path / name).write_bytes(entities)
    path = write(tmp_path, ANTHROPIC + f'\n[governance]\nentities = ["Acme"]\nentities_file = "{name}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert (caught.value.path, caught.value.line, caught.value.key) == (path, 6, "governance.entities_file")
    return caught.value


def test_missing_entities_file_is_named(tmp_path: Path) -> None:
    error = entities_error(tmp_path, None)
    assert f"{tmp_path / 'entities.txt'} does not exist; create it" in error.message


def test_entities_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "names").mkdir()
    assert "names is a folder" in entities_error(tmp_path, None, "names").message


def test_entities_file_not_utf8_names_the_line_without_echoing(tmp_path: Path) -> None:
    error = entities_error(tmp_path, b"Globex Secret\nInit\xffech\n")
    assert "is not UTF-8 text (bad byte on line 2); save it as UTF-8" in error.message
    assert "Globex" not in str(error) and "Init" not in str(error)


def test_entity_without_a_letter_names_its_line_without_echoing(tmp_path: Path) -> None:
    error = entities_error(tmp_path, b"# customers\nGlobex\n\n  ---  \nInitech\n")
    assert error.message == f"{tmp_path / 'entities.txt'}, line 4: an entity needs at least one letter or digit; " \
                            "fix or delete that line"


def test_hyperscan_engine_needs_the_package(tmp_path: Path) -> None:
    path = write(tmp_path, ANTHROPIC + '[governance]\nengine = "hyperscan"\n')
    code = ("import sys\nsys.modules['hyperscan'] = None\nfrom conduit.config.loader import load_config\n"
            f"try:\n    load_config(__import__('pathlib').Path({str(path)!r}))\nexcept Exception as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout
    assert out == f"{path}:4: governance.engine: needs the hyperscan package, which is not installed here; " \
                  'install it (pip install hyperscan) or use engine = "auto"\n'


def test_unreadable_entities_file(tmp_path: Path) -> None:
    listed = write(tmp_path, "Globex\n", "entities.txt")
    listed.chmod(0)
    try:
        if _can_read(listed):
            pytest.skip("running with permission to read any file")
        assert "cannot be read (Permission denied)" in entities_error(tmp_path, None).message
    finally:
        listed.chmod(0o600)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True
