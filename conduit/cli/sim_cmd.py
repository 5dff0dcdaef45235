"""`conduit sim`: run the simulated Anthropic/OpenAI provider used by the demo, tests and benchmarks.

Imports typer at module level; aiohttp and the server are imported inside the command so `--help` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import typer


def sim(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8181, "--port", min=0, max=65535, help="Port to listen on (0 picks a free one)."),
    latency_ms: float = typer.Option(0.0, "--latency-ms", min=0, help="Wait before answering each request."),
    chunk_delay_ms: float = typer.Option(0.0, "--chunk-delay-ms", min=0, help="Wait between streamed events."),
    output_tokens: int = typer.Option(24, "--output-tokens", min=1, help="Reply length in tokens."),
    error_rate: float = typer.Option(
        0.0, "--error-rate", min=0, max=1, help="Share of generating requests answered with a provider error."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the error draws, so runs repeat exactly."),
) -> None:
    """Run a simulated Anthropic/OpenAI provider (no API key needed)."""
    from conduit.sim.knobs import SimDefaults
    from conduit.sim.serve import serve

    defaults = SimDefaults(latency_ms, chunk_delay_ms, output_tokens, error_rate, seed)

    def ready(url: str) -> None:
        typer.echo(f"conduit sim listening on {url}")

    try:
        _runner()(serve(host, port, defaults, ready))
    except KeyboardInterrupt:
        return
    except OSError as error:
        typer.echo(f"conduit sim: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        typer.echo("Pick another --port, or stop the process using this one.", err=True)
        raise typer.Exit(1) from None


def _runner() -> Callable[[Coroutine[Any, Any, None]], None]:
    """uvloop's runner where it is installed, else asyncio's."""
    try:
        import uvloop
    except ImportError:
        import asyncio

        return asyncio.run
    run: Callable[[Coroutine[Any, Any, None]], None] = uvloop.run
    return run
