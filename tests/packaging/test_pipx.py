"""`pipx install .` from a clean copy of the checkout gives a working `conduit` command.

pipx and pip are confined to temporary folders and install offline from the wheelhouse of pinned, hash-checked
wheels that packaging/build.sh downloads ($CONDUIT_WHEELHOUSE; CI sets it, without it the test is skipped).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import conduit

ROOT = Path(__file__).resolve().parents[2]


def clean_copy(dest: Path) -> Path:
    """Copy the files a commit of this checkout would hold (tracked, plus new files git does not ignore)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def test_pipx_install_from_a_clean_checkout(tmp_path: Path) -> None:
    wheelhouse = os.environ.get("CONDUIT_WHEELHOUSE")
    if not wheelhouse:
        pytest.skip("set CONDUIT_WHEELHOUSE to build/wheelhouse after `bash packaging/build.sh` (CI does)")
    assert Path(wheelhouse).is_dir(), f"CONDUIT_WHEELHOUSE={wheelhouse} is not a folder"
    assert importlib.util.find_spec("pipx"), "pipx is missing; it comes with the test extras (pip install -e '.[test]')"
    source = clean_copy(tmp_path / "checkout")
    bin_dir = tmp_path / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PIPX_", "CONDUIT_", "VIRTUAL_ENV"))}
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "man"),
               PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(Path(wheelhouse).resolve()),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    installed = subprocess.run([sys.executable, "-m", "pipx", "install", str(source)], env=env,
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    conduit_cmd = bin_dir / "conduit"
    version = subprocess.run([str(conduit_cmd), "--version"], capture_output=True, text=True, timeout=60,
                             cwd=tmp_path, env=env)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"conduit {conduit.__version__}"
    sim_help = subprocess.run([str(conduit_cmd), "sim", "--help"], capture_output=True, text=True, timeout=60,
                              cwd=tmp_path, env=env)
    assert sim_help.returncode == 0 and "--port" in sim_help.stdout, sim_help.stderr
    init = subprocess.run([str(conduit_cmd), "init"], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env=env)
    check = subprocess.run([str(conduit_cmd), "config", "check"], capture_output=True, text=True, timeout=60,
                           cwd=tmp_path, env=env)
    assert init.returncode == 0 and check.returncode == 0, init.stderr + check.stderr
    packaged = Path(tmp_path / "pipx" / "venvs" / "conduit-gateway").rglob("conduit/core/pricing.toml")
    assert any(packaged), "the pricing book is not installed with the package"
