"""Read the `[governance]` table of `conduit.toml` (and its entities file) into a GovernanceConfig, or raise.

Errors name the file, line and key but never echo an entity name. Imports the standard library,
`conduit.config` and the pure `conduit.governance.categories`; the entity-file parser is imported only when used.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from conduit.config.schema import GOVERNANCE_ACTIONS, GOVERNANCE_ENGINES, GovernanceConfig
from conduit.config.source import Source, closest, type_name
from conduit.governance.categories import CATEGORIES

_KEYS = ("mode", "block", "alert", "off", "entities", "entities_file", "engine")
_EXAMPLE = '[governance] with mode = "alert" and block = ["private_key"]'
_LIST_EXAMPLE = '["aws_access_key", "private_key"]'
_ENTITIES_EXAMPLE = '["Acme Corp", "Project Falcon"]'
_WHERE_NAMED = "`conduit governance categories` lists every name"
_WORD = re.compile(r"\w")


def parse_governance(src: Source, value: object) -> GovernanceConfig:
    """The `[governance]` table: the default action, per-category actions, entity names and engine."""
    keys = ("governance",)
    table = src.table(keys, value, _EXAMPLE)
    src.check_keys(keys, table, _KEYS)
    defaults = GovernanceConfig()
    mode = src.choice((*keys, "mode"), table.get("mode", defaults.mode), GOVERNANCE_ACTIONS)
    actions = _actions(src, table)
    inline = _inline_entities(src, table["entities"]) if "entities" in table else []
    listed = _file_entities(src, table["entities_file"]) if "entities_file" in table else []
    engine = _engine(src, table.get("engine", defaults.engine))
    return GovernanceConfig(mode, actions, tuple(dict.fromkeys(inline + listed)), engine)


def _engine(src: Source, value: object) -> str:
    """The scan engine; `hyperscan` only when its package is installed (checked without importing it)."""
    keys = ("governance", "engine")
    engine = src.choice(keys, value, GOVERNANCE_ENGINES)
    if engine == "hyperscan" and importlib.util.find_spec("hyperscan") is None:
        raise src.error(keys, 'needs the hyperscan package, which is not installed here; install it '
                              '(pip install hyperscan) or use engine = "auto"')
    return engine


def _actions(src: Source, table: Mapping[str, object]) -> Mapping[str, str]:
    """The categories named in the `block`, `alert` and `off` lists, each with its list's action."""
    actions: dict[str, str] = {}
    for action in reversed(GOVERNANCE_ACTIONS):
        if action not in table:
            continue
        keys = ("governance", action)
        for name in _categories(src, keys, table[action]):
            other = actions.get(name, action)
            if other != action:
                raise src.error(keys, f'"{name}" is also in {other}; keep each category in one list only')
            actions[name] = action
    return MappingProxyType(actions)


def _categories(src: Source, keys: tuple[str, ...], value: object) -> list[str]:
    src.typed(keys, value, list, _LIST_EXAMPLE)
    assert isinstance(value, list)
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise src.error(keys, f'item {number} must be a category name such as "private_key", not '
                                  f"{type_name(item)}; {_WHERE_NAMED}")
        if item not in CATEGORIES:
            close = closest(item, CATEGORIES)
            hint = f'did you mean "{close}"? ' if close else ""
            raise src.error(keys, f'unknown category "{item}"; {hint}{_WHERE_NAMED}')
    return value


def _inline_entities(src: Source, value: object) -> list[str]:
    keys = ("governance", "entities")
    src.typed(keys, value, list, _ENTITIES_EXAMPLE)
    assert isinstance(value, list)
    names: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise src.error(keys, f'item {number} must be a name such as "Acme Corp", not {type_name(item)}')
        if not _WORD.search(item):
            raise src.error(keys, f"item {number} must hold at least one letter or digit; fix it or remove it")
        names.append(item.strip())
    return names


def _file_entities(src: Source, value: object) -> list[str]:
    """The names in the entities file, one per line; a relative path is relative to the config file's folder."""
    keys = ("governance", "entities_file")
    file = Path(src.string(keys, value, '"entities.txt"')).expanduser()
    if not file.is_absolute():
        file = src.path.absolute().parent / file
    text = _read_entities(src, keys, file)
    from conduit.governance.entities import parse_entities

    try:
        return parse_entities(text)
    except ValueError as err:
        raise src.error(keys, f"{file}, {err}; fix or delete that line") from None


def _read_entities(src: Source, keys: tuple[str, ...], file: Path) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise src.error(keys, f"{file} does not exist; create it with one name per line, or fix the path") from None
    except IsADirectoryError:
        raise src.error(keys, f"{file} is a folder; point entities_file at a text file with one name per line") \
            from None
    except OSError as err:
        raise src.error(keys, f"{file} cannot be read ({err.strerror}); check its permissions") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise src.error(keys, f"{file} is not UTF-8 text (bad byte on line {line}); save it as UTF-8") from None
