"""The package's import rules and typing hold: pure layers import no I/O frameworks, and mypy --strict passes."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import conduit

PURE_PACKAGES = ("conduit.core", "conduit.config", "conduit.providers")
FORBIDDEN = ("aiohttp", "aiosqlite", "textual", "typer")


def modules_of(package: str) -> list[str]:
    path = Path(conduit.__file__).parent / package.split(".", 1)[1]
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_layers_import_no_io_framework(package: str) -> None:
    names = modules_of(package)
    assert names
    code = f"import sys\nfor n in {names!r}:\n    __import__(n)\nprint(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_proxy_and_store_never_import_textual() -> None:
    names = modules_of("conduit.proxy") + modules_of("conduit.store")
    code = f"import sys\nfor n in {names!r}:\n    __import__(n)\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_package_passes_mypy_strict() -> None:
    root = Path(conduit.__file__).parent.parent
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "conduit"], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
