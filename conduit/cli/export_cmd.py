"""`conduit export`: metadata-only usage rows as CSV, JSON or JSONL to stdout or (atomically) to a file, with the
SHA-256 of what was written on stderr and, with --manifest, a manifest beside the file.

Imports typer and `conduit.cli` / `conduit.core` at module level; the store and the writers inside the command.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.core.moments import iso_ms, moment_ms, window_ms

if TYPE_CHECKING:
    from conduit.export.run import ExportSummary
    from conduit.store.export_rows import ExportFilter

FORMAT_NAMES = ("csv", "json", "jsonl")
TIME_HELP = "a duration back from now (7d, 12h, 90m, 2w), `today`, or a UTC date/time such as 2026-11-01"


def export(
    fmt: str = typer.Option("csv", "--format", "-f", help="Output format: csv, json or jsonl."),
    since: str | None = typer.Option(None, "--since", help=f"Only events at or after this moment: {TIME_HELP}."),
    until: str | None = typer.Option(None, "--until", help="Only events before this moment (same forms)."),
    key: str | None = typer.Option(None, "--key", help="Only this key: its name, prefix or id."),
    team: str | None = typer.Option(None, "--team", help="Only this team."),
    model: str | None = typer.Option(None, "--model", help="Only models matching this glob, e.g. 'claude-*'."),
    status: list[str] | None = typer.Option(
        None, "--status", help="Only these statuses (repeat, or separate with commas), e.g. governance_blocked."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file atomically (default, or `-`: stdout)."
    ),
    manifest: bool = typer.Option(False, "--manifest", help="Also write <output>.manifest.json (needs --output)."),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", help="Processes encoding rows at once (default: one per CPU, at most 4)."
    ),
    config: Path | None = config_option(),
    db: Path | None = typer.Option(None, "--db", help="Usage database to read (default: `database` in conduit.toml)."),
) -> None:
    """Export usage events (metadata only) as CSV, JSON or JSONL; the SHA-256 of the output goes to stderr."""
    if fmt not in FORMAT_NAMES:
        fail(f"unknown --format {fmt!r}; use csv, json or jsonl")
    if output == Path("-"):
        output = None
    if manifest and output is None:
        fail("--manifest needs --output FILE (the manifest is written beside that file)")
    if jobs is not None and jobs < 1:
        fail(f"--jobs must be 1 or more, not {jobs}")
    export_filter = _filter_or_exit(since, until, key, team, model, status or [])
    db_path = db if db is not None else load_or_exit(config).database
    summary = _export_or_exit(db_path, export_filter, fmt, output, jobs)
    shown = "-" if output is None else str(output)
    typer.echo(f"exported {summary.row_count} rows ({fmt}) to {'stdout' if output is None else shown}", err=True)
    if manifest and output is not None:
        typer.echo(f"manifest written to {_manifest_or_exit(output, fmt, export_filter, summary)}", err=True)
    typer.echo(f"{summary.sha256}  {shown}", err=True)


def _filter_or_exit(
    since: str | None, until: str | None, key: str | None, team: str | None, model: str | None, status: list[str]
) -> ExportFilter:
    """The filter the options describe, or exit 2 naming the bad option."""
    from conduit.store.export_rows import ExportFilter, parse_statuses

    now_ms = time.time_ns() // 1_000_000
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                moment_ms(value, now_ms)
            except ValueError as exc:
                fail(f"{name} {exc}")
    try:
        since_ms, until_ms = window_ms(since, until, now_ms)
        statuses = parse_statuses(status)
        return ExportFilter(since_ms, until_ms, key, team, model, statuses)
    except ValueError as exc:
        fail(f"--status: {exc}" if str(exc).startswith("unknown status") else str(exc))


def _export_or_exit(
    db_path: Path, export_filter: ExportFilter, fmt: str, output: Path | None, jobs: int | None
) -> ExportSummary:
    """Run the export; a missing or unreadable database, a write error or Ctrl-C exits non-zero in one line,
    leaving no output file behind."""
    import sqlite3
    from concurrent.futures.process import BrokenProcessPool

    from conduit.export.atomic import atomic_output
    from conduit.export.filter_doc import filter_document
    from conduit.export.formats import FORMATS
    from conduit.export.run import run_export
    from conduit.export.workers import default_jobs, encoded_chunks
    from conduit.store.errors import StoreError
    from conduit.store.queries.reader import open_reader

    untouched = "" if output is None else f"; {output} was not written"
    try:
        conn = open_reader(db_path)
    except StoreError as exc:
        fail(str(exc))
    chunks = encoded_chunks(conn, db_path, export_filter, fmt, jobs=jobs or default_jobs())
    try:
        if output is None:
            summary = run_export(chunks, FORMATS[fmt], sys.stdout.buffer, filter_document(export_filter))
            sys.stdout.buffer.flush()
            return summary
        with atomic_output(output) as out:
            return run_export(chunks, FORMATS[fmt], out, filter_document(export_filter))
    except KeyboardInterrupt:
        fail(f"export interrupted{untouched}", 130)
    except BrokenProcessPool:
        fail(f"an export worker process stopped unexpectedly (killed, or out of memory?){untouched}; "
             "try again, or with --jobs 1", 1)
    except sqlite3.Error as exc:
        fail(f"{_read_error(db_path, exc)}{untouched}", 1)
    except BrokenPipeError:  # the reader of stdout went away (`| head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None
    except OSError as exc:
        where = "stdout" if output is None else str(output)
        fail(f"cannot write {where} ({exc.strerror or exc}); check the path and free space{untouched}", 1)
    finally:
        chunks.close()
        conn.close()


def _read_error(db_path: Path, exc: Exception) -> str:
    """What went wrong reading the events, without echoing any stored value (a decoding error quotes one)."""
    import sqlite3

    from conduit.store.errors import sqlite_error

    if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) is not None:
        return str(sqlite_error(db_path, exc, "reading its usage events"))
    return f"cannot read the usage events in {db_path} ({type(exc).__name__}); the database may be damaged"


def _manifest_or_exit(output: Path, fmt: str, export_filter: ExportFilter, summary: ExportSummary) -> Path:
    """Write the manifest beside `output` and return its path, or exit 1 saying why it could not be written."""
    from conduit import __version__
    from conduit.export.filter_doc import filter_document
    from conduit.export.manifest import manifest_document, write_manifest

    exported_at = iso_ms(time.time_ns() // 1_000_000)
    document = manifest_document(output, fmt, filter_document(export_filter), summary, exported_at, __version__)
    try:
        return write_manifest(output, document)
    except OSError as exc:
        fail(f"exported {output}, but cannot write its manifest ({exc.strerror or exc})", 1)
