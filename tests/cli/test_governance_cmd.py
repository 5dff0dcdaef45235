"""`conduit governance …`, run as a user runs it: hits with their place and a masked value, exit 1 when something
would be blocked, 0 when not, 2 for a mistake; `--help` stays free of the scanner's heavy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import conduit
from conduit.governance.categories import CATEGORIES

REPO = Path(conduit.__file__).resolve().parents[1]
ANTHROPIC = '[providers.anthropic]\nupstream = "https://api.anthropic.com"\n'
AWS_KEY = "AKIA" + "Z7Q2" + "M4XK" + "P6WB" + "R3TD"
TOOL_RESULT_PATH = "messages[1].content[0].content"


def run(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m conduit governance ARGS` in `cwd`, with CONDUIT_CONFIG unset."""
    env = {k: v for k, v in os.environ.items() if k != "CONDUIT_CONFIG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "conduit", "governance", *args]
    return subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=60)


def write(folder: Path, text: str, name: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def config(folder: Path, governance: str) -> Path:
    return write(folder, ANTHROPIC + "[governance]\n" + governance + "\n", "conduit.toml")


def request_with_key(folder: Path) -> Path:
    """An Anthropic Messages request whose tool result carries an AWS access key id (built, never committed)."""
    body = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "messages": [
            {"role": "user", "content": "What is in the env file?"},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "content": f"AWS_ACCESS_KEY_ID={AWS_KEY}\n"},
            ]},
        ],
    }
    return write(folder, json.dumps(body), "request.json")


def test_blocked_key_in_a_tool_result_exits_1_with_its_json_path(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)), "--config", str(path))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["aws_access_key", "block", TOOL_RESULT_PATH, "AKIA…"]
    assert lines[-1] == "1 finding: 1 would be blocked, 0 alerted"
    assert AWS_KEY not in result.stdout + result.stderr
    assert result.stderr == ""


def test_alerted_key_exits_0(tmp_path: Path) -> None:
    path = config(tmp_path, 'mode = "block"\nalert = ["aws_access_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)), "-c", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["aws_access_key", "alert", TOOL_RESULT_PATH, "AKIA…"]
    assert result.stdout.splitlines()[-1] == "1 finding: 0 would be blocked, 1 alerted"


def test_off_category_is_not_reported(tmp_path: Path) -> None:
    path = config(tmp_path, 'mode = "block"\noff = ["aws_access_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)), "-c", str(path))
    assert (result.returncode, result.stdout) == (0, "no findings\n")


def test_without_a_config_the_defaults_apply_with_a_note(tmp_path: Path) -> None:
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)))
    assert result.returncode == 0
    assert "no conduit.toml found; scanning with the defaults" in result.stderr
    assert result.stdout.splitlines()[0].split()[:3] == ["aws_access_key", "alert", TOOL_RESULT_PATH]


def test_config_in_the_current_folder_is_used(tmp_path: Path) -> None:
    config(tmp_path, 'block = ["aws_access_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)))
    assert result.returncode == 1
    assert result.stderr == ""


def test_text_file_reports_line_numbers(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    notes = write(tmp_path, f"# deploy notes\n\naws_access_key_id = {AWS_KEY}\n", "notes.md")
    result = run(tmp_path, "scan", str(notes), "-c", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].split() == ["aws_access_key", "block", "line", "3", "AKIA…"]


def test_json_that_is_not_an_object_is_scanned_as_text(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    body = write(tmp_path, json.dumps(["first", f"second {AWS_KEY}"], indent=1), "array.json")
    result = run(tmp_path, "scan", str(body), "-c", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].split()[:4] == ["aws_access_key", "block", "line", "3"]


def test_stdin(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    result = run(tmp_path, "scan", "-", "-c", str(path), stdin=request_with_key(tmp_path).read_text())
    assert result.returncode == 1
    assert TOOL_RESULT_PATH in result.stdout


def test_entities_from_the_entities_file(tmp_path: Path) -> None:
    write(tmp_path, "# codenames\nProject Falcon\nGlobex\n", "entities.txt")
    path = config(tmp_path, 'entities_file = "entities.txt"\nblock = ["entity"]')
    notes = write(tmp_path, "status update\nthe Project Falcon launch slips a week\n", "notes.txt")
    result = run(tmp_path, "scan", str(notes), "-c", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].split() == ["entity", "block", "line", "2", "Proj…"]
    assert "Falcon" not in result.stdout


def test_a_short_value_is_masked_to_half_its_length(tmp_path: Path) -> None:
    path = config(tmp_path, 'entities = ["Zeus"]')
    notes = write(tmp_path, "ship zeus today\n", "notes.txt")
    result = run(tmp_path, "scan", str(notes), "-c", str(path))
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].split() == ["entity", "alert", "line", "1", "ze…"]


def test_show_prints_the_value(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)), "-c", str(path), "--show")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].split() == ["aws_access_key", "block", TOOL_RESULT_PATH, AWS_KEY]


