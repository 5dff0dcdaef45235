"""How the long-running commands log: `text` (one readable line per record) or `json` (one JSON object per line:
`ts`, `level`, `logger`, `message` and any scalar extras). Both write an exception's type and stack but never its
message, which may quote request bytes (a malformed request, a third-party error).
Imports the standard library and `conduit.core.moments`.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from enum import StrEnum
from types import TracebackType
from typing import TextIO

from conduit.core.moments import iso_ms

HANDLER_NAME = "conduit"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class LogFormat(StrEnum):
    """The `--log-format` choices."""

    TEXT = "text"
    JSON = "json"


def exception_summary(exc_info: _ExcInfo) -> str:
    """The traceback of an exception with its type but without its message."""
    exc_type, _, tb = exc_info
    name = "None" if exc_type is None else exc_type.__qualname__
    frames = "".join(traceback.format_tb(tb)) if tb is not None else ""
    return f"Traceback (most recent call last):\n{frames}{name} (message not logged)"


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message`, with an exception's stack and type but not its message."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """One record as text (never from the record's cached exception text, which holds the message)."""
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        if record.exc_info:
            line += "\n" + exception_summary(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts (ISO 8601 UTC), level, logger, message, scalar extras, exception summary."""

    def format(self, record: logging.LogRecord) -> str:
        """One record as a single line of JSON."""
        entry: dict[str, object] = {
            "ts": iso_ms(int(record.created * 1000)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _RECORD_FIELDS and name not in entry and isinstance(value, (str, int, float, bool)):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = exception_summary(record.exc_info)
        return json.dumps(entry, separators=(",", ":"))


def configure_logging(log_format: LogFormat, stream: TextIO | None = None, level: int = logging.INFO) -> None:
    """Send every logger's records at `level` and above to `stream` (stderr) in `log_format`; calling it again
    replaces the handler it installed before."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if log_format is LogFormat.JSON else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
