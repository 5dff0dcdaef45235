"""`conduit governance …`: list the governance categories, and scan a file the way the proxy scans a request.

Imports typer and `conduit.config` at module level; the scanner (and hyperscan, orjson) only inside a command.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.config.loader import CONFIG_ENV, find_config_path
from conduit.config.schema import GovernanceConfig
from conduit.governance.categories import CATEGORIES
from conduit.governance.finding import ENTITY

if TYPE_CHECKING:
    from conduit.governance.scan import Inspection

app = typer.Typer(help="Find secrets and sensitive names the way the proxy does.", no_args_is_help=True)

DEFAULTS_NOTE = "note: no conduit.toml found; scanning with the defaults (every secret category alert, no entities)"
_SHOWN = 4


@app.command("categories")
def categories(
    config: Path | None = config_option(),
) -> None:
    """List every governance category, with its action under conduit.toml when there is one."""
    settings = _settings(config)
    width = max(len(name) for name in CATEGORIES)
    for name in CATEGORIES:
        if settings is None:
            typer.echo(name)
            continue
        note = "  (no entities listed)" if name == ENTITY and not settings.entities else ""
        typer.echo(f"{name:<{width}}  {settings.action_for(name)}{note}")


@app.command("scan")
def scan(
    file: Path = typer.Argument(..., metavar="FILE|-", help="A request body (JSON) or any text file; - for stdin."),
    config: Path | None = config_option(),
    show: bool = typer.Option(False, "--show", help="Print matched values in full instead of masked."),
    as_json: bool = typer.Option(False, "--json", help="Print the hits as a JSON array."),
) -> None:
    """Scan FILE as the proxy would scan a request; exit 1 if anything in it would be blocked."""
    settings = _settings(config)
    body = _read(file)
    if settings is None:
        typer.echo(DEFAULTS_NOTE, err=True)
        settings = GovernanceConfig()
    inspection, as_text = _inspect(settings, body)
    rows = _rows(inspection, as_text, show)
    blocked = len(inspection.blocking)
    summary = _summary(len(rows), blocked)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        typer.echo(summary, err=True)
    else:
        for line in _table(rows):
            typer.echo(line)
        typer.echo(summary)
    raise typer.Exit(1 if blocked else 0)


def mask(value: str) -> str:
    """The first few characters of `value` (at most 4, and never more than half of it) and an ellipsis."""
    return value[: min(_SHOWN, len(value) // 2)] + "…"


def _settings(path: Path | None) -> GovernanceConfig | None:
    """The config's `[governance]` settings, or None when no config is named and ./conduit.toml is absent."""
    named = path is not None or bool(os.environ.get(CONFIG_ENV))
    if not named and not find_config_path(None).exists():
        return None
    return load_or_exit(path).governance


def _read(file: Path) -> bytes:
    if str(file) == "-":
        return sys.stdin.buffer.read()
    try:
        return file.read_bytes()
    except FileNotFoundError:
        fail(f"{file}: no such file; check the path, or pass - to read standard input")
    except IsADirectoryError:
        fail(f"{file} is a folder; pass a file, or - to read standard input")
    except OSError as err:
        fail(f"{file} cannot be read ({err.strerror}); check its permissions")


def _inspect(settings: GovernanceConfig, body: bytes) -> tuple[Inspection, bool]:
    """Scan `body` as the proxy does: its decoded string values when it is a JSON object, else its text (True)."""
    from conduit.governance.scan import Governor
    from conduit.providers.json_fields import decode_object

    try:
        governor = Governor(settings.mode, settings.actions, settings.entities, engine=settings.engine)
    except ValueError as err:
        fail(str(err))
    document = decode_object(body)
    if document is None:
        return governor.inspect_text(body), True
    return governor.inspect_json(document), False


def _rows(inspection: Inspection, as_text: bool, show: bool) -> list[dict[str, str]]:
    """One row per hit; `where` is the JSON path, or `line N` when the body was scanned as text."""
    text = inspection.scannable.text
    newlines = [m.start() for m in re.finditer("\n", text)] if as_text else []
    rows = []
    for hit in inspection.hits:
        value = inspection.value(hit)
        where = f"line {bisect.bisect_left(newlines, hit.start) + 1}" if as_text else hit.where
        rows.append({"category": hit.category, "action": hit.action, "where": where,
                     "value": value if show else mask(value)})
    return rows


def _table(rows: list[dict[str, str]]) -> list[str]:
    """The rows as aligned columns, with control characters escaped so each hit stays on one line."""
    cells = [[_printable(row[name]) for name in ("category", "action", "where", "value")] for row in rows]
    widths = [max((len(cell[column]) for cell in cells), default=0) for column in range(3)]
    return ["  ".join([*(cell[c].ljust(widths[c]) for c in range(3)), cell[3]]) for cell in cells]


def _printable(value: str) -> str:
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in value)


def _summary(found: int, blocked: int) -> str:
    if not found:
        return "no findings"
    noun = "finding" if found == 1 else "findings"
    return f"{found} {noun}: {blocked} would be blocked, {found - blocked} alerted"