def test_json_output_parses_and_masks_unless_show(tmp_path: Path) -> None:
    path = config(tmp_path, 'block = ["aws_access_key"]')
    body = str(request_with_key(tmp_path))
    masked = run(tmp_path, "scan", body, "-c", str(path), "--json")
    assert masked.returncode == 1
    assert json.loads(masked.stdout) == [
        {"category": "aws_access_key", "action": "block", "where": TOOL_RESULT_PATH, "value": "AKIA…"}
    ]
    assert AWS_KEY not in masked.stdout
    assert "1 finding: 1 would be blocked" in masked.stderr
    shown = run(tmp_path, "scan", body, "-c", str(path), "--json", "--show")
    assert json.loads(shown.stdout)[0]["value"] == AWS_KEY


def test_clean_file_prints_no_findings_and_an_empty_json_array(tmp_path: Path) -> None:
    clean = write(tmp_path, '{"messages": [{"role": "user", "content": "hello"}]}', "clean.json")
    assert run(tmp_path, "scan", str(clean)).stdout == "no findings\n"
    assert json.loads(run(tmp_path, "scan", str(clean), "--json").stdout) == []


def test_mistakes_exit_2_with_one_line(tmp_path: Path) -> None:
    missing = run(tmp_path, "scan", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert missing.stderr == f"error: {tmp_path / 'nope.json'}: no such file; check the path, or pass - to read " \
                             "standard input\n"
    bad = config(tmp_path, 'block = ["aws_acces_key"]')
    result = run(tmp_path, "scan", str(request_with_key(tmp_path)), "-c", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {bad}:4: governance.block: unknown category \"aws_acces_key\"")
    assert len(result.stderr.splitlines()) == 1


def test_config_check_rejects_a_bad_table_and_summarises_a_good_one(tmp_path: Path) -> None:
    write(tmp_path, "Globex\nInitech\n", "entities.txt")
    env = {k: v for k, v in os.environ.items() if k != "CONDUIT_CONFIG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    check = [sys.executable, "-m", "conduit", "config", "check"]
    config(tmp_path, 'block = ["jwt"]\nalert = ["jwt"]')
    bad = subprocess.run(check, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert "governance.alert: \"jwt\" is also in block" in bad.stderr
    config(tmp_path, 'block = ["jwt", "private_key"]\noff = ["generic_secret"]\nentities_file = "entities.txt"')
    good = subprocess.run(check, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert ("governance: default alert; block jwt, private_key; off generic_secret; 2 entities; engine auto"
            in good.stdout.splitlines())
    assert "Globex" not in good.stdout


def test_categories_without_and_with_a_config(tmp_path: Path) -> None:
    plain = run(tmp_path, "categories")
    assert plain.returncode == 0
    assert plain.stdout.splitlines() == list(CATEGORIES)
    config(tmp_path, 'mode = "off"\nblock = ["private_key"]')
    lines = [line.split() for line in run(tmp_path, "categories").stdout.splitlines()]
    assert [line[0] for line in lines] == list(CATEGORIES)
    assert ["private_key", "block"] in lines
    assert ["jwt", "off"] in lines


def test_help_does_not_load_the_scanner() -> None:
    code = (
        "import sys\n"
        "from conduit.cli.app import main\n"
        "for argv in (['conduit', '--help'], ['conduit', 'governance', '--help'], "
        "['conduit', 'governance', 'scan', '--help']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('aiohttp', 'hyperscan', 'orjson', 'conduit.governance.scan', 'conduit.governance.engine',\n"
        "         'conduit.governance.entities')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout
    assert "LOADED []" in out
    assert "governance" in out and "FILE|-" in out
