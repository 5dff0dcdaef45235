"""`conduit export` as a user runs it: stdout by default, atomic --output, the SHA-256 on stderr, --manifest,
every filter option cross-checked against SQL in every format, and one clear line for every mistake."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conduit.cli.app import app
from conduit.export.atomic import partial_prefix
from tests.conftest import write_config
from tests.export.sample_events import (
    CASES,
    Case,
    assert_totals_match,
    bulk_seed,
    parse_export,
    seed,
    sql_totals,
    totals_of,
)

FORMATS = ("csv", "json", "jsonl")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return seed(tmp_path / "conduit.db")


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", *args])


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.strip().splitlines()


def leftovers(target: Path) -> list[Path]:
    return [p for p in target.parent.iterdir() if p.name.startswith(partial_prefix(target))]


@pytest.mark.parametrize("fmt", FORMATS)
def test_stdout_by_default_with_digest_on_stderr(db: Path, fmt: str) -> None:
    result = run("--db", str(db), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    rows = parse_export(fmt, result.stdout_bytes)
    assert len(rows) == sql_totals(db)["rows"]
    assert stderr_lines(result) == [f"exported {len(rows)} rows ({fmt}) to stdout",
                                    f"{hashlib.sha256(result.stdout_bytes).hexdigest()}  -"]


def test_output_dash_means_stdout(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--db", str(db), "--output", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == run("--db", str(db)).stdout_bytes
    assert not (tmp_path / "-").exists()


def test_csv_is_the_default_format(db: Path) -> None:
    assert run("--db", str(db)).stdout_bytes.startswith(b"timestamp,request_id,key_name,")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_filter_option_matches_direct_sql(db: Path, case: Case, fmt: str) -> None:
    result = run("--db", str(db), "--format", fmt, *case.options)
    assert result.exit_code == 0, result.stderr
    assert_totals_match(totals_of(parse_export(fmt, result.stdout_bytes)), sql_totals(db, case.where))


def test_relative_and_absolute_times(tmp_path: Path) -> None:
    now_ms = time.time_ns() // 1_000_000
    db = bulk_seed(tmp_path / "recent.db", 10, start_ms=now_ms - 10 * 86_400_000)
    with sqlite3.connect(db) as conn:  # one event per day, the newest a day ago
        conn.execute("UPDATE usage_events SET started_at_ms = started_at_ms + (id - 1) * 86399000")
    assert len(parse_export("csv", run("--db", str(db), "--since", "7d").stdout_bytes)) == 6
    assert len(parse_export("csv", run("--db", str(db), "--since", "7d", "--until", "3d").stdout_bytes)) == 4
    assert len(parse_export("csv", run("--db", str(db), "--since", "2000-01-01").stdout_bytes)) == 10


def test_output_file_digest_and_manifest(db: Path, tmp_path: Path) -> None:
    output = tmp_path / "usage.jsonl"
    result = run("--db", str(db), "-f", "jsonl", "--team", "platform", "--status", "success", "-o", str(output),
                 "--manifest")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b""
    data = output.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    manifest_file = tmp_path / "usage.jsonl.manifest.json"
    rows = parse_export("jsonl", data)
    assert stderr_lines(result) == [f"exported {len(rows)} rows (jsonl) to {output}",
                                    f"manifest written to {manifest_file}", f"{digest}  {output}"]
    manifest = json.loads(manifest_file.read_bytes())
    assert manifest["file"] == "usage.jsonl" and manifest["sha256"] == digest and manifest["format"] == "jsonl"
    assert manifest["filter"] == {"since": None, "until": None, "key": None, "team": "platform", "model": None,
                                  "status": ["success"]}
    assert manifest["row_count"] == len(rows) == sql_totals(db, "team = 'platform' AND status = 'success'")["rows"]
    assert (manifest["first_timestamp"], manifest["last_timestamp"]) == (rows[0]["timestamp"], rows[-1]["timestamp"])
    assert manifest["exported_at"].endswith("Z") and manifest["conduit_version"]
    assert leftovers(output) == []


def test_database_from_the_config_file(db: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    result = run("--config", str(config), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout_bytes)["row_count"] == sql_totals(db)["rows"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_worker_processes_change_nothing_in_the_output(tmp_path: Path, fmt: str) -> None:
    db = bulk_seed(tmp_path / "big.db", 25_000)  # three chunks
    one = run("--db", str(db), "-f", fmt, "--jobs", "1")
    assert one.exit_code == 0, one.stderr
    assert len(parse_export(fmt, one.stdout_bytes)) == 25_000
    for jobs in (("--jobs", "2"), ("-j", "3"), ()):
        result = run("--db", str(db), "-f", fmt, *jobs)
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == one.stdout_bytes and result.stderr == one.stderr


def test_output_overwrites_an_old_export_completely(db: Path, tmp_path: Path) -> None:
    output = tmp_path / "usage.csv"
    output.write_bytes(b"old contents " * 100_000)
    assert run("--db", str(db), "-o", str(output), "--team", "nobody").exit_code == 0
    assert output.read_bytes().count(b"\r\n") == 1


@pytest.mark.parametrize(("args", "message"), [
    (("--status", "blocked"), "error: --status: unknown status 'blocked'; use one of: success,"),
    (("--since", "yesterday"), "error: --since 'yesterday' is neither a duration nor a date;"),
    (("--until", ""), "error: --until is empty;"),
    (("--since", "2026-11-05", "--until", "2026-11-01"), "error: --until (2026-11-01) must be after --since"),
    (("--format", "xml"), "error: unknown --format 'xml'; use csv, json or jsonl"),
    (("--manifest",), "error: --manifest needs --output FILE"),
    (("--team", ""), "error: --team is empty"),
    (("--jobs", "0"), "error: --jobs must be 1 or more, not 0"),
])
def test_a_bad_option_is_one_clear_line_and_nothing_is_written(db: Path, tmp_path: Path, args: tuple[str, ...],
                                                              message: str) -> None:
    output = tmp_path / "out.csv"
    extra = () if "--manifest" in args else ("-o", str(output))
    result = run("--db", str(db), *args, *extra)
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    (line,) = stderr_lines(result)
    assert line.startswith(message)
    assert not output.exists() and leftovers(output) == []


def test_missing_database(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert line.startswith(f"error: there is no usage database at {tmp_path / 'none.db'}")
    assert list(tmp_path.iterdir()) == []


def test_database_from_a_newer_conduit(db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    result = run("--db", str(db), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert "was written by a newer Conduit (schema v999" in line
    assert not (tmp_path / "out.csv").exists()


def test_no_config_and_no_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONDUIT_CONFIG", raising=False)
    result = run()
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and result.stdout_bytes == b""


def test_output_folder_missing(db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "-o", str(tmp_path / "no" / "out.csv"))
    assert result.exit_code == 1
    (line,) = stderr_lines(result)
    assert line.startswith(f"error: cannot write {tmp_path / 'no' / 'out.csv'} (No such file or directory)")


def test_failure_late_in_the_export_leaves_the_old_file(tmp_path: Path) -> None:
    db = bulk_seed(tmp_path / "big.db", 5_000)
    with sqlite3.connect(db) as conn:  # the newest row needs quoting but is not UTF-8: the export fails at its end
        conn.execute("UPDATE usage_events SET request_id = CAST(x'ff2c' AS TEXT) WHERE id = 5000")
    output = tmp_path / "usage.csv"
    output.write_bytes(b"previous export")
    result = run("--db", str(db), "-o", str(output))
    assert result.exit_code == 1
    (line,) = stderr_lines(result)
    assert line.startswith(f"error: cannot read the usage events in {db}") and line.endswith(
        f"{output} was not written")
    assert output.read_bytes() == b"previous export" and leftovers(output) == []


def test_a_worker_process_dying_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = bulk_seed(tmp_path / "big.db", 25_000)
    monkeypatch.setattr("conduit.export.workers.encode_chunk", lambda *args: os._exit(9))  # as if OOM-killed
    output = tmp_path / "usage.csv"
    result = run("--db", str(db), "-o", str(output), "--jobs", "2")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"error: an export worker process stopped unexpectedly (killed, or out of memory?); {output} was not "
        "written; try again, or with --jobs 1"]
    assert not output.exists() and leftovers(output) == []


def default_sigint() -> None:
    """In the child: Ctrl-C acts even when the test runs where SIGINT is ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_exporting_leaves_no_file(tmp_path: Path) -> None:
    db = bulk_seed(tmp_path / "big.db", 100_000)
    output = tmp_path / "usage.json"
    child = subprocess.Popen([sys.executable, "-m", "conduit", "export", "--db", str(db), "-f", "json",
                              "-o", str(output)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=default_sigint)
    deadline = time.monotonic() + 60
    while not leftovers(output):  # the export has started writing its temporary file
        assert child.poll() is None and time.monotonic() < deadline, child.stderr.read() if child.stderr else ""
        time.sleep(0.005)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err.decode().strip() == f"error: export interrupted; {output} was not written"
    assert not output.exists() and leftovers(output) == []


def test_reader_of_stdout_going_away_stops_quietly(tmp_path: Path) -> None:
    db = bulk_seed(tmp_path / "big.db", 5_000)
    child = subprocess.Popen([sys.executable, "-m", "conduit", "export", "--db", str(db), "-f", "jsonl"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100).startswith(b'{"timestamp":')
    child.stdout.close()  # like `| head -c 100`
    err = child.stderr.read()
    assert child.wait(timeout=60) == 141
    assert err == b""
