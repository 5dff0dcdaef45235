"""packaging/conduit.service: runs `conduit proxy` with options the real CLI accepts, as a dedicated user, with the
hardening options set, a stop timeout above the shutdown grace, reload by SIGHUP; `systemd-analyze` (where
installed) finds nothing wrong and rates its exposure low."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import typer

from conduit.cli.app import app
from conduit.config.schema import DEFAULT_SHUTDOWN_GRACE_S

UNIT = Path(__file__).resolve().parents[2] / "packaging" / "conduit.service"
EXPECTED = {
    "User": "conduit",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "CapabilityBoundingSet": "",
    "AmbientCapabilities": "",
    "MemoryDenyWriteExecute": "yes",
    "LockPersonality": "yes",
    "RestrictNamespaces": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "UMask": "0077",
    "Restart": "on-failure",
    "ExecReload": "/bin/kill -HUP $MAINPID",
    "EnvironmentFile": "-/etc/conduit/conduit.env",
    "StateDirectory": "conduit",
}


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections → keys → every value given (systemd allows a key more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], defaultdict(list))
            continue
        assert current is not None, f"a setting outside any section: {line!r}"
        key, sep, value = line.partition("=")
        assert sep, f"not a Key=Value line: {line!r}"
        current[key.strip()].append(value.strip())
    return sections


@pytest.fixture(scope="module")
def service() -> dict[str, list[str]]:
    return parse_unit(UNIT.read_text())["Service"]


def test_hardening_options_are_set(service: dict[str, list[str]]) -> None:
    for key, value in EXPECTED.items():
        assert service[key] == [value], key
    assert service["SystemCallFilter"][0] == "@system-service"
    assert "/var/lib/conduit" in service["ReadWritePaths"][0].split()


def test_stop_timeout_outlasts_the_shutdown_grace(service: dict[str, list[str]]) -> None:
    [timeout] = service["TimeoutStopSec"]
    assert float(timeout.removesuffix("s")) > DEFAULT_SHUTDOWN_GRACE_S


def test_exec_start_parses_with_the_real_cli(service: dict[str, list[str]]) -> None:
    [exec_start] = service["ExecStart"]
    program, *args = shlex.split(exec_start)
    assert program.endswith("/conduit")
    assert args[:1] == ["proxy"] and "--log-format" in args and "json" in args
    group = typer.main.get_command(app)
    with group.make_context("conduit", args[:1]) as ctx:
        command = group.get_command(ctx, args[0])  # type: ignore[attr-defined]
        assert command is not None
        with command.make_context(args[0], args[1:], parent=ctx) as sub:
            assert sub.params["config"] == Path("/etc/conduit/conduit.toml")
            assert sub.params["log_format"] == "json"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_and_rates_the_unit(tmp_path: Path) -> None:
    conduit = shutil.which("conduit")
    assert conduit is not None, "the conduit command is not on PATH"
    unit = tmp_path / "conduit.service"
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/conduit", conduit))
    verify = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")
    security = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=20", str(unit)],
                              capture_output=True, text=True)
    assert security.returncode == 0, security.stdout[-2000:]
    assert "Overall exposure level for conduit.service: 1." in security.stdout
