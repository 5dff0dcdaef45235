"""Parse and format the proxy's listen address (`host:port`, `[::1]:8080`).

Imports only the standard library.
"""

from __future__ import annotations

import ipaddress
import re

_HOSTNAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")


def parse_listen(text: str) -> tuple[str, int]:
    """Split `host:port` (IPv6 in brackets) into host and port; raise ValueError saying what is wrong."""
    if text.startswith("["):
        host, sep, port_text = text[1:].partition("]:")
        if not sep:
            raise ValueError(f'"{text}" must look like "[::1]:8080" (bracketed IPv6 address, then :port)')
        _check_ipv6(host, text)
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep:
            raise ValueError(f'"{text}" has no port; write host:port, e.g. "127.0.0.1:8080"')
        if ":" in host:
            raise ValueError(f'"{text}": put an IPv6 address in brackets, e.g. "[::1]:8080"')
        if not host:
            raise ValueError(f'"{text}" has no host; write "127.0.0.1{text}" (or "0.0.0.0{text}" for all interfaces)')
        if not _HOSTNAME.fullmatch(host):
            raise ValueError(f'"{text}": "{host}" is not a host name or IP address')
    return host, _parse_port(port_text, text)


def format_listen(host: str, port: int) -> str:
    """The `host:port` spelling of an address, with IPv6 hosts in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_ipv6(host: str, text: str) -> None:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        raise ValueError(f'"{text}": "{host}" inside the brackets is not an IPv6 address') from None


def _parse_port(port_text: str, text: str) -> int:
    if not port_text.isascii() or not port_text.isdigit():
        raise ValueError(f'"{text}": the port must be a number from 1 to 65535 (0 picks a free port)')
    port = int(port_text)
    if port > 65535:
        raise ValueError(f'"{text}": port {port} is out of range; use 1 to 65535 (0 picks a free port)')
    return port
