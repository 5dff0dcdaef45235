"""`conduit config check`, run as a user runs it: a summary and exit 0, or one located error line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import conduit

REPO = Path(conduit.__file__).resolve().parents[1]
ANTHROPIC = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit config check ARGS` in `cwd`, with CONDUIT_CONFIG unset unless `env` sets it."""
    base = {k: v for k, v in os.environ.items() if k != "CONDUIT_CONFIG"}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO), base.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "conduit", "config", "check", *args]
    return subprocess.run(command, cwd=cwd, env={**base, **(env or {})}, capture_output=True, text=True, timeout=60)


def write(folder: Path, text: str, name: str = "conduit.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_prints_summary(tmp_path: Path) -> None:
    path = write(tmp_path, f"""listen = "[::1]:9000"
database = "db/usage.db"
{ANTHROPIC}
[providers.groq]
upstream = "https://api.groq.com/openai/"

[pricing."my-finetune"]
input = 3.0
output = 15.0
""")
    result = run(tmp_path, "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"ok: {path}" in result.stdout
    assert "listen:    [::1]:9000" in result.stdout
    assert f"database:  {tmp_path / 'db' / 'usage.db'}" in result.stdout
    assert "anthropic -> https://api.anthropic.com (anthropic)" in result.stdout
    assert "groq -> https://api.groq.com/openai (openai)" in result.stdout
    assert "pricing overrides: 1" in result.stdout


def test_summary_shows_auth_teams_and_budget(tmp_path: Path) -> None:
    path = write(tmp_path, f"""master_key_file = "keys/master.key"
{ANTHROPIC}auth = "virtual"
credential = "anthropic-prod"

[providers.azure]
upstream = "https://corp.openai.azure.com/openai"
auth = "virtual"
credential = "azure-east"

[providers.openai]
upstream = "https://api.openai.com"

[teams.platform]
budget = {{ usd = 500, period = "week" }}
models = ["claude-*", "gpt-5*"]
rate_limit = {{ rpm = 600, tpm = 4_000_000 }}

[teams.research]

[budget]
usd = 5000
timezone = "Europe/Berlin"
mode = "strict"
""")
    result = run(tmp_path, "--config", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"master key file: {tmp_path / 'keys' / 'master.key'}" in lines
    virtual = "auth virtual with credential"
    assert lines[lines.index("providers:") + 1 :][:3] == [
        f'  anthropic -> https://api.anthropic.com (anthropic), {virtual} "anthropic-prod" in x-api-key',
        f'  azure -> https://corp.openai.azure.com/openai (openai), {virtual} "azure-east" in api-key',
        "  openai -> https://api.openai.com (openai), auth passthrough",
    ]
    assert lines[lines.index("teams: 2") + 1 :] == [
        "  platform: budget $500.00 per week; models claude-*, gpt-5*; rate limit 600 rpm, 4,000,000 tpm",
        "  research: no budget; any model; no rate limit",
        "budget: org $5,000.00 per month; timezone Europe/Berlin; mode strict; unpriced models deny",
    ]


def test_summary_defaults_to_no_teams_and_no_org_budget(tmp_path: Path) -> None:
    result = run(tmp_path, "--config", str(write(tmp_path, ANTHROPIC)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "teams: 0",
        "budget: no org budget; timezone UTC; mode estimate; unpriced models deny",
    ]


# (file text, line, key, words the error must contain): one case per kind of mistake.
BAD = [
    ('listen = "127.0.0.1:8080"\nlisten_on = 1\n' + ANTHROPIC, 2, "listen_on", "unknown key; did you mean `listen`?"),
    (ANTHROPIC + "timeout = 5\n", 3, "providers.anthropic.timeout", "unknown key"),
    ("max_request_bytes = '1MB'\n" + ANTHROPIC, 1, "max_request_bytes", "must be an integer, not a string"),
    ('\n[providers.anthropic]\nupstream = "https://api.anthropic.com?k=v"\n', 3, "providers.anthropic.upstream",
     "https://host[:port][/path]; remove the ?query"),
    ('listen = "127.0.0.1"\n' + ANTHROPIC, 1, "listen", "has no port"),
    (ANTHROPIC + 'api = "bedrock"\n', 3, "providers.anthropic.api", 'use "anthropic", or "openai"'),
    ('[providers.mine]\nupstream = "http://10.0.0.5:8000"\n', 1, "providers.mine", 'add api = "anthropic"'),
    ('[providers."Open AI"]\nupstream = "https://api.openai.com"\n', 1, 'providers."Open AI"', "lowercase"),
    ('[providers.metrics]\nupstream = "https://api.openai.com"\n', 1, "providers.metrics", "reserved"),
    ('listen = "127.0.0.1:8080"\n[providers]\n', 2, "providers", "no providers configured"),
    (ANTHROPIC + "read_timeout_s = -5\n", 3, "providers.anthropic.read_timeout_s", "more than zero seconds"),
    ("shutdown_grace_s = -1\n" + ANTHROPIC, 1, "shutdown_grace_s", "zero or more seconds"),
    (ANTHROPIC + '\n[pricing."gpt-4.1-x"]\ninput = 2.0\n', 4, 'pricing."gpt-4.1-x"', "missing output"),
    (ANTHROPIC + "\n[pricing.m]\ninput = 2.0\noutput = -1\n", 6, "pricing.m.output", "zero or more USD"),
    (ANTHROPIC + 'auth = "virtual"\n', 1, "providers.anthropic", "but no credential; add credential ="),
    (ANTHROPIC + 'credential = "c"\n', 3, "providers.anthropic.credential", 'only used with auth = "virtual"'),
    (ANTHROPIC + 'auth = "virtual"\ncredential = "c"\ncredential_header = "bearer"\n', 5,
     "providers.anthropic.credential_header", 'use "x-api-key", "authorization" or "api-key"'),
    (ANTHROPIC + "[teams.Platform]\n", 3, "teams.Platform", "lowercase letters"),
    (ANTHROPIC + "[teams.a]\nbudget = { usd = 0 }\n", 4, "teams.a.budget.usd", "more than zero USD"),
    (ANTHROPIC + "[teams.a]\nmodels = ['']\n", 4, "teams.a.models", "item 1 must be a model name pattern"),
    (ANTHROPIC + "[teams.a]\nrate_limit = { rpm = 1.5 }\n", 4, "teams.a.rate_limit.rpm", "must be an integer"),
    (ANTHROPIC + "[budget]\nperiod = 'year'\n", 4, "budget.period", "no usd"),
    (ANTHROPIC + "[budget]\nusd = 1\nperiod = 'year'\n", 5, "budget.period", 'use "day", "week" or "month"'),
    (ANTHROPIC + "[budget]\ntimezone = 'Mars/Olympus'\n", 4, "budget.timezone", "unknown time zone"),
    (ANTHROPIC + "[budget]\nmode = 'exact'\n", 4, "budget.mode", 'use "estimate" or "strict"'),
    (ANTHROPIC + "[budget]\nlimit = 1\n", 4, "budget.limit", "unknown key"),
]


@pytest.mark.parametrize(("text", "line", "key", "says"), BAD)
def test_bad_file_is_one_located_line_and_exit_2(tmp_path: Path, text: str, line: int, key: str, says: str) -> None:
    path = write(tmp_path, text)
    result = run(tmp_path, "--config", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:{line}: {key}: ")
    assert says in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_syntax_error_has_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, ANTHROPIC + 'api = "anthropic\n')
    result = run(tmp_path, "--config", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}:3: invalid TOML: ")
    assert "Traceback" not in result.stderr


def test_missing_file_suggests_init(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: conduit.toml: no such file; run `conduit init` to create one\n"


def test_default_is_conduit_toml_in_the_working_folder(tmp_path: Path) -> None:
    write(tmp_path, ANTHROPIC)
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"ok: {tmp_path / 'conduit.toml'}" in result.stdout


def test_env_var_beats_working_folder_and_flag_beats_env(tmp_path: Path) -> None:
    write(tmp_path, "this is not toml")
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    from_env = write(elsewhere, ANTHROPIC, "from-env.toml")
    result = run(tmp_path, env={"CONDUIT_CONFIG": str(from_env)})
    assert result.returncode == 0, result.stderr
    assert f"ok: {from_env}" in result.stdout
    flagged = write(elsewhere, '[providers.openai]\nupstream = "https://api.openai.com"\n', "flag.toml")
    result = run(tmp_path, "--config", str(flagged), env={"CONDUIT_CONFIG": str(from_env)})
    assert result.returncode == 0, result.stderr
    assert f"ok: {flagged}" in result.stdout
    assert "openai -> https://api.openai.com (openai)" in result.stdout
