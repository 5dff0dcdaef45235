"""The simulated provider's settings: server-wide defaults and the per-request `x-sim-*` header knobs.

Pure values and parsing; imports only the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SimDefaults:
    """Server-wide behaviour, used when a request carries no knob of its own; `error_rate` draws are seeded."""

    latency_ms: float = 0
    chunk_delay_ms: float = 0
    output_tokens: int = 24
    error_rate: float = 0
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Knobs:
    """How one request is to be answered, from its `x-sim-*` headers and the server defaults."""

    latency_ms: float
    chunk_delay_ms: float
    output_tokens: int
    status: int | None = None
    cut_after: int | None = None
    hang_after: int | None = None
    hold_after: int | None = None
    encoding: str | None = None


class KnobError(ValueError):
    """An `x-sim-*` header whose value cannot be used; the message names the header, never other content."""


def default_knobs(defaults: SimDefaults) -> Knobs:
    """The knobs of a request that sets no `x-sim-*` header."""
    return Knobs(defaults.latency_ms, defaults.chunk_delay_ms, max(1, defaults.output_tokens))


def read_knobs(headers: Mapping[str, str], base: Knobs) -> Knobs:
    """Apply the request's `x-sim-*` headers over `base`; raises KnobError for a malformed value."""
    cut_after = hang_after = None
    fault = headers.get("x-sim-fault")
    if fault is not None:
        kind, _, count = fault.partition(":")
        if kind.strip() == "cut-after":
            cut_after = _count("x-sim-fault", count)
        elif kind.strip() == "hang-after":
            hang_after = _count("x-sim-fault", count)
        else:
            raise KnobError("x-sim-fault must be cut-after:N or hang-after:N")
    status = _optional_int(headers, "x-sim-status")
    if status is not None and not 100 <= status <= 599:
        raise KnobError("x-sim-status must be an HTTP status code")
    output_tokens = _optional_int(headers, "x-sim-output-tokens")
    return Knobs(
        latency_ms=_optional_ms(headers, "x-sim-latency-ms", base.latency_ms),
        chunk_delay_ms=_optional_ms(headers, "x-sim-chunk-delay-ms", base.chunk_delay_ms),
        output_tokens=base.output_tokens if output_tokens is None else max(1, output_tokens),
        status=status,
        cut_after=cut_after,
        hang_after=hang_after,
        hold_after=_optional_int(headers, "x-sim-hold-after"),
        encoding=_encoding(headers),
    )


def _encoding(headers: Mapping[str, str]) -> str | None:
    """`x-sim-encoding: gzip|br|zstd`, or gzip for `x-sim-gzip: 1`; None for an uncompressed answer."""
    value = headers.get("x-sim-encoding")
    if value is None:
        return "gzip" if headers.get("x-sim-gzip", "0").strip() not in ("", "0", "false") else None
    value = value.strip().lower()
    if value not in ("gzip", "br", "zstd"):
        raise KnobError("x-sim-encoding must be gzip, br or zstd")
    return value


def _count(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise KnobError(f"{name} needs a whole number >= 0") from None
    if value < 0:
        raise KnobError(f"{name} needs a whole number >= 0")
    return value


def _optional_int(headers: Mapping[str, str], name: str) -> int | None:
    text = headers.get(name)
    return None if text is None else _count(name, text)


def _optional_ms(headers: Mapping[str, str], name: str, default: float) -> float:
    text = headers.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise KnobError(f"{name} needs a number of milliseconds") from None
    if not value >= 0:
        raise KnobError(f"{name} needs a number of milliseconds >= 0")
    return value
