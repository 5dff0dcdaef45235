"""`conduit proxy`: load the config and run the proxy in the foreground.

aiohttp and the proxy package are imported inside the command, never at module level.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

import typer

from conduit.cli.config_file import config_option, load_or_exit
from conduit.cli.errors import fail
from conduit.cli.log_format import LogFormat, configure_logging
from conduit.config.schema import Config


def proxy(
    config: Path | None = config_option(),
    listen: str | None = typer.Option(None, "--listen", help="HOST:PORT to listen on (overrides `listen`)."),
    log_format: LogFormat = typer.Option(
        LogFormat.TEXT, "--log-format", help="Log lines as readable text, or one JSON object per line."
    ),
) -> None:
    """Run the metering proxy (Ctrl-C stops it gracefully)."""
    from conduit.config.listen import parse_listen

    cfg = load_or_exit(config)
    host, port = cfg.listen_host, cfg.listen_port
    if listen is not None:
        try:
            host, port = parse_listen(listen)
        except ValueError as exc:
            fail(f"--listen {listen!r}: {exc}")
    configure_logging(log_format)
    if not _is_loopback(host):
        logging.getLogger("conduit.proxy").warning(
            "listening on %s, which is not a loopback address: anyone who can reach it can spend through it", host
        )
    _run(cfg, host, port)


def _run(cfg: Config, host: str, port: int) -> None:
    """Start the server, turning start-up failures into one-line errors."""
    from conduit.core.sealing import SealError
    from conduit.proxy.server import serve
    from conduit.store.errors import StoreError

    try:
        serve(cfg, host, port)
    except (StoreError, SealError, ValueError) as exc:
        fail(str(exc), 1)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; pick another address with --listen", 1)


def _is_loopback(host: str) -> bool:
    """True for loopback addresses and `localhost`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
