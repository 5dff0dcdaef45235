"""Prepares the demo's home: a folder (temporary, or beside `--db`) with a conduit.toml whose providers point at
the simulated provider, a 0600 master key, sealed stand-in provider credentials and a virtual key per engineer.

Runs synchronously, before the proxy starts. Imports `conduit.config`, `conduit.core` and `conduit.store`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from conduit.config.loader import load_config
from conduit.config.schema import Config
from conduit.core.policy import Budget
from conduit.core.sealing import seal
from conduit.demo.scenario import Scenario
from conduit.store import credentials
from conduit.store import keys as key_store
from conduit.store.errors import StoreError
from conduit.store.master_key import create_key_file, load_master_key
from conduit.store.migrations import migrate

MARKER = "# Written by `conduit demo`: providers point at its simulated provider. Safe to delete."
_CREDENTIALS = {"anthropic": "demo-anthropic", "openai": "demo-openai"}


class DemoSetupError(StoreError):
    """The demo cannot use the folder or database it was given; the message says what to pass instead."""


@dataclass(frozen=True, slots=True)
class DemoHome:
    """Where a demo keeps its files; a `temporary` home is removed when the demo ends."""

    folder: Path
    config_path: Path
    database: Path
    key_file: Path
    temporary: bool


def choose_home(db: Path | None) -> DemoHome:
    """A fresh temporary home, or one beside `db` (`demo.db` → `demo.toml`, `demo.key`) that only a demo made."""
    if db is None:
        folder = Path(tempfile.mkdtemp(prefix="conduit-demo-"))
        return DemoHome(folder, folder / "conduit.toml", folder / "conduit.db", folder / "conduit.key", True)
    db = db.expanduser().resolve()
    if db.suffix in (".toml", ".key") or db.is_dir():
        raise DemoSetupError(f"--db {db} must name a database file, for example --db demo.db")
    config_path, key_file = db.with_suffix(".toml"), db.with_suffix(".key")
    made_by_demo = config_path.is_file() and config_path.read_text(encoding="utf-8").startswith(MARKER)
    if config_path.exists() and not made_by_demo:
        raise DemoSetupError(f"{config_path} exists and was not written by `conduit demo`; pick another --db name")
    if db.exists() and not made_by_demo:
        raise DemoSetupError(f"{db} was not made by `conduit demo`; pass a new file name to --db")
    db.parent.mkdir(parents=True, exist_ok=True)
    return DemoHome(db.parent, config_path, db, key_file, False)


def remove_home(home: DemoHome) -> None:
    """Delete a temporary home and everything in it; a kept home is left alone."""
    if home.temporary:
        shutil.rmtree(home.folder, ignore_errors=True)


def write_config(home: DemoHome, scenario: Scenario, upstream: str) -> Config:
    """Write the demo's conduit.toml (providers at `upstream`, the scenario's teams and rules) and load it."""
    home.config_path.write_text(config_text(home, scenario, upstream), encoding="utf-8")
    return load_config(home.config_path)


def config_text(home: DemoHome, scenario: Scenario, upstream: str) -> str:
    """The demo's conduit.toml."""
    lines = [
        MARKER,
        'listen = "127.0.0.1:0"',
        f'database = "{home.database.name}"',
        f'master_key_file = "{home.key_file.name}"',
        "shutdown_grace_s = 5",
    ]
    for provider, credential in _CREDENTIALS.items():
        lines += ["", f"[providers.{provider}]", f'upstream = "{upstream}"', f'api = "{provider}"',
                  'auth = "virtual"', f'credential = "{credential}"']
    for team in scenario.teams:
        models = ", ".join(f'"{pattern}"' for pattern in team.models)
        lines += ["", f"[teams.{team.name}]", f'budget = {{ usd = {team.budget_usd}, period = "day" }}',
                  f"models = [{models}]"]
    lines += ["", "[budget]", f"usd = {scenario.org_budget_usd}", 'period = "day"', 'timezone = "UTC"']
    blocked = ", ".join(f'"{name}"' for name in scenario.blocked_categories)
    entities = ", ".join(f'"{name}"' for name in scenario.entities)
    lines += ["", "[governance]", 'mode = "alert"', f"block = [{blocked}]", f"entities = [{entities}]"]
    return "\n".join(lines) + "\n"


def provision(config: Config, scenario: Scenario) -> dict[str, str]:
    """Migrate the database, seal stand-in credentials and give every engineer a key; returns name → plain key.

    An engineer who already has a key (a kept `--db`) gets it rotated, so their spend and limits carry over."""
    migrate(config.database)
    assert config.master_key_file is not None
    create_key_file(config.master_key_file)
    master_key = load_master_key(config.master_key_file)
    for provider, name in _CREDENTIALS.items():
        credentials.put(config.database, name, provider, seal(master_key, name, provider, f"sim-{provider}-demo"))
    plain: dict[str, str] = {}
    for person in scenario.engineers:
        if key_store.find_active(config.database, person.name) is not None:
            plain[person.name] = key_store.rotate(config.database, person.name)[1]
            continue
        budget = Budget(person.budget_usd, "day") if person.budget_usd else None
        plain[person.name] = key_store.create(
            config.database, person.name, team=person.team, budget=budget, models=person.models
        )[1]
    return plain
